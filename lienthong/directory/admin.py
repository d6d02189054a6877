"""The system administrators' back office for the directory (``/quan-tri/``).

Saving here goes through :mod:`.services` like every other change, so each edit is validated and audited.
Deleting is not offered: agencies, units and people are ended (``is_active``), never erased, because
documents, dossiers and the audit log keep pointing at them. API credentials are issued on the agency's
page, where the token is shown once; here they can only be revoked.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import password_validation
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Agency, ApiCredential, Person, Position, RoleAssignment, Unit


def _actor(request: HttpRequest) -> Person | None:
    return request.user if isinstance(request.user, Person) else None


class _NoDelete(admin.ModelAdmin):
    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class UnitInline(admin.TabularInline):
    model = Unit
    fk_name = "agency"
    fields = ("code", "name", "short_name", "kind", "is_active")
    extra = 0
    show_change_link = True

    # Units are added and edited on their own form (saved through the services), here only listed.
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Agency)
class AgencyAdmin(_NoDelete):
    list_display = ("code", "name", "short_name", "tier", "parent", "is_active")
    list_filter = ("tier", "is_active")
    search_fields = ("code", "name", "short_name")
    raw_id_fields = ("parent", "successor")
    inlines = [UnitInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("code",) if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: Agency, form: forms.ModelForm, change: bool) -> None:
        if change:
            changed = {name: form.cleaned_data[name] for name in form.changed_data}
            services.update_agency(actor=_actor(request), agency=obj, **changed)
        else:
            created = services.create_agency(actor=_actor(request), **form.cleaned_data)
            obj.pk = created.pk


@admin.register(Unit)
class UnitAdmin(_NoDelete):
    list_display = ("code", "name", "agency", "kind", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name", "agency__code", "agency__name")
    raw_id_fields = ("agency", "parent")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("agency",) if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: Unit, form: forms.ModelForm, change: bool) -> None:
        if change:
            changed = {name: form.cleaned_data[name] for name in form.changed_data}
            services.update_unit(actor=_actor(request), unit=obj, **changed)
        else:
            created = services.create_unit(actor=_actor(request), **form.cleaned_data)
            obj.pk = created.pk


@admin.register(Position)
class PositionAdmin(_NoDelete):
    list_display = ("name", "rank")
    search_fields = ("name",)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Position, form: forms.ModelForm, change: bool) -> None:
        created = services.ensure_position(
            actor=_actor(request), name=form.cleaned_data["name"], rank=form.cleaned_data["rank"]
        )
        obj.pk = created.pk


class PersonAdminForm(forms.ModelForm):
    new_password = forms.CharField(
        label=_("Mật khẩu mới"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Để trống nếu không đổi. Tối thiểu 10 ký tự, không quá giống tên đăng nhập."),
    )

    class Meta:
        model = Person
        fields = ("username", "full_name", "email", "phone", "is_active", "is_staff", "is_superuser")

    def clean_new_password(self) -> str:
        password: str = self.cleaned_data.get("new_password") or ""
        if password:
            password_validation.validate_password(password, self.instance)
        return password


@admin.register(Person)
class PersonAdmin(_NoDelete):
    form = PersonAdminForm
    list_display = ("username", "full_name", "email", "is_active", "is_superuser", "totp_enabled")
    list_filter = ("is_active", "is_superuser", "totp_enabled")
    search_fields = ("username", "full_name", "email")
    readonly_fields = ("last_login", "date_joined", "totp_enabled", "failed_logins", "locked_until")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        fields = tuple(self.readonly_fields)
        return (*fields, "username") if obj is not None else fields

    def save_model(self, request: HttpRequest, obj: Person, form: forms.ModelForm, change: bool) -> None:
        data = dict(form.cleaned_data)
        password = data.pop("new_password", "")
        actor = _actor(request)
        if change:
            changed = {name: data[name] for name in form.changed_data if name in data}
            person = services.update_person(actor=actor, person=obj, **changed)
            if password:
                services.set_password(actor=actor, person=person, password=password)
        else:
            username, full_name = data.pop("username"), data.pop("full_name")
            person = services.create_person(
                actor=actor, username=username, full_name=full_name, password=password or None, **data
            )
        obj.pk = person.pk


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(_NoDelete):
    list_display = ("person", "agency", "role", "unit", "position", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("person__username", "person__full_name", "agency__code", "agency__name")
    raw_id_fields = ("person", "agency", "unit")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("person", "agency", "role") if obj is not None else ()

    def save_model(
        self, request: HttpRequest, obj: RoleAssignment, form: forms.ModelForm, change: bool
    ) -> None:
        data = form.cleaned_data
        actor = _actor(request)
        if change and not data.get("is_active", True):
            services.revoke_role(actor=actor, assignment=obj)
            return
        assignment, _changed = services.grant_role(
            actor=actor,
            person=data.get("person") or obj.person,
            agency=data.get("agency") or obj.agency,
            role=data.get("role") or obj.role,
            unit=data.get("unit"),
            position=data.get("position"),
        )
        obj.pk = assignment.pk


@admin.register(ApiCredential)
class ApiCredentialAdmin(_NoDelete):
    list_display = ("name", "agency", "key_id", "is_active", "created_at", "last_used_at")
    list_filter = ("is_active",)
    search_fields = ("name", "key_id", "agency__code", "agency__name")
    readonly_fields = ("name", "agency", "key_id", "is_active", "created_at", "last_used_at")
    exclude = ("secret_hash",)
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Thu hồi các khóa đã chọn"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiCredential]) -> None:
        for credential in queryset.filter(is_active=True):
            services.revoke_api_credential(actor=_actor(request), credential=credential)
        messages.success(request, _("Đã thu hồi các khóa đã chọn."))
