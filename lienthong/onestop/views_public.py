"""The public status page: anyone with a dossier code and the last 4 digits of the applicant's phone sees the
status, the appointment and the timeline (action labels and dates) — nothing personal.

A wrong code and wrong digits give the same message, so the page never reveals whether a code exists. The
form is sent by POST so the phone digits stay out of addresses and server logs; ``?ma=<code>`` (the QR code on
the slips) only fills in the code.

Rate limiting: failed look-ups are counted per client address in Django's cache (:data:`MAX_FAILURES` per
:data:`WINDOW_SECONDS`); with the default per-process memory cache the limit is per worker process.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from . import selectors
from .models import NationalStatus

MAX_FAILURES = 10
WINDOW_SECONDS = 600

NOT_FOUND = _(
    "Không tìm thấy hồ sơ với mã và số điện thoại đã nhập. Hãy kiểm tra lại mã hồ sơ trên giấy tiếp nhận "
    "và 4 chữ số cuối của số điện thoại đã khai khi nộp."
)
TOO_MANY = _("Bạn đã tra cứu sai quá nhiều lần. Vui lòng thử lại sau ít phút.")


class StatusLookupForm(forms.Form):
    code = forms.CharField(
        label=_("Mã hồ sơ"),
        max_length=40,
        help_text=_("In trên giấy tiếp nhận hồ sơ, ví dụ 000.00.03.H56-270203-0001."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "none"}
        ),
    )
    phone_tail = forms.RegexField(
        label=_("4 chữ số cuối của số điện thoại"),
        regex=r"^\s*\d{4}\s*$",
        max_length=8,
        help_text=_("Số điện thoại người nộp đã khai khi nộp hồ sơ."),
        error_messages={"invalid": _("Nhập đúng 4 chữ số.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]{4}"}),
    )


def _client_key(request: HttpRequest) -> str:
    return "onestop-status-fail:" + str(request.META.get("REMOTE_ADDR", ""))


def _too_many(request: HttpRequest) -> bool:
    return int(cache.get(_client_key(request), 0)) >= MAX_FAILURES


def _count_failure(request: HttpRequest) -> None:
    key = _client_key(request)
    if cache.add(key, 1, WINDOW_SECONDS):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, WINDOW_SECONDS)


@require_http_methods(["GET", "POST"])
def status(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"not_found": None, "dossier": None}
    http_status = 200
    if request.method == "POST":
        form = StatusLookupForm(request.POST)
        if _too_many(request):
            context["not_found"] = TOO_MANY
            http_status = 429
        elif form.is_valid():
            dossier = selectors.public_status(form.cleaned_data["code"], form.cleaned_data["phone_tail"])
            if dossier is None:
                _count_failure(request)
                context["not_found"] = NOT_FOUND
            else:
                context["dossier"] = dossier
                context["status_label"] = NationalStatus(dossier.national_status).label
                context["timeline"] = [
                    {"at": event.at, "label": selectors.action_label(event.action)}
                    for event in selectors.public_timeline(dossier)
                ]
    else:
        form = StatusLookupForm(initial={"code": request.GET.get("ma", "")[:40]})
    context["form"] = form
    return render(request, "onestop/public/status.html", context, status=http_status)
