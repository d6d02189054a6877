"""Forms of the officer's dossier page: one small form per action, each carrying the version the officer saw."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ReturnMethod


class ActionForm(forms.Form):
    """An action without input of its own; ``version`` guards against acting on a stale page."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ReasonForm(ActionForm):
    """An action that needs a reason (refusal, supplement request, stop). The service checks it's not blank."""

    reason = forms.CharField(
        label=_("Lý do"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NoteForm(ActionForm):
    """An action with an optional note (withdrawal on request, supplement received)."""

    reason = forms.CharField(
        label=_("Ghi chú"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReturnForm(ActionForm):
    method = forms.ChoiceField(label=_("Hình thức trả kết quả"), choices=ReturnMethod.choices)
    tracking_number = forms.CharField(
        label=_("Số hiệu bưu gửi"),
        required=False,
        max_length=40,
        help_text=_("Bắt buộc khi trả qua bưu chính công ích."),
    )
