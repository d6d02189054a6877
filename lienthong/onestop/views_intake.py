"""The desk intake page (tiếp nhận hồ sơ trực tiếp): a one-stop officer records a dossier handed in at the desk
or arriving by post, with its component files, and gets the receipt (form 01) to print.

The page checks what it can at once (every field, every file's type by content) so the officer sees all the
mistakes together; :func:`.services.receive_dossier` then decides, and its refusals are placed on the field
they name. Nothing is stored unless the whole dossier is accepted.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lienthong.catalog.models import ProcedureAgency, Status
from lienthong.core.errors import DomainError
from lienthong.directory.models import Agency, Person, RoleAssignment

from . import services
from .files import MAX_COMPONENTS, Upload
from .forms import COMPONENT_PREFIX, ComponentFormSet, IntakeForm
from .idempotency import AlreadyReceived, IdempotencyKey, caller_of

#: Service field names (``applicant.name``) → the intake form's (``applicant_name``).
_FORM_FIELDS = {"procedure_code": "procedure", "fee_due": "fee_paid", "fee_paid": "fee_paid"}
_COMPONENT_FIELD = re.compile(r"^components\[(\d+)\]\.(title|file_name|content_base64)$")


def desk_agencies(user: Any) -> QuerySet[Agency]:
    """The active agencies where ``user`` works at the one-stop desk (the roles the service accepts)."""
    if not isinstance(user, Person) or not user.is_active:
        return Agency.objects.none()
    held = RoleAssignment.objects.filter(person=user, role__in=services.DESK_ROLES, is_active=True).values(
        "agency_id"
    )
    return Agency.objects.filter(pk__in=held, is_active=True).order_by("name")


def _implementations(agencies: list[Agency]) -> list[ProcedureAgency]:
    """The procedures the agencies implement and still accept dossiers for."""
    return list(
        ProcedureAgency.objects.filter(
            agency__in=agencies, procedure__status=Status.ACTIVE, procedure__current_version__isnull=False
        )
        .select_related("procedure")
        .only("agency_id", "procedure__code", "procedure__name")
        .order_by("procedure__code")
    )


def _place(error: DomainError, form: IntakeForm, formset: Any, used: list[int]) -> None:
    """Put each problem the service names on its field: applicant fields, the procedure, a component row."""
    placed = False
    for problem in error.problems or []:
        name = problem.field or ""
        match = _COMPONENT_FIELD.match(name)
        if match and int(match.group(1)) < len(used):
            row = formset.forms[used[int(match.group(1))]]
            row.add_error("title" if match.group(2) == "title" else "file", problem.message)
            placed = True
            continue
        name = _FORM_FIELDS.get(name, name.replace("applicant.", "applicant_"))
        if name in form.fields:
            form.add_error(name, problem.message)
            placed = True
    if not placed:
        form.add_error(None, error.message)


def _error_summary(form: IntakeForm, formset: Any) -> list[dict[str, str]]:
    """Every error on the page, each naming its field, for the summary at the top (linked to the field)."""
    summary = [{"label": "", "id": "", "message": str(m)} for m in form.non_field_errors()]
    summary += [{"label": "", "id": "", "message": str(m)} for m in formset.non_form_errors()]
    for name, errors in form.errors.items():
        if name == NON_FIELD_ERRORS:
            continue
        field = form[name]
        summary += [{"label": str(field.label), "id": field.id_for_label, "message": str(m)} for m in errors]
    for number, row in enumerate(formset.forms, start=1):
        for name, errors in row.errors.items():
            field = row[name]
            label = _("%(field)s của giấy tờ %(n)d") % {"field": field.label, "n": number}
            summary += [{"label": label, "id": field.id_for_label, "message": str(m)} for m in errors]
    return summary


# A form's submissions are told apart by their token alone: the same token is the same click (or the browser
# resending it), whatever the multipart body looks like the second time.
_FORM_FINGERPRINT = "desk-intake-form"


def _submission_key(officer: Person, token: str) -> IdempotencyKey | None:
    if not re.fullmatch(r"[0-9a-f]{32}", token):
        return None  # a page rendered before tokens existed: received as before
    return IdempotencyKey(caller=caller_of(officer), key=f"form:{token}", body_sha256=_FORM_FINGERPRINT)


@login_required
@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest) -> HttpResponse:
    agencies = list(desk_agencies(request.user))
    if not agencies:
        error = DomainError(
            message=_("Chỉ cán bộ một cửa mới được tiếp nhận hồ sơ trực tiếp."),
            rule="onestop_officer_required",
            status=403,
        )
        return render(request, "onestop/officer/problem.html", {"error": error}, status=403)
    officer = request.user
    assert isinstance(officer, Person)  # desk_agencies() found roles, so a signed-in officer
    implementations = _implementations(agencies)
    status = 200
    if request.method == "POST":
        form = IntakeForm(request.POST, agencies=agencies, implementations=implementations)
        formset = ComponentFormSet(request.POST, request.FILES, prefix=COMPONENT_PREFIX)
        valid = [form.is_valid(), formset.is_valid()]  # both, so every error shows at once
        status = 400
        if all(valid):
            used = [i for i, row in enumerate(formset.forms) if row.cleaned_data.get("file")]
            components = [
                Upload(
                    title=formset.forms[i].cleaned_data["title"],
                    file_name=formset.forms[i].cleaned_data["file"].name or "",
                    data=formset.forms[i].cleaned_data["file"].read(),
                )
                for i in used
            ]
            data = form.cleaned_data
            try:
                dossier = services.receive_dossier(
                    actor=officer,
                    procedure_code=data["procedure"],
                    agency=data["agency"],
                    applicant=form.applicant(),
                    channel=data["channel"],
                    components=components,
                    fee_paid=data["fee_paid"],
                    idempotency=_submission_key(officer, data.get("submission") or ""),
                )
            except AlreadyReceived as repeat:
                messages.info(
                    request,
                    _(
                        "Biểu mẫu này đã được gửi và hồ sơ %(code)s đã được tiếp nhận; lần gửi lại không tạo hồ sơ mới."
                    )
                    % {"code": repeat.dossier.code},
                )
                return redirect("onestop:detail", code=repeat.dossier.code)
            except DomainError as error:
                status = error.status
                _place(error, form, formset, used)
            else:
                due = timezone.localtime(dossier.due_at) if dossier.due_at else None
                messages.success(
                    request,
                    _("Đã tiếp nhận hồ sơ %(code)s. Hẹn trả kết quả: %(due)s.")
                    % {"code": dossier.code, "due": f"{due:%H:%M} {due:%d/%m/%Y}" if due else "—"},
                )
                return redirect("onestop:detail", code=dossier.code)
    else:
        form = IntakeForm(agencies=agencies, implementations=implementations)
        formset = ComponentFormSet(prefix=COMPONENT_PREFIX)
    context = {
        "form": form,
        "formset": formset,
        "errors": _error_summary(form, formset) if form.is_bound else [],
        "files_lost": bool(request.FILES),
        "max_components": MAX_COMPONENTS,
    }
    return render(request, "onestop/officer/intake.html", context, status=status)
