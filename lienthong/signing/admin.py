"""Signing keys in the back office (``/quan-tri/``): register, replace, change the image, stop using a key.

Everything goes through :mod:`.services`, so each change is checked and audited. The form reads the certificate
from the back-end before saving (a key file with its password, a token, a remote service) and shows any problem
on the field concerned; the password or PIN typed here is used once and never stored. Keys are not deleted:
signed documents keep pointing at them.
"""

from __future__ import annotations

import base64
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from lienthong.core.errors import DomainError
from lienthong.directory.models import Person

from . import selectors, services
from .models import SigningKey
from .plugins import backend_choices

# Where a service's problem shows on the form: the service names arguments, the form has its own fields.
_FORM_FIELD = {
    "secret": "secret",
    "key_file": "key_file",
    "image_png": "image",
    "person": "person",
    "agency": "agency",
    "owner": "person",
    "backend": "backend",
    "config": "config",
}


def _actor(request: HttpRequest) -> Person | None:
    return request.user if isinstance(request.user, Person) else None


def _read(upload: Any) -> bytes | None:
    return bytes(upload.read()) if upload else None


def _show(form: forms.BaseForm, error: DomainError) -> None:
    for problem in error.problems or []:
        name = problem.field.split(".")[0] if problem.field else ""
        form.add_error(_FORM_FIELD.get(name), problem.message)
    if not error.problems:
        form.add_error(None, error.message)


class SigningKeyAddForm(forms.ModelForm):
    backend = forms.ChoiceField(label=_("Nơi giữ khóa"), choices=backend_choices)
    key_file = forms.FileField(
        label=_("Tệp khóa PKCS#12"),
        required=False,
        help_text=_("Chỉ với kiểu tệp khóa: tệp .p12/.pfx được lưu trong thư mục dữ liệu (quyền 600)."),
    )
    secret = forms.CharField(
        label=_("Mật khẩu / mã PIN"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Dùng một lần để đọc chứng thư và kiểm tra khóa; không được lưu."),
    )
    image = forms.FileField(
        label=_("Ảnh chữ ký hoặc con dấu (PNG)"),
        required=False,
        help_text=_("PNG nền trong suốt: chữ ký tay màu xanh (cá nhân) hoặc con dấu màu đỏ (cơ quan)."),
    )
    replace = forms.BooleanField(
        label=_("Thay khóa đang dùng"),
        required=False,
        help_text=_("Khóa cũ của cùng chủ sở hữu ngừng dùng ngay khi khóa mới được lưu."),
    )

    class Meta:
        model = SigningKey
        fields = ("person", "agency", "backend", "config")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        data["key_file_bytes"] = _read(data.get("key_file"))
        data["image_bytes"] = _read(data.get("image"))
        try:
            services.check_key(
                backend=data["backend"],
                config=data.get("config") or {},
                person=data.get("person"),
                agency=data.get("agency"),
                secret=data.get("secret") or None,
                key_file=data["key_file_bytes"],
                image_png=data["image_bytes"],
            )
        except DomainError as error:
            _show(self, error)
            return data
        person, agency = data.get("person"), data.get("agency")
        current = (
            selectors.personal_key_for(person)
            if person is not None
            else selectors.agency_key_for(agency)
            if agency is not None
            else None
        )
        if current is not None and not data.get("replace"):
            self.add_error(
                "replace", _("Chủ sở hữu đã có khóa đang dùng; đánh dấu “Thay khóa đang dùng” để thay.")
            )
        data["current"] = current
        return data


class SigningKeyChangeForm(forms.ModelForm):
    image = forms.FileField(label=_("Ảnh chữ ký hoặc con dấu mới (PNG)"), required=False)
    remove_image = forms.BooleanField(label=_("Bỏ ảnh"), required=False)
    deactivate = forms.BooleanField(label=_("Ngừng dùng khóa này"), required=False)

    class Meta:
        model = SigningKey
        fields: tuple[str, ...] = ()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["image_bytes"] = _read(data.get("image"))
        if data["image_bytes"] is not None:
            try:
                services.check_image(data["image_bytes"])
            except DomainError as error:
                _show(self, error)
        return data


@admin.register(SigningKey)
class SigningKeyAdmin(admin.ModelAdmin):
    list_display = ("common_name", "purpose", "person", "agency", "backend", "not_after", "is_active")
    list_filter = ("purpose", "backend", "is_active")
    search_fields = (
        "common_name",
        "subject",
        "person__username",
        "person__full_name",
        "agency__code",
        "agency__name",
    )
    raw_id_fields = ("person", "agency")
    actions = ["deactivate_keys"]
    _shown = (
        "purpose",
        "person",
        "agency",
        "backend",
        "config",
        "common_name",
        "subject",
        "issuer",
        "serial_number",
        "not_before",
        "not_after",
        "certificate_sha256",
        "image_preview",
        "is_active",
        "created_at",
        "deactivated_at",
    )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        kwargs["form"] = SigningKeyChangeForm if obj is not None else SigningKeyAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ("person", "agency", "backend", "config", "key_file", "secret", "image", "replace")
        return (*self._shown, "image", "remove_image", "deactivate")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return self._shown if obj is not None else ()

    @admin.display(description=_("Ảnh"))
    def image_preview(self, obj: SigningKey) -> str:
        image = selectors.key_image(obj)
        if image is None:
            return "—"
        return format_html(
            '<img src="data:image/png;base64,{}" alt="" style="max-height:120px">',
            base64.b64encode(image).decode(),
        )

    def save_model(self, request: HttpRequest, obj: SigningKey, form: forms.ModelForm, change: bool) -> None:
        data = form.cleaned_data
        actor = _actor(request)
        if change:
            key = obj
            if data.get("image_bytes") is not None or data.get("remove_image"):
                key = services.set_signing_key_image(actor=actor, key=key, image_png=data.get("image_bytes"))
            if data.get("deactivate"):
                services.deactivate_signing_key(actor=actor, key=key)
            return
        arguments = {
            "backend": data["backend"],
            "config": data.get("config") or {},
            "secret": data.get("secret") or None,
            "key_file": data.get("key_file_bytes"),
            "image_png": data.get("image_bytes"),
        }
        if data.get("current") is not None:
            created = services.replace_signing_key(actor=actor, key=data["current"], **arguments)
        else:
            created = services.register_signing_key(
                actor=actor, person=data.get("person"), agency=data.get("agency"), **arguments
            )
        obj.pk = created.pk

    @admin.action(description=_("Ngừng dùng các khóa đã chọn"))
    def deactivate_keys(self, request: HttpRequest, queryset: QuerySet[SigningKey]) -> None:
        for key in queryset.filter(is_active=True):
            services.deactivate_signing_key(actor=_actor(request), key=key)
        messages.success(request, _("Đã ngừng dùng các khóa đã chọn."))
