"""The dossier's actions after reception: refuse, supplement, process, finish, return, withdraw, stop.

Each action follows the pattern of :func:`~lienthong.onestop.services.accept_dossier`: one transaction; the
dossier row locked (``select_for_update``) and, when the caller states the ``expected_version`` it saw, refused
with a conflict (409) if someone changed it since; the status checked (409 naming ``national_status`` when the
dossier is not in a status the action starts from); one timeline line (:class:`DossierEvent`), one audit entry,
and after commit the ``dossier_status_changed`` signal. ``at`` is when the action happened (default now); it
may not lie in the future nor before the dossier's last event.

Roles (a first cut; finer roles come with the internal workflow):

* the one-stop desk — refusing at intake, returning the result, withdrawing on the applicant's request — is
  the one-stop officer of the receiving agency (or a system administrator), as for reception;
* processing — starting it, requesting a supplement, finishing, stopping — is any officer of the agency
  handling the dossier (the receiving agency unless it was handed over) holding a one-stop, clerk,
  specialist, unit head or leader role. The finer rules of the internal steps (who may move an assigned
  step, who approves and signs) live in :mod:`.workflow`.

The appointment: ``due_at`` is set at acceptance and afterwards moves only by the working time the clock was
stopped (status 5), as the law requires. It is the date that decides on-time statistics; the apology slip
(form 04) will store its new appointment separately and never touch ``due_at``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lienthong.core.errors import Conflict, DomainError, PermissionDenied
from lienthong.directory.models import Agency, Role, RoleAssignment
from lienthong.worktime import arith
from lienthong.worktime.selectors import calendar_for

from .models import Dossier, DossierEvent, DossierFile, FileKind, NationalStatus, ReturnMethod, StepOutcome
from .services import Actor, _clean_moment, _locked, _record_change, require_desk_role
from .steps import close_step, move_open_step, open_step, open_step_of, step_orders

S = NationalStatus

#: Roles that may act on a dossier's processing (see the module note).
PROCESSING_ROLES = (
    Role.ONESTOP_OFFICER,
    Role.CLERK,
    Role.SPECIALIST,
    Role.UNIT_HEAD,
    Role.LEADER,
    Role.SYSTEM_ADMIN,
)
_REASON_MAX = 2000
_TRACKING_MAX = 40


# --- helpers --------------------------------------------------------------------------------------------


def holds_role(actor: Actor, agency: Agency, roles: Iterable[str]) -> bool:
    """Whether ``actor`` holds one of ``roles`` in ``agency``; ``None`` (the system) and superusers do."""
    if actor is None or (actor.is_active and actor.is_superuser):
        return True
    return bool(
        actor.is_active
        and RoleAssignment.objects.filter(
            person_id=actor.pk, agency_id=agency.pk, role__in=tuple(roles), is_active=True
        ).exists()
    )


def handling_agency(dossier: Dossier) -> Agency:
    """The agency holding the dossier now (the receiving agency unless it was handed over)."""
    return dossier.handling_agency or dossier.agency


def require_processing_role(actor: Actor, agency: Agency) -> None:
    """Refuse (403) unless ``actor`` holds a processing role in ``agency``; ``None`` (the system) passes."""
    if not holds_role(actor, agency, PROCESSING_ROLES):
        raise PermissionDenied(
            _("Chỉ cán bộ của %(agency)s mới được xử lý hồ sơ của cơ quan này.") % {"agency": agency.name},
            rule="processing_role_required",
        )


def _require_status(dossier: Dossier, allowed: Iterable[int], doing: str) -> int:
    current = int(dossier.national_status)
    if current not in set(allowed):
        raise Conflict(
            _("Hồ sơ %(code)s đang ở trạng thái “%(status)s”, không thể %(doing)s.")
            % {"code": dossier.code, "status": dossier.get_national_status_display(), "doing": doing},
            rule="status",
            field="national_status",
        )
    return current


def _clean_reason(reason: str | None, *, required: bool = True) -> str:
    text = reason.strip() if isinstance(reason, str) else ""
    if required and not text:
        raise DomainError(message=_("Phải nêu rõ lý do."), rule="required", field="reason")
    if len(text) > _REASON_MAX:
        raise DomainError(
            message=_("Lý do không được dài quá %(n)d ký tự.") % {"n": _REASON_MAX},
            rule="max_length",
            field="reason",
        )
    return text


def _moment(dossier: Dossier, at: datetime | None) -> datetime:
    """When the action happened: not in the future, not before the dossier's last recorded event."""
    moment = _clean_moment(at, "at", timezone.now())
    last = DossierEvent.objects.filter(dossier=dossier).order_by("-at").values_list("at", flat=True).first()
    floor = max(m for m in (last, dossier.received_at) if m is not None)
    if moment < floor:
        raise DomainError(
            message=_("Thời điểm thao tác không được trước thao tác gần nhất của hồ sơ."),
            rule="after_last_event",
            field="at",
        )
    return moment


def _close_pause(dossier: Dossier, at: datetime) -> dict[str, list[Any]]:
    """Restart a stopped clock at ``at``: count the working time it was stopped and move the appointment."""
    if dossier.paused_at is None:
        return {}
    calendar = calendar_for(dossier.agency.code)
    paused = max(arith.working_time_between(calendar, dossier.paused_at, at), timedelta(0))
    changes: dict[str, list[Any]] = {
        "paused_at": [dossier.paused_at, None],
        "paused_seconds": [dossier.paused_seconds, dossier.paused_seconds + int(paused.total_seconds())],
    }
    dossier.paused_seconds += int(paused.total_seconds())
    dossier.paused_at = None
    if dossier.due_at is not None and paused > timedelta(0):
        new_due = arith.add_working_time(calendar, dossier.due_at, paused)
        changes["due_at"] = [dossier.due_at, new_due]
        dossier.due_at = new_due
    if dossier.rescheduled_due_at is not None and paused > timedelta(0):
        dossier.rescheduled_due_at = arith.add_working_time(calendar, dossier.rescheduled_due_at, paused)
    move_open_step(dossier, paused)
    return changes


def _ensure_step(dossier: Dossier, at: datetime) -> None:
    """A dossier going (back) into processing without a step (a supplement asked before processing began)
    starts at the first step of its agency's process."""
    if open_step_of(dossier) is None:
        agency = handling_agency(dossier)
        open_step(dossier, agency, step_orders(dossier, agency)[0], at)


def _apply(
    *,
    actor: Actor,
    dossier: Dossier,
    action: str,
    at: datetime,
    before: int,
    to: int,
    fields: dict[str, Any],
    changes: dict[str, list[Any]] | None = None,
    note: str = "",
) -> Dossier:
    all_changes: dict[str, list[Any]] = {"national_status": [before, to]}
    for name, value in fields.items():
        all_changes[name] = [getattr(dossier, name), value]
        setattr(dossier, name, value)
    all_changes.update(changes or {})
    if note:
        all_changes["reason"] = [None, note]
    dossier.national_status = to
    dossier.version += 1
    dossier.save()
    _record_change(
        actor=actor, dossier=dossier, action=action, at=at, from_status=before, changes=all_changes, note=note
    )
    return dossier


# --- the desk -------------------------------------------------------------------------------------------


@transaction.atomic
def refuse_at_intake(
    *,
    actor: Actor,
    dossier: Dossier,
    reason: str,
    at: datetime | None = None,
    expected_version: int | None = None,
) -> Dossier:
    """Refuse an online dossier at intake (1 → 3, form 03); the reason goes to the applicant."""
    dossier = _locked(dossier, expected_version)
    require_desk_role(actor, dossier.agency)
    before = _require_status(dossier, (S.SUBMITTED,), _("từ chối tiếp nhận"))
    note = _clean_reason(reason)
    moment = _moment(dossier, at)
    return _apply(
        actor=actor,
        dossier=dossier,
        action="refuse",
        at=moment,
        before=before,
        to=S.REFUSED,
        fields={},
        note=note,
    )


@transaction.atomic
def return_result(
    *,
    actor: Actor,
    dossier: Dossier,
    method: str,
    tracking_number: str = "",
    at: datetime | None = None,
    expected_version: int | None = None,
) -> Dossier:
    """Hand the result to the applicant (9 → 10): at the desk, electronically, or by post with a tracking
    number."""
    dossier = _locked(dossier, expected_version)
    require_desk_role(actor, dossier.agency)
    before = _require_status(dossier, (S.FINISHED,), _("trả kết quả"))
    if method not in ReturnMethod.values:
        raise DomainError(
            message=_("Hình thức trả kết quả phải là một trong: desk, electronic, postal."),
            rule="choice",
            field="method",
        )
    tracking = (tracking_number or "").strip()
    if method == ReturnMethod.POSTAL and not tracking:
        raise DomainError(
            message=_("Trả kết quả qua bưu chính phải có số hiệu bưu gửi."),
            rule="required_for_postal",
            field="tracking_number",
        )
    if method != ReturnMethod.POSTAL and tracking:
        raise DomainError(
            message=_("Chỉ ghi số hiệu bưu gửi khi trả kết quả qua bưu chính."),
            rule="only_for_postal",
            field="tracking_number",
        )
    if len(tracking) > _TRACKING_MAX:
        raise DomainError(
            message=_("Số hiệu bưu gửi không được dài quá %(n)d ký tự.") % {"n": _TRACKING_MAX},
            rule="max_length",
            field="tracking_number",
        )
    moment = _moment(dossier, at)
    return _apply(
        actor=actor,
        dossier=dossier,
        action="return",
        at=moment,
        before=before,
        to=S.RETURNED,
        fields={"returned_at": moment, "return_method": method, "tracking_number": tracking},
    )


@transaction.atomic
def withdraw(
    *,
    actor: Actor,
    dossier: Dossier,
    reason: str = "",
    at: datetime | None = None,
    expected_version: int | None = None,
) -> Dossier:
    """Withdraw the dossier on the applicant's request (1, 2, 4, 5 → 7); a stopped clock is closed."""
    dossier = _locked(dossier, expected_version)
    require_desk_role(actor, dossier.agency)
    allowed = (S.SUBMITTED, S.ACCEPTED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.AWAITING_PAYMENT)
    before = _require_status(dossier, allowed, _("rút hồ sơ"))
    note = _clean_reason(reason, required=False)
    moment = _moment(dossier, at)
    changes = _close_pause(dossier, moment)
    close_step(dossier, moment, StepOutcome.CLOSED)
    return _apply(
        actor=actor,
        dossier=dossier,
        action="withdraw",
        at=moment,
        before=before,
        to=S.WITHDRAWN,
        fields={},
        changes=changes,
        note=note,
    )


# --- processing -----------------------------------------------------------------------------------------


@transaction.atomic
def start_processing(
    *, actor: Actor, dossier: Dossier, at: datetime | None = None, expected_version: int | None = None
) -> Dossier:
    """Pass an accepted dossier on for processing (2 → 4), at the first step of the agency's process."""
    dossier = _locked(dossier, expected_version)
    agency = handling_agency(dossier)
    require_processing_role(actor, agency)
    before = _require_status(dossier, (S.ACCEPTED,), _("chuyển xử lý"))
    moment = _moment(dossier, at)
    _ensure_step(dossier, moment)
    return _apply(
        actor=actor,
        dossier=dossier,
        action="start_processing",
        at=moment,
        before=before,
        to=S.PROCESSING,
        fields={},
    )


@transaction.atomic
def request_supplement(
    *,
    actor: Actor,
    dossier: Dossier,
    reason: str,
    at: datetime | None = None,
    expected_version: int | None = None,
) -> Dossier:
    """Ask the applicant to supplement the dossier (2 or 4 → 5, form 02); the clock stops now."""
    dossier = _locked(dossier, expected_version)
    require_processing_role(actor, handling_agency(dossier))
    before = _require_status(dossier, (S.ACCEPTED, S.PROCESSING), _("yêu cầu bổ sung"))
    note = _clean_reason(reason)
    moment = _moment(dossier, at)
    return _apply(
        actor=actor,
        dossier=dossier,
        action="request_supplement",
        at=moment,
        before=before,
        to=S.SUPPLEMENT_REQUESTED,
        fields={"paused_at": moment},
        note=note,
    )


@transaction.atomic
def answer_supplement(
    *,
    actor: Actor,
    dossier: Dossier,
    note: str = "",
    at: datetime | None = None,
    expected_version: int | None = None,
) -> Dossier:
    """Record the applicant's supplement (5 → 4): the clock restarts and the appointment moves by the working
    time it was stopped (on the receiving agency's calendar).

    The desk receives the supplement, so the desk role is required (``None``, the portal, passes).
    """
    dossier = _locked(dossier, expected_version)
    require_desk_role(actor, dossier.agency)
    before = _require_status(dossier, (S.SUPPLEMENT_REQUESTED,), _("nhận hồ sơ bổ sung"))
    text = _clean_reason(note, required=False)
    moment = _moment(dossier, at)
    changes = _close_pause(dossier, moment)
    _ensure_step(dossier, moment)
    return _apply(
        actor=actor,
        dossier=dossier,
        action="answer_supplement",
        at=moment,
        before=before,
        to=S.PROCESSING,
        fields={},
        changes=changes,
        note=text,
    )


@transaction.atomic
def finish(
    *, actor: Actor, dossier: Dossier, at: datetime | None = None, expected_version: int | None = None
) -> Dossier:
    """Processing is finished and the result is ready (4 → 9); ``finished_at`` decides timeliness.

    A result file attached but not yet signed by a leader blocks finishing.
    """
    dossier = _locked(dossier, expected_version)
    require_processing_role(actor, handling_agency(dossier))
    before = _require_status(dossier, (S.PROCESSING,), _("kết thúc xử lý"))
    if DossierFile.objects.filter(dossier=dossier, kind=FileKind.RESULT, signed_at__isnull=True).exists():
        raise Conflict(
            _("Kết quả giải quyết của hồ sơ %(code)s chưa được lãnh đạo ký.") % {"code": dossier.code},
            rule="result_not_signed",
            field="result",
        )
    moment = _moment(dossier, at)
    close_step(dossier, moment, StepOutcome.FINISHED)
    return _apply(
        actor=actor,
        dossier=dossier,
        action="finish",
        at=moment,
        before=before,
        to=S.FINISHED,
        fields={"finished_at": moment},
    )


@transaction.atomic
def stop_processing(
    *,
    actor: Actor,
    dossier: Dossier,
    reason: str,
    at: datetime | None = None,
    expected_version: int | None = None,
) -> Dossier:
    """Stop processing the dossier (2, 4, 5 → 8) for a stated reason; a stopped clock is closed."""
    dossier = _locked(dossier, expected_version)
    require_processing_role(actor, handling_agency(dossier))
    allowed = (S.ACCEPTED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.AWAITING_PAYMENT)
    before = _require_status(dossier, allowed, _("dừng xử lý"))
    note = _clean_reason(reason)
    moment = _moment(dossier, at)
    changes = _close_pause(dossier, moment)
    close_step(dossier, moment, StepOutcome.CLOSED)
    return _apply(
        actor=actor,
        dossier=dossier,
        action="stop",
        at=moment,
        before=before,
        to=S.STOPPED,
        fields={},
        changes=changes,
        note=note,
    )
