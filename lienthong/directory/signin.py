"""Officer sign-in: password, optional TOTP second step, lock-out after repeated failures, TOTP enrolment.

Every function here is one business action, atomic and audited when it changes a row:

- ``signin.failed`` — a wrong password or code for a known account (the failure counter went up);
- ``signin.locked`` — that failure reached ``LIENTHONG_LOGIN_MAX_FAILURES`` and locked the account;
- ``signin.success`` — the person passed every step (the counter is reset);
- ``signout`` — the person signed out;
- ``totp.enrol`` / ``totp.confirm`` / ``totp.disable`` — the second factor changed.

Attempts against unknown user names and attempts while an account is locked change nothing, so they go to
the ``lienthong.security`` log rather than the hash-chained audit log: anyone on the network can make them,
and an unauthenticated caller must not be able to grow the append-only chain without bound.

The person row is taken with ``select_for_update`` before the counter moves, so concurrent wrong attempts all
count (on PostgreSQL the second attempt waits for the first; SQLite serialises writers anyway).
"""

from __future__ import annotations

import enum
import hmac
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pyotp
import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lienthong.audit.services import record
from lienthong.core.errors import DomainError

from .models import Person

logger = logging.getLogger("lienthong.security")

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
TOTP_DIGITS = 6
TOTP_INTERVAL = 30
TOTP_VALID_WINDOW = 1  # accept the previous and the next 30-second step (clock drift on phones)
DEFAULT_TOTP_ISSUER = "LiênThông"


class Outcome(enum.Enum):
    SIGNED_IN = "signed_in"
    TOTP_REQUIRED = "totp_required"
    FAILED = "failed"
    LOCKED = "locked"


@dataclass(frozen=True)
class SigninResult:
    """What one sign-in step decided. ``person`` is set for SIGNED_IN and TOTP_REQUIRED only."""

    outcome: Outcome
    person: Person | None = None
    locked_until: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.SIGNED_IN


def max_failures() -> int:
    return int(getattr(settings, "LIENTHONG_LOGIN_MAX_FAILURES", 5))


def lockout_minutes() -> int:
    return int(getattr(settings, "LIENTHONG_LOGIN_LOCKOUT_MINUTES", 15))


def format_vietnam_time(moment: datetime) -> str:
    """``14:35 ngày 07/03/2025`` in Vietnam time, the way a lock-out message shows it."""
    local = moment.astimezone(VIETNAM)
    return _("%(time)s ngày %(date)s") % {"time": f"{local:%H:%M}", "date": f"{local:%d/%m/%Y}"}


def is_locked(person: Person, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return person.locked_until is not None and person.locked_until > now


def _find(username: str) -> Person | None:
    """The account named ``username`` (case-insensitive, as ``create_person`` keeps names unique)."""
    name = username.strip()
    if not name:
        return None
    matches = list(Person.objects.filter(username__iexact=name).order_by("pk")[:2])
    if len(matches) == 1:
        return matches[0]
    # Two rows differing only in case predate the uniqueness rule: accept only the exact spelling.
    return next((p for p in matches if p.username == name), None)


def _register_failure(person: Person, *, reason: str, client_ip: str) -> SigninResult:
    """Count one failure of a row already locked by ``select_for_update``; lock the account at the limit."""
    now = timezone.now()
    before = person.failed_logins
    person.failed_logins = before + 1
    changes: dict[str, object] = {"failed_logins": [before, person.failed_logins], "reason": reason}
    if client_ip:
        changes["ip"] = client_ip
    if person.failed_logins >= max_failures():
        person.locked_until = now + timedelta(minutes=lockout_minutes())
        # The counter starts again after the lock, so the next period allows the same number of tries.
        person.failed_logins = 0
        changes["failed_logins"] = [before, 0]
        changes["locked_until"] = [None, person.locked_until.isoformat()]
        person.save(update_fields=["failed_logins", "locked_until"])
        record(actor=None, action="signin.locked", obj=person, changes=changes)
        logger.warning(
            "account %s locked until %s after %s failures",
            person.username,
            person.locked_until.isoformat(),
            before + 1,
        )
        return SigninResult(Outcome.LOCKED, locked_until=person.locked_until)
    person.save(update_fields=["failed_logins"])
    record(actor=None, action="signin.failed", obj=person, changes=changes)
    return SigninResult(Outcome.FAILED)


def _register_success(person: Person, *, method: str, client_ip: str) -> SigninResult:
    changes: dict[str, object] = {"method": method}
    if person.failed_logins:
        changes["failed_logins"] = [person.failed_logins, 0]
    if person.locked_until is not None:
        changes["locked_until"] = [person.locked_until.isoformat(), None]
    if client_ip:
        changes["ip"] = client_ip
    person.failed_logins = 0
    person.locked_until = None
    person.save(update_fields=["failed_logins", "locked_until"])  # auth.login() sets last_login
    record(actor=person, action="signin.success", obj=person, changes=changes)
    return SigninResult(Outcome.SIGNED_IN, person=person)


def check_password(*, username: str, password: str, client_ip: str = "") -> SigninResult:
    """First step: user name and password.

    Returns SIGNED_IN (no second factor), TOTP_REQUIRED (the caller must ask for a code and then call
    :func:`check_totp`), FAILED (one generic answer for an unknown name, a wrong password or an inactive
    account) or LOCKED (with the time the lock ends).

    The slow password hash runs before the transaction: on SQLite every write transaction holds the
    database's single write lock, and on PostgreSQL the row lock, so neither is held for hundreds of ms.
    The outcome is then decided again under ``select_for_update``.
    """
    found = _find(username)
    if found is None:
        # Spend the time of one password hash, so the answer's timing does not tell that the name is unknown.
        Person().set_password(password)
        # The attempted name is not logged: people sometimes type their password into the name field.
        logger.info("sign-in failed for an unknown user name from %s", client_ip or "?")
        return SigninResult(Outcome.FAILED)
    if is_locked(found):
        logger.info("sign-in refused for locked account %s from %s", found.username, client_ip or "?")
        return SigninResult(Outcome.LOCKED, locked_until=found.locked_until)
    password_ok = found.check_password(password)
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=found.pk)
        if is_locked(person):  # locked by a concurrent attempt meanwhile
            return SigninResult(Outcome.LOCKED, locked_until=person.locked_until)
        if not password_ok:
            return _register_failure(person, reason="password", client_ip=client_ip)
        if not person.is_active:
            # Right password, closed account: same answer as a wrong password, nothing counted.
            logger.info("sign-in refused for inactive account %s", person.username)
            return SigninResult(Outcome.FAILED)
        if person.totp_enabled and person.totp_secret:
            return SigninResult(Outcome.TOTP_REQUIRED, person=person)
        return _register_success(person, method="password", client_ip=client_ip)


@transaction.atomic
def check_totp(*, person_id: int, code: str, client_ip: str = "") -> SigninResult:
    """Second step for a person whose password was right: a current code from their authenticator app."""
    person = Person.objects.select_for_update().filter(pk=person_id, is_active=True).first()
    if person is None or not person.totp_enabled or not person.totp_secret:
        return SigninResult(Outcome.FAILED)
    if is_locked(person):
        return SigninResult(Outcome.LOCKED, locked_until=person.locked_until)
    if not consume_code(person, code):
        return _register_failure(person, reason="totp", client_ip=client_ip)
    return _register_success(person, method="password+totp", client_ip=client_ip)


@transaction.atomic
def record_signout(*, person: Person) -> None:
    """Audit a sign-out (the caller ends the session)."""
    record(actor=person, action="signout", obj=person, changes={})


# --- TOTP -------------------------------------------------------------------------------------------------


def normalise_code(code: str) -> str:
    """Authenticator apps show ``123 456``; accept spaces and hyphens around the six digits."""
    return "".join(ch for ch in code if ch not in " -\u00a0\t")


def matching_step(secret: str, code: str, *, at: datetime | None = None) -> int | None:
    """The 30-second step whose code ``code`` is, looking one step either side of now (or ``at``)."""
    code = normalise_code(code)
    if len(code) != TOTP_DIGITS or not code.isascii() or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret, digits=TOTP_DIGITS, interval=TOTP_INTERVAL)
    current = totp.timecode(at or timezone.now())
    for step in range(current - TOTP_VALID_WINDOW, current + TOTP_VALID_WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def verify_code(secret: str, code: str, *, at: datetime | None = None) -> bool:
    """Whether ``code`` is the code of ``secret`` for now (or ``at``), one 30-second step either side."""
    return matching_step(secret, code, at=at) is not None


def consume_code(person: Person, code: str, *, at: datetime | None = None) -> bool:
    """Accept ``code`` for a sign-in only once: a code seen (or one older than it) is refused.

    The caller holds the person's row lock, so two sign-ins racing with one code cannot both pass.
    """
    step = matching_step(person.totp_secret, code, at=at)
    if step is None or (person.totp_last_step is not None and step <= person.totp_last_step):
        return False
    person.totp_last_step = step
    person.save(update_fields=["totp_last_step"])
    return True


def provisioning_uri(person: Person) -> str:
    """The ``otpauth://`` URI an authenticator app reads from the QR code."""
    issuer = str(getattr(settings, "LIENTHONG_TOTP_ISSUER", DEFAULT_TOTP_ISSUER))
    totp = pyotp.TOTP(person.totp_secret, digits=TOTP_DIGITS, interval=TOTP_INTERVAL)
    return totp.provisioning_uri(name=person.username, issuer_name=issuer)


def qr_svg(uri: str, *, title: str) -> str:
    """The QR code of ``uri`` as an inline ``<svg>`` (black on white, with its quiet zone)."""
    qr = segno.make(uri, error="m", micro=False)
    svg = str(qr.svg_inline(scale=5, dark="#000", light="#fff", title=title, svgclass="qr-code"))
    # role=img makes screen readers announce the <title> instead of walking the path.
    return svg.replace("<svg ", '<svg role="img" ', 1)


def grouped_secret(secret: str) -> str:
    """``ABCD EFGH …`` — easier to type into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@transaction.atomic
def begin_totp_enrolment(*, actor: Person, person: Person, renew: bool = False) -> Person:
    """Give ``person`` a new secret to scan, unless one is already waiting for confirmation.

    Keeping the waiting secret means reloading the page does not invalidate what the person just scanned;
    ``renew`` starts over with a fresh one. Refused while the second factor is already on.
    """
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.totp_enabled:
        raise DomainError(
            message=_("Xác thực hai lớp đã bật; hãy tắt trước khi đăng ký lại."),
            rule="totp_already_enabled",
            field="code",
            status=409,
        )
    if person.totp_secret and not renew:
        return person
    had_secret = bool(person.totp_secret)
    person.totp_secret = pyotp.random_base32()
    person.save(update_fields=["totp_secret"])
    # The secret itself never enters the audit log.
    record(
        actor=actor,
        action="totp.enrol",
        obj=person,
        changes={"totp_secret": ["***" if had_secret else None, "***"]},
    )
    return person


@transaction.atomic
def confirm_totp(*, actor: Person, person: Person, code: str) -> Person:
    """Turn the second factor on once the person proves their app shows the right code."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.totp_enabled:
        raise DomainError(
            message=_("Xác thực hai lớp đã bật."), rule="totp_already_enabled", field="code", status=409
        )
    if not person.totp_secret:
        raise DomainError(
            message=_("Chưa có mã bí mật để xác nhận; hãy tải lại trang để bắt đầu đăng ký."),
            rule="totp_not_enrolled",
            field="code",
        )
    if not verify_code(person.totp_secret, code):
        raise DomainError(
            message=_("Mã xác thực không đúng hoặc đã hết hạn. Hãy nhập mã đang hiện trong ứng dụng."),
            rule="totp_code",
            field="code",
        )
    person.totp_enabled = True
    person.save(update_fields=["totp_enabled"])
    record(actor=actor, action="totp.confirm", obj=person, changes={"totp_enabled": [False, True]})
    return person


def disable_totp(*, actor: Person, person: Person, code: str, client_ip: str = "") -> Person:
    """Turn the second factor off, proven by a current code.

    A wrong code counts as a sign-in failure, so someone holding a stolen session cannot try codes without
    limit; while the account is locked the second factor cannot be turned off.
    """
    locked_until: datetime | None = None
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        if not person.totp_enabled:
            raise DomainError(
                message=_("Xác thực hai lớp chưa bật."), rule="totp_not_enabled", field="code", status=409
            )
        if is_locked(person):
            locked_until = person.locked_until
        elif verify_code(person.totp_secret, code):
            person.totp_enabled = False
            person.totp_secret = ""
            person.save(update_fields=["totp_enabled", "totp_secret"])
            record(
                actor=actor,
                action="totp.disable",
                obj=person,
                changes={"totp_enabled": [True, False], "totp_secret": ["***", None]},
            )
            return person
        else:
            result = _register_failure(person, reason="totp_disable", client_ip=client_ip)
            locked_until = result.locked_until
    # Outside the atomic block, so the counted failure is committed before the refusal propagates.
    if locked_until is not None:
        raise DomainError(message=locked_message(locked_until), rule="locked", field="code", status=423)
    raise DomainError(message=_("Mã xác thực không đúng hoặc đã hết hạn."), rule="totp_code", field="code")


def locked_message(locked_until: datetime) -> str:
    return _(
        "Tài khoản tạm thời bị khóa do đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(time)s (giờ Việt Nam)."
    ) % {"time": format_vietnam_time(locked_until)}
