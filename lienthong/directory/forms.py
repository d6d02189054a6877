"""Forms of the directory pages. They check the shape of the input; the services decide the rest.

When a service refuses (a :class:`DomainError` naming fields), :func:`add_domain_error` puts each message
next to the field it names, so the person sees what to fix where they typed it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lienthong.core.errors import DomainError

from .codes import is_agency_code
from .models import Agency, Position, Role, Unit


def _model_field(model: Any, name: str, **kwargs: Any) -> Any:
    """The form field Django derives from the model field (label, length, choices, validators)."""
    return model._meta.get_field(name).formfield(**kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class AgencyCodeField(forms.CharField):
    """An agency given by its code (mã định danh); cleans to the :class:`Agency` or ``None``."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 13)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Agency | None:
        code = super().clean(value).strip().upper()
        if not code:
            return None
        if not is_agency_code(code):
            raise forms.ValidationError(
                _("Mã định danh phải có dạng NNN.NN.NN.XNN, ví dụ 000.00.00.H56."), code="agency_code_shape"
            )
        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            raise forms.ValidationError(_("Không có cơ quan mang mã định danh này."), code="exists")
        return agency


class AgencyForm(forms.Form):
    """Edit an agency's record. The code (mã định danh) is its identity and is not edited here."""

    name = _model_field(Agency, "name")
    short_name = _model_field(Agency, "short_name")
    tier = _model_field(Agency, "tier")
    parent = AgencyCodeField(
        label=_("Mã định danh cơ quan cấp trên"), help_text=_("Để trống nếu không có cơ quan cấp trên.")
    )
    address = _model_field(Agency, "address")
    phone = _model_field(Agency, "phone")
    email = _model_field(Agency, "email")
    website = _model_field(Agency, "website", assume_scheme="https")
    is_active = _model_field(Agency, "is_active")
    valid_from = _model_field(Agency, "valid_from", widget=DateInput)
    valid_to = _model_field(Agency, "valid_to", widget=DateInput)
    successor = AgencyCodeField(
        label=_("Mã định danh cơ quan kế thừa"),
        help_text=_("Cơ quan tiếp nhận chức năng khi cơ quan này chấm dứt (sáp nhập)."),
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        self.agency = agency
        if not args and "data" not in kwargs:
            kwargs.setdefault("initial", self.initial_for(agency))
        super().__init__(*args, **kwargs)

    @staticmethod
    def initial_for(agency: Agency) -> dict[str, Any]:
        initial = {name: getattr(agency, name) for name in AgencyForm.base_fields}
        initial["parent"] = agency.parent.code if agency.parent else ""
        initial["successor"] = agency.successor.code if agency.successor else ""
        return initial

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("parent") is not None and cleaned["parent"].pk == self.agency.pk:
            self.add_error("parent", _("Cơ quan không thể là cấp trên của chính nó."))
        if cleaned.get("successor") is not None and cleaned["successor"].pk == self.agency.pk:
            self.add_error("successor", _("Cơ quan không thể kế thừa chính nó."))
        return cleaned


class UnitForm(forms.Form):
    code = _model_field(Unit, "code")
    name = _model_field(Unit, "name")
    short_name = _model_field(Unit, "short_name")
    kind = _model_field(Unit, "kind")
    parent = forms.ModelChoiceField(
        queryset=Unit.objects.none(), required=False, label=_("Đơn vị cấp trên"), empty_label=_("(không có)")
    )
    is_active = _model_field(Unit, "is_active")

    def __init__(self, *args: Any, agency: Agency, unit: Unit | None = None, **kwargs: Any) -> None:
        self.agency, self.unit = agency, unit
        if unit is not None and not args and "data" not in kwargs:
            kwargs.setdefault(
                "initial",
                {
                    "code": unit.code,
                    "name": unit.name,
                    "short_name": unit.short_name,
                    "kind": unit.kind,
                    "parent": unit.parent_id,
                    "is_active": unit.is_active,
                },
            )
        super().__init__(*args, **kwargs)
        parents = Unit.objects.filter(agency=agency).order_by("code")
        if unit is not None:
            parents = parents.exclude(pk=unit.pk)
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]


class RoleGrantForm(forms.Form):
    username = forms.CharField(
        label=_("Tên đăng nhập của cán bộ"),
        max_length=150,
        help_text=_(
            "Cán bộ phải có tài khoản; tài khoản mới do quản trị hệ thống hoặc chức năng nhập danh sách tạo."
        ),
    )
    role = forms.ChoiceField(label=_("Vai trò"), choices=())
    unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(), required=False, label=_("Đơn vị"), empty_label=_("(cả cơ quan)")
    )
    position = forms.ModelChoiceField(
        queryset=Position.objects.all(), required=False, label=_("Chức vụ"), empty_label=_("(không ghi)")
    )

    def __init__(self, *args: Any, agency: Agency, may_grant_system_admin: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [
            (value, label)
            for value, label in Role.choices
            if may_grant_system_admin or value != Role.SYSTEM_ADMIN
        ]
        self.fields["role"].choices = choices  # type: ignore[attr-defined]
        self.fields["unit"].queryset = Unit.objects.filter(agency=agency, is_active=True)  # type: ignore[attr-defined]


class CredentialForm(forms.Form):
    name = forms.CharField(
        label=_("Tên hệ thống được cấp khóa"),
        max_length=200,
        help_text=_("Ví dụ: Phần mềm một cửa của nhà cung cấp X, Bưu điện tỉnh."),
    )


def add_domain_error(form: forms.Form, error: DomainError, aliases: dict[str, str] | None = None) -> None:
    """Show a service's refusal next to the fields it names (or above the form when it names none)."""
    aliases = aliases or {}
    problems = error.problems or []
    placed = False
    for problem in problems:
        field = aliases.get(problem.field, problem.field)
        if field in form.fields:
            form.add_error(field, problem.message)
            placed = True
    if not placed:
        form.add_error(None, error.message)
