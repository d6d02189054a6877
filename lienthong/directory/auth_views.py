"""Sign-in pages: user name and password, the TOTP second step, sign-out, and TOTP enrolment.

The views only read forms, call :mod:`.signin` and start or end the Django session. ``auth.login`` rotates
the session key, so a session id planted before sign-in is worthless afterwards.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from lienthong.core.errors import DomainError

from . import signin
from .auth_forms import SigninForm, TotpCodeForm
from .models import Person
from .signin import Outcome

# Session key of a sign-in that passed the password and waits for the TOTP code.
PENDING_KEY = "lienthong.signin.pending"
PENDING_SECONDS = 300


def generic_failure() -> str:
    """One answer for an unknown name, a wrong password and a closed account."""
    return _("Tên đăng nhập hoặc mật khẩu không đúng.")


def _client_ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    """``candidate`` when it stays on this site, else the home page (no open redirects)."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return str(resolve_url(settings.LOGIN_REDIRECT_URL))


def _start_session(request: HttpRequest, person: Person, next_url: str) -> HttpResponseRedirect:
    request.session.pop(PENDING_KEY, None)
    auth.login(request, person, backend=settings.AUTHENTICATION_BACKENDS[0])  # rotates the session key
    return redirect(_safe_next(request, next_url))


def _person(request: HttpRequest) -> Person:
    user = request.user
    if not isinstance(user, Person):  # login_required and AUTH_USER_MODEL guarantee it
        raise TypeError("a signed-in Person is required")
    return user


def _render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, f"directory/auth/{template}", context, status=status)


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    """Step one: user name and password. Goes to the TOTP step when the person has it on."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if request.method == "GET" and request.user.is_authenticated:
        return redirect(_safe_next(request, next_url))
    form = SigninForm(request.POST or None)
    context: dict[str, Any] = {"form": form, "next": _safe_next(request, next_url) if next_url else ""}
    if request.method != "POST":
        return _render(request, "login.html", context)
    if not form.is_valid():
        return _render(request, "login.html", context, status=400)
    result = signin.check_password(
        username=form.cleaned_data["username"],
        password=form.cleaned_data["password"],
        client_ip=_client_ip(request),
    )
    if result.outcome is Outcome.SIGNED_IN and result.person is not None:
        return _start_session(request, result.person, next_url)
    if result.outcome is Outcome.TOTP_REQUIRED and result.person is not None:
        # A fresh key here too: the half-signed-in state must not live in a session id chosen by someone else.
        request.session.cycle_key()
        request.session[PENDING_KEY] = {"person": result.person.pk, "since": time.time(), "next": next_url}
        return redirect("directory:totp_verify")
    if result.outcome is Outcome.LOCKED and result.locked_until is not None:
        form.add_error(None, signin.locked_message(result.locked_until))
        return _render(request, "login.html", context, status=403)
    form.add_error(None, generic_failure())
    return _render(request, "login.html", context, status=400)


def _pending(request: HttpRequest) -> dict[str, Any] | None:
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - float(pending.get("since", 0)) > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None
    return pending


@never_cache
@require_http_methods(["GET", "POST"])
def totp_verify_view(request: HttpRequest) -> HttpResponse:
    """Step two: the six-digit code. A wrong code counts towards the lock-out like a wrong password."""
    pending = _pending(request)
    if pending is None:
        messages.error(request, _("Phiên đăng nhập đã hết hạn hoặc chưa bắt đầu. Vui lòng đăng nhập lại."))
        return redirect("directory:login")
    form = TotpCodeForm(request.POST or None)
    form.fields["code"].widget.attrs["autofocus"] = True
    context: dict[str, Any] = {"form": form}
    if request.method != "POST":
        return _render(request, "totp_verify.html", context)
    if not form.is_valid():
        return _render(request, "totp_verify.html", context, status=400)
    result = signin.check_totp(
        person_id=int(pending["person"]), code=form.cleaned_data["code"], client_ip=_client_ip(request)
    )
    if result.outcome is Outcome.SIGNED_IN and result.person is not None:
        return _start_session(request, result.person, str(pending.get("next") or ""))
    if result.outcome is Outcome.LOCKED and result.locked_until is not None:
        request.session.pop(PENDING_KEY, None)
        messages.error(request, signin.locked_message(result.locked_until))
        return redirect("directory:login")
    form.add_error("code", _("Mã xác thực không đúng hoặc đã hết hạn."))
    return _render(request, "totp_verify.html", context, status=400)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """Sign out (POST only, so a link or an image on another page cannot sign someone out)."""
    if request.user.is_authenticated:
        signin.record_signout(person=_person(request))
    auth.logout(request)
    messages.info(request, _("Bạn đã đăng xuất."))
    return redirect(settings.LOGOUT_REDIRECT_URL or settings.LOGIN_URL)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def totp_setup_view(request: HttpRequest) -> HttpResponse:
    """The signed-in person turns the second factor on (scan, then confirm with a code) or off."""
    person = _person(request)
    form = TotpCodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action in {"start", "renew"}:
                signin.begin_totp_enrolment(actor=person, person=person, renew=action == "renew")
                return redirect("directory:totp_setup")
            if action in {"confirm", "disable"}:
                if form.is_valid():
                    code = form.cleaned_data["code"]
                    if action == "confirm":
                        signin.confirm_totp(actor=person, person=person, code=code)
                        messages.success(
                            request,
                            _(
                                "Đã bật xác thực hai lớp. Từ lần đăng nhập sau, bạn cần "
                                "nhập mã từ ứng dụng xác thực."
                            ),
                        )
                    else:
                        signin.disable_totp(
                            actor=person, person=person, code=code, client_ip=_client_ip(request)
                        )
                        messages.success(request, _("Đã tắt xác thực hai lớp."))
                    return redirect("directory:totp_setup")
            else:
                form.add_error(None, _("Yêu cầu không hợp lệ."))
        except DomainError as exc:
            form.add_error("code" if exc.field == "code" else None, exc.message)
        status = 400
    person.refresh_from_db(fields=["totp_secret", "totp_enabled", "locked_until", "failed_logins"])
    context: dict[str, Any] = {"form": form, "person": person}
    if not person.totp_enabled and person.totp_secret:
        uri = signin.provisioning_uri(person)
        context["qr_svg"] = mark_safe(  # segno's own markup; no user text inside
            signin.qr_svg(uri, title=_("Mã QR để thêm tài khoản vào ứng dụng xác thực"))
        )
        context["secret_grouped"] = signin.grouped_secret(person.totp_secret)
    return _render(request, "totp_setup.html", context, status=status)
