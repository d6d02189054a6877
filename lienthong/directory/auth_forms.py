"""Forms of the sign-in pages. They check shape only; the decisions live in :mod:`.signin`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .signin import TOTP_DIGITS, normalise_code


class _Form(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class SigninForm(_Form):
    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=150,
        strip=True,
        error_messages={"required": _("Hãy nhập tên đăng nhập.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "username",
                "autocapitalize": "none",
                "autocorrect": "off",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        max_length=4096,
        strip=False,
        error_messages={"required": _("Hãy nhập mật khẩu.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class TotpCodeForm(_Form):
    """A six-digit code from an authenticator app; spaces (``123 456``) are accepted."""

    code = forms.CharField(
        label=_("Mã xác thực"),
        max_length=16,
        help_text=_("Mã gồm 6 chữ số đang hiện trong ứng dụng xác thực trên điện thoại của bạn."),
        error_messages={"required": _("Hãy nhập mã xác thực.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autocapitalize": "none",
                "spellcheck": "false",
                "size": 8,
            }
        ),
    )

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if len(code) != TOTP_DIGITS or not code.isascii() or not code.isdigit():
            raise forms.ValidationError(_("Mã xác thực gồm đúng 6 chữ số."), code="totp_shape")
        return code
