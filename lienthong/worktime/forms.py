"""Forms of the calendar pages; they only read input — the services decide and audit."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DayKind


class DayForm(forms.Form):
    date = forms.DateField(label=_("Ngày"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Loại"), choices=DayKind.choices)
    name = forms.CharField(label=_("Tên, lý do"), max_length=200)


class DayEditForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại"), choices=DayKind.choices)
    name = forms.CharField(label=_("Tên, lý do"), max_length=200)


class HoursForm(forms.Form):
    agency_code = forms.CharField(
        label=_("Mã định danh cơ quan"),
        max_length=32,
        required=False,
        help_text=_("Để trống để đặt giờ làm việc chung của tỉnh."),
    )
    morning_start = forms.TimeField(label=_("Sáng từ"), widget=forms.TimeInput(attrs={"type": "time"}))
    morning_end = forms.TimeField(label=_("Sáng đến"), widget=forms.TimeInput(attrs={"type": "time"}))
    afternoon_start = forms.TimeField(label=_("Chiều từ"), widget=forms.TimeInput(attrs={"type": "time"}))
    afternoon_end = forms.TimeField(label=_("Chiều đến"), widget=forms.TimeInput(attrs={"type": "time"}))
