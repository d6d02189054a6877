"""Dossiers in Django's admin: to look, never to edit.

Every change goes through :mod:`lienthong.onestop.services` (role checks, timeline, audit, events), so these
pages add, change and delete nothing.

Slip templates (forms 01–05) are the exception: administrators edit them here, and saving goes through
:func:`lienthong.onestop.slip_templates.save_slip_template` (checked and audited).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from lienthong.core.errors import DomainError
from lienthong.directory.models import Person

from . import slip_templates
from .models import Apology, Dossier, DossierEvent, DossierFile, DossierStep, IntakeKey, SlipTemplate
from .slips import SLIP_FORMS


class _ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DossierEventInline(_ReadOnly, admin.TabularInline):
    model = DossierEvent
    extra = 0
    can_delete = False
    fields = ["at", "actor", "action", "from_status", "to_status", "note"]
    readonly_fields = ["at", "actor", "action", "from_status", "to_status", "note"]


class DossierStepInline(_ReadOnly, admin.TabularInline):
    model = DossierStep
    extra = 0
    can_delete = False
    fields = ["sequence", "title", "agency", "assignee", "started_at", "due_at", "finished_at", "outcome"]
    readonly_fields = [
        "sequence",
        "title",
        "agency",
        "assignee",
        "started_at",
        "due_at",
        "finished_at",
        "outcome",
    ]


class DossierFileInline(_ReadOnly, admin.TabularInline):
    model = DossierFile
    extra = 0
    can_delete = False
    fields = ["kind", "title", "file_name", "content_type", "size", "sha256", "signed_by", "signed_at"]
    readonly_fields = [
        "kind",
        "title",
        "file_name",
        "content_type",
        "size",
        "sha256",
        "signed_by",
        "signed_at",
    ]


class ApologyInline(_ReadOnly, admin.TabularInline):
    model = Apology
    extra = 0
    can_delete = False
    fields = ["reason", "previous_due_at", "new_due_at", "status", "drafted_by", "decided_by", "decided_at"]
    readonly_fields = [
        "reason",
        "previous_due_at",
        "new_due_at",
        "status",
        "drafted_by",
        "decided_by",
        "decided_at",
    ]


@admin.register(Dossier)
class DossierAdmin(_ReadOnly, admin.ModelAdmin):
    actions = None
    list_display = ["code", "procedure", "agency", "applicant_name", "channel", "national_status", "due_at"]
    list_filter = ["national_status", "channel"]
    search_fields = ["code", "applicant_name"]
    list_select_related = ["procedure", "agency"]
    raw_id_fields = ["procedure", "procedure_version", "agency", "handling_agency"]
    inlines = [DossierEventInline, DossierStepInline, DossierFileInline, ApologyInline]


@admin.register(IntakeKey)
class IntakeKeyAdmin(_ReadOnly, admin.ModelAdmin):
    """Which ``Idempotency-Key`` created which dossier: for answering a partner who asks about a retry."""

    actions = None
    list_display = ["key", "caller", "dossier", "created_at"]
    search_fields = ["key", "dossier__code"]
    list_select_related = ["dossier"]
    raw_id_fields = ["dossier"]


# --- slip templates (forms 01–05) ----------------------------------------------------------------------------

_SLIP_HELP = _(
    "Cú pháp mẫu Django; các biến có thể dùng được liệt kê trong docs/mot-cua-phieu.md (ví dụ "
    "{{ dossier.code }}, {{ applicant.name }}, {{ dossier.due }}, {{ qr_data_uri }}); mẫu có thể kế thừa mẫu "
    "chung onestop/slips/base.html bằng thẻ extends. Để trống để bắt đầu từ mẫu có sẵn của mẫu số đã chọn."
)


class SlipTemplateForm(forms.ModelForm):
    form = forms.ChoiceField(
        label=_("Mẫu số"), choices=[(key, f"{key} – {title}") for key, title in SLIP_FORMS.items()]
    )
    title = forms.CharField(label=_("Tên mẫu"), max_length=300, required=False)
    body = forms.CharField(
        label=_("Nội dung (HTML, cú pháp mẫu Django)"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 32, "cols": 120, "spellcheck": "false", "class": "vLargeTextField"}
        ),
    )

    class Meta:
        model = SlipTemplate
        fields = ["form", "title", "body"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        starts = format_html_join(" · ", '<a href="?form={}">{}</a>', ((key, key) for key in SLIP_FORMS))
        self.fields["body"].help_text = format_html(
            "{} {} {}", _SLIP_HELP, _("Bắt đầu từ mẫu có sẵn số:"), starts
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        form = data.get("form") or (self.instance.form if self.instance.pk else "")
        if form in SLIP_FORMS:
            if not (data.get("body") or "").strip():
                data["body"] = slip_templates.builtin_source(form)
            if not (data.get("title") or "").strip():
                data["title"] = str(SLIP_FORMS[form])
        if data.get("body"):
            try:
                slip_templates.check_template_body(data["body"], form if form in SLIP_FORMS else "01")
            except DomainError as error:
                self.add_error("body", error.message)
        return data


@admin.register(SlipTemplate)
class SlipTemplateAdmin(admin.ModelAdmin):
    """An administrator's version of a slip; saving and deleting are checked and audited in :mod:`.slips`."""

    form = SlipTemplateForm
    list_display = ["form", "title", "updated_at", "updated_by"]
    ordering = ["form"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("form",) if obj is not None else ()

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial = dict(super().get_changeform_initial_data(request))
        form = request.GET.get("form", "")
        if form in SLIP_FORMS:
            initial.update(form=form, title=str(SLIP_FORMS[form]), body=slip_templates.builtin_source(form))
        return initial

    def save_model(
        self, request: HttpRequest, obj: SlipTemplate, form: forms.ModelForm, change: bool
    ) -> None:
        actor = request.user if isinstance(request.user, Person) else None
        data = form.cleaned_data
        saved = slip_templates.save_slip_template(
            actor=actor, form=obj.form if change else data["form"], title=data["title"], body=data["body"]
        )
        obj.pk, obj.updated_at = saved.pk, saved.updated_at

    def delete_model(self, request: HttpRequest, obj: SlipTemplate) -> None:
        actor = request.user if isinstance(request.user, Person) else None
        slip_templates.delete_slip_template(actor=actor, template=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[SlipTemplate]) -> None:
        for template in queryset:
            self.delete_model(request, template)
