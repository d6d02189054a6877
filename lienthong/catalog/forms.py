"""Forms of the catalogue's staff pages: the steps of an internal process (quy trình nội bộ).

The forms check the shape of each row (a title, a unit of the agency, hours above zero); whether the steps fit
inside the legal processing time is decided by :func:`lienthong.catalog.services.set_internal_process`, and
its refusal is shown above the steps (:meth:`StepFormSet.add_domain_error`).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lienthong.core.errors import DomainError
from lienthong.directory.models import Agency, Role, Unit

from .services import StepInput

#: Roles that perform a step of a dossier (administrators configure, they do not process).
STEP_ROLES = (
    Role.ONESTOP_OFFICER,
    Role.SPECIALIST,
    Role.UNIT_HEAD,
    Role.LEADER,
    Role.CLERK,
)
EXTRA_ROWS = 3
_STEP_FIELD = re.compile(r"\Asteps\[(\d+)\](?:\.(\w+))?\Z")


def _positive(value: Decimal) -> None:
    if value is not None and value <= 0:
        raise ValidationError(_("Thời gian phải lớn hơn 0 giờ."), code="min")


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class StepForm(forms.Form):
    """One step: what is done, by which unit of the agency and which role, in how many working hours."""

    title = forms.CharField(label=_("Bước"), max_length=300)
    unit = UnitChoiceField(
        label=_("Đơn vị thực hiện"), queryset=Unit.objects.none(), required=False, empty_label="—"
    )
    role = forms.ChoiceField(
        label=_("Vai trò thực hiện"),
        choices=[("", "—"), *[(r.value, r.label) for r in STEP_ROLES]],
        required=False,
    )
    allowance_hours = forms.DecimalField(
        label=_("Thời gian (giờ làm việc)"),
        max_digits=7,
        decimal_places=2,
        localize=True,
        validators=[_positive],
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, UnitChoiceField)
        unit_field.queryset = Unit.objects.filter(agency=agency, is_active=True).order_by("code")


class BaseStepFormSet(forms.BaseFormSet[forms.Form]):
    """The ordered steps. Rows are ordered by their "Thứ tự" number; ticked or blank rows are left out."""

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        form.fields["ORDER"].label = _("Thứ tự")
        form.fields["ORDER"].widget.attrs.update({"size": 3, "min": 1})
        form.fields["DELETE"].label = _("Bỏ bước này")

    def kept_forms(self) -> list[forms.Form]:
        """The forms that make up the process, in order (call after :meth:`is_valid`)."""
        return list(self.ordered_forms)

    def steps(self) -> list[StepInput]:
        """The service's input, in order (call after :meth:`is_valid` answered True)."""
        return [
            StepInput(
                title=form.cleaned_data["title"],
                allowance_hours=form.cleaned_data["allowance_hours"],
                unit_id=form.cleaned_data["unit"].pk if form.cleaned_data["unit"] else None,
                role=form.cleaned_data["role"],
            )
            for form in self.kept_forms()
        ]

    def total_hours(self) -> Decimal:
        """The hours of the rows as entered: the valid submitted rows, or the saved steps before a submit."""
        if not self.is_bound:
            return sum((Decimal(str(row["allowance_hours"])) for row in self.initial or ()), Decimal(0))
        total = Decimal(0)
        for index, form in enumerate(self.forms):
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            if index >= self.initial_form_count() and not form.has_changed():
                continue
            hours = form.cleaned_data.get("allowance_hours")
            if isinstance(hours, Decimal):
                total += hours
        return total

    def add_domain_error(self, error: DomainError) -> None:
        """Show a service's refusal: a step's field next to that field, anything else above the steps."""
        kept = self.kept_forms()
        for problem in error.problems or []:
            match = _STEP_FIELD.match(problem.field)
            if match and int(match.group(1)) < len(kept):
                form = kept[int(match.group(1))]
                name = match.group(2) or ""
                form.add_error(name if name in form.fields else None, problem.message)
            else:
                self._non_form_errors = self.error_class(
                    [*self.non_form_errors(), problem.message], error_class="nonform"
                )
        if not error.problems:
            self._non_form_errors = self.error_class(
                [*self.non_form_errors(), error.message], error_class="nonform"
            )


StepFormSet = cast(
    type[BaseStepFormSet],
    forms.formset_factory(
        StepForm, formset=BaseStepFormSet, extra=EXTRA_ROWS, can_order=True, can_delete=True, max_num=60
    ),
)
