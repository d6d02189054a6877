"""Every change to a dossier: receiving it, accepting it (more actions follow).

Each action is one function: atomic, allowed only to the right role in the receiving agency, audited in the
same transaction, written to the dossier's timeline (:class:`DossierEvent`), and announced after commit with
:data:`~lienthong.onestop.signals.dossier_status_changed`. Refusals raise :class:`DomainError` naming the field
and the rule (:class:`PermissionDenied` → 403, :class:`Conflict` → 409).

``actor=None`` means the system itself (the citizens' portal, an import), as in the audit log.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from typing import Any, ParamSpec

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lienthong.audit.services import SYSTEM
from lienthong.audit.services import record as audit
from lienthong.catalog.models import Status
from lienthong.catalog.selectors import IntakeProcedure, procedure_for_intake
from lienthong.core.errors import Conflict, DomainError, FieldProblem, PermissionDenied
from lienthong.core.rows import insert, new_row
from lienthong.directory.models import Agency, Person, Role, RoleAssignment
from lienthong.worktime import arith
from lienthong.worktime.selectors import calendar_for

from .codes import is_citizen_id, is_tax_code
from .codes_db import ReceiptEntry, code_stand_in, store_received
from .files import Upload, check_uploads, file_rows, file_summary, put_in_storage
from .idempotency import IdempotencyKey, refuse_repeat
from .models import (
    ApplicantKind,
    Channel,
    Dossier,
    DossierEvent,
    DossierFile,
    FileKind,
    NationalStatus,
)
from .signals import dossier_status_changed
from .timeliness import vietnam_date

logger = logging.getLogger(__name__)

Actor = Person | None
P = ParamSpec("P")

#: Roles that may receive and accept dossiers at an agency's one-stop desk.
DESK_ROLES = (Role.ONESTOP_OFFICER, Role.SYSTEM_ADMIN)
#: How far in the future a stated reception moment may lie (clock skew of a partner system).
_FUTURE_TOLERANCE = timedelta(minutes=5)


# --- helpers --------------------------------------------------------------------------------------------


def _actor_label(actor: Actor) -> str:
    return actor.get_username() if actor is not None else SYSTEM


def require_desk_role(actor: Actor, agency: Agency) -> None:
    """Refuse (403) unless ``actor`` is a one-stop officer or system administrator of ``agency``.

    ``None`` (the system) passes; a superuser counts as a system administrator everywhere.
    """
    if actor is None:
        return
    if actor.is_active and actor.is_superuser:
        return
    allowed = (
        actor.is_active
        and RoleAssignment.objects.filter(
            person_id=actor.pk, agency_id=agency.pk, role__in=DESK_ROLES, is_active=True
        ).exists()
    )
    if not allowed:
        raise PermissionDenied(
            _("Chỉ cán bộ một cửa của %(agency)s mới được tiếp nhận hồ sơ của cơ quan này.")
            % {"agency": agency.name},
            rule="onestop_officer_required",
        )


def _record_change(
    *,
    actor: Actor,
    dossier: Dossier,
    action: str,
    at: datetime,
    from_status: int | None,
    changes: Mapping[str, Any],
    note: str = "",
    event: DossierEvent | None = None,
) -> DossierEvent:
    """Timeline line (unless ``event`` is the line already written), audit entry and (after commit) the
    status-change signal for one action."""
    to_status = int(dossier.national_status)
    if event is None:
        event = insert(
            DossierEvent(
                dossier=dossier,
                at=at,
                actor=_actor_label(actor),
                action=action,
                from_status=from_status,
                to_status=to_status,
                note=note,
            )
        )
    audit(
        actor=actor,
        action=f"dossier.{action}",
        obj=dossier,
        agency_code=dossier.agency.code,
        changes=changes,
    )
    _announce_on_commit(dossier, action, from_status, to_status)
    return event


def _announce_on_commit(dossier: Dossier, action: str, from_status: int | None, to_status: int) -> None:
    if from_status != to_status:
        transaction.on_commit(lambda: _announce(dossier, action, from_status, to_status))


def _announce(dossier: Dossier, action: str, from_status: int | None, to_status: int) -> None:
    for receiver, result in dossier_status_changed.send_robust(
        sender=Dossier, dossier=dossier, action=action, from_status=from_status, to_status=to_status
    ):
        if isinstance(result, Exception):
            logger.error(
                "receiver %r of dossier_status_changed failed for %s", receiver, dossier.code, exc_info=result
            )


# --- applicant ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Applicant:
    """Who submits the dossier: a person (12-digit citizen ID) or an organisation (tax code)."""

    kind: str
    name: str
    id_number: str
    date_of_birth: date | None = None
    address: str = ""
    phone: str = ""
    email: str = ""

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Applicant:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise DomainError(
                message=_("Trường không hợp lệ trong thông tin người nộp: %(names)s.")
                % {"names": ", ".join(unknown)},
                rule="unknown_field",
                field=f"applicant.{unknown[0]}",
            )
        return cls(
            kind=data.get("kind") or "",
            name=data.get("name") or "",
            id_number=data.get("id_number") or "",
            date_of_birth=data.get("date_of_birth") or None,
            address=data.get("address") or "",
            phone=data.get("phone") or "",
            email=data.get("email") or "",
        )


_TEXT_FIELDS = ("kind", "name", "id_number", "address", "phone", "email")
# Choices' .values builds a new list on every read; intake checks these on every request.
_APPLICANT_KINDS = frozenset(ApplicantKind.values)
_CHANNELS = frozenset(Channel.values)


def _clean_applicant(applicant: Applicant | Mapping[str, Any], today: date) -> Applicant:
    if not isinstance(applicant, Applicant):
        applicant = Applicant.from_mapping(applicant)
    problems: list[FieldProblem] = []

    def problem(name: str, rule: str, message: str) -> None:
        problems.append(FieldProblem(f"applicant.{name}", rule, message))

    text: dict[str, str] = {}
    for key in _TEXT_FIELDS:
        value = getattr(applicant, key)
        if value is not None and not isinstance(value, str):
            problem(key, "type", _("Giá trị phải là chuỗi ký tự."))
            value = ""
        text[key] = (value or "").strip()
    kind, name, id_number, phone, email = (text[k] for k in ("kind", "name", "id_number", "phone", "email"))
    if kind not in _APPLICANT_KINDS:
        problem("kind", "choice", _("Loại người nộp phải là cá nhân (person) hoặc tổ chức (organisation)."))
    if not name:
        problem("name", "required", _("Tên người nộp không được để trống."))
    if kind == ApplicantKind.PERSON and not is_citizen_id(id_number):
        problem("id_number", "citizen_id_shape", _("Số định danh cá nhân phải gồm đúng 12 chữ số."))
    if kind == ApplicantKind.ORGANISATION and not is_tax_code(id_number):
        problem(
            "id_number",
            "tax_code_shape",
            _("Mã số thuế phải gồm 10 chữ số, hoặc 10 chữ số, dấu gạch và 3 chữ số (đơn vị phụ thuộc)."),
        )
    born: Any = applicant.date_of_birth
    if born is not None and not isinstance(born, date | str):
        problem("date_of_birth", "date_shape", _("Ngày sinh phải có dạng YYYY-MM-DD."))
        born = None
    if isinstance(born, datetime):
        born = born.date()
    if isinstance(born, str):
        try:
            born = date.fromisoformat(born) if born.strip() else None
        except ValueError:
            problem("date_of_birth", "date_shape", _("Ngày sinh phải có dạng YYYY-MM-DD."))
            born = None
    if born is not None and born > today:
        problem("date_of_birth", "not_future", _("Ngày sinh không được sau ngày hôm nay."))
    if phone and not (
        phone.replace(" ", "").lstrip("+").isdigit() and 8 <= len(phone.replace(" ", "")) <= 15
    ):
        problem("phone", "phone_shape", _("Số điện thoại chỉ gồm chữ số (8–15 chữ số)."))
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problem("email", "email_shape", _("Địa chỉ thư điện tử không hợp lệ."))
    if problems:
        raise DomainError(
            message="; ".join(p.message for p in problems), rule=problems[0].rule, problems=problems
        )
    return Applicant(
        kind=kind,
        name=name,
        id_number=id_number,
        date_of_birth=born,
        address=text["address"],
        phone=phone.replace(" ", ""),
        email=email,
    )


# --- deadlines ------------------------------------------------------------------------------------------


def compute_due(*, agency_code: str, record: Mapping[str, Any], start: datetime) -> datetime:
    """The appointment for a dossier whose clock starts at ``start``, from a procedure version's record.

    Working days and hours run in the agency's working hours (what arrives after hours starts the next working
    moment); calendar days end at the close of the last day, moved off days that are not worked. A time of 0
    (settled within the day) is due at the close of the working date on which counting starts.
    """
    calendar = calendar_for(agency_code)
    value = float(record.get("processing_value") or 0)
    unit = record.get("processing_unit") or "working_days"
    if value <= 0:
        first = arith.next_working_moment(calendar, start)
        return arith.end_of_working_date(calendar, first.date())
    if unit == "calendar_days":
        return arith.add_calendar_days(calendar, start, math.ceil(value))
    if unit == "working_hours":
        return arith.add_working_hours(calendar, start, value)
    if value.is_integer():
        return arith.add_working_days(calendar, start, int(value))
    return arith.add_working_time(calendar, start, calendar.day_length * value)


# --- actions --------------------------------------------------------------------------------------------


def _procedure_for(procedure_code: str, agency: Agency) -> IntakeProcedure:
    found = procedure_for_intake((procedure_code or "").strip())
    if found is None:
        raise DomainError(
            message=_("Không có thủ tục mã '%(code)s' trong danh mục.") % {"code": procedure_code},
            rule="unknown_procedure",
            field="procedure_code",
        )
    procedure = found.procedure
    if procedure.status == Status.CANCELLED:
        raise DomainError(
            message=_("Thủ tục %(code)s đã bị bãi bỏ, không tiếp nhận hồ sơ mới.") % {"code": procedure.code},
            rule="procedure_cancelled",
            field="procedure_code",
        )
    if procedure.status == Status.SUSPENDED:
        raise DomainError(
            message=_("Thủ tục %(code)s đang tạm ngừng áp dụng, không tiếp nhận hồ sơ mới.")
            % {"code": procedure.code},
            rule="procedure_suspended",
            field="procedure_code",
        )
    if agency.pk not in found.agency_ids:
        raise DomainError(
            message=_("%(agency)s không thực hiện thủ tục %(code)s.")
            % {"agency": agency.name, "code": procedure.code},
            rule="agency_not_implementing",
            field="agency",
        )
    return found


def _clean_moment(value: datetime | None, field: str, now: datetime) -> datetime:
    if value is None:
        return now
    if timezone.is_naive(value):
        raise DomainError(
            message=_("Thời điểm phải kèm múi giờ (giờ Việt Nam là UTC+07:00)."), rule="aware", field=field
        )
    if value > now + _FUTURE_TOLERANCE:
        raise DomainError(message=_("Thời điểm không được ở tương lai."), rule="not_future", field=field)
    return value


def _clean_fees(record: Mapping[str, Any], fee_due: int | None, fee_paid: int) -> tuple[int, int]:
    if fee_due is None:
        fee_due = sum(int(f.get("amount") or 0) for f in record.get("fees") or () if not f.get("case"))
    for name, value in (("fee_due", fee_due), ("fee_paid", fee_paid)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise DomainError(
                message=_("Số tiền phải là số nguyên đồng, không âm."), rule="amount", field=name
            )
    if fee_paid > fee_due:
        raise DomainError(
            message=_("Số tiền đã nộp không được lớn hơn số phải nộp."),
            rule="not_above_due",
            field="fee_paid",
        )
    return fee_due, fee_paid


@dataclass(frozen=True)
class Received:
    """A dossier just received, with the rows written beside it (its first timeline line and its files)."""

    dossier: Dossier
    first_event: DossierEvent
    files: list[DossierFile]


def receive_and_return_rows(
    *,
    actor: Actor,
    procedure_code: str,
    agency: Agency,
    applicant: Applicant | Mapping[str, Any],
    channel: str,
    received_at: datetime | None = None,
    representative: Mapping[str, Any] | None = None,
    components: Sequence[Upload] = (),
    fee_due: int | None = None,
    fee_paid: int = 0,
    idempotency: IdempotencyKey | None = None,
) -> Received:
    """Record a dossier received by ``agency``'s one-stop desk.

    Online dossiers wait for an officer to accept them (status 1); a dossier handed in at the desk or arriving
    by post is checked by the officer there and then, so it is accepted at once (status 2) with its
    appointment.

    ``components`` are checked by content before anything is stored. ``fee_due`` defaults to the procedure's
    fixed fees (those listed without a case); ``fee_paid`` is what the applicant paid on submission.

    With ``idempotency``, an intake that repeats an earlier one with the same key raises
    :class:`~lienthong.onestop.idempotency.AlreadyReceived` (nothing is written), and one that reuses the key
    with another body is refused.
    """
    if channel not in _CHANNELS:
        raise DomainError(
            message=_("Hình thức nộp phải là một trong: online, desk, postal."),
            rule="choice",
            field="channel",
        )
    require_desk_role(actor, agency)
    if idempotency is not None:
        refuse_repeat(idempotency)
    if not agency.is_active:
        raise DomainError(
            message=_("%(agency)s đã ngừng hoạt động.") % {"agency": agency.name},
            rule="agency_inactive",
            field="agency",
        )
    now = timezone.now()
    received = _clean_moment(received_at, "received_at", now)
    # The dossier code's date and the checks on the date of birth are Vietnamese dates, whatever zone is active.
    today = vietnam_date(now)
    received_day = today if received == now else vietnam_date(received)
    person = _clean_applicant(applicant, today)
    if representative is not None and not isinstance(representative, Mapping):
        raise DomainError(
            message=_("Thông tin người đại diện phải là một đối tượng."), rule="type", field="representative"
        )
    found = _procedure_for(procedure_code, agency)
    procedure, version = found.procedure, found.version
    checked = check_uploads(list(components), "components")
    due_fee, paid_fee = _clean_fees(version.record, fee_due, fee_paid)
    # Files go to the store before the code is allocated: the counter row stays locked until commit, and
    # writing 100 KB files inside that window would hold back every other intake of the agency.
    in_store = put_in_storage(checked)
    dossier = new_row(
        Dossier,
        procedure=procedure,
        procedure_version=version,
        agency=agency,
        handling_agency=agency,
        fee_due=due_fee,
        fee_paid=paid_fee,
        applicant_kind=person.kind,
        applicant_name=person.name,
        applicant_id_number=person.id_number,
        applicant_date_of_birth=person.date_of_birth,
        applicant_address=person.address,
        applicant_phone=person.phone,
        applicant_email=person.email,
        representative=dict(representative) if representative is not None else None,
        channel=channel,
        received_at=received,
        national_status=NationalStatus.SUBMITTED,
    )
    if channel != Channel.ONLINE:
        dossier.national_status = NationalStatus.ACCEPTED
        dossier.accepted_at = received
        dossier.due_at = compute_due(agency_code=agency.code, record=version.record, start=received)
    # Everything above reads or checks; the writes below are one transaction. Last of all, as late as possible:
    # from the code's allocation to the commit the agency's counter row is locked.
    first_line = new_row(
        DossierEvent,
        at=received,
        actor=_actor_label(actor),
        action="receive",
        from_status=None,
        to_status=int(dossier.national_status),
        note="",
    )
    files = file_rows(dossier, in_store, kind=FileKind.COMPONENT, by=_actor_label(actor), at=received)
    code = code_stand_in()
    entry = ReceiptEntry(
        actor=actor,
        action="dossier.receive",
        agency_code=agency.code,
        code_stand_in=code,
        changes={
            "components": [None, file_summary(files)],
            "fee_due": [None, due_fee],
            "fee_paid": [None, paid_fee],
            "code": [None, code],
            "procedure": [None, procedure.code],
            "procedure_version": [None, version.number],
            "channel": [None, channel],
            "national_status": [None, int(dossier.national_status)],
            "due_at": [None, dossier.due_at],
        },
    )
    # One transaction, on PostgreSQL one statement for all but the files. Last of all, as late as possible: from
    # the code's allocation to the commit the agency's counter row is locked.
    if idempotency is None:
        store_received(dossier, first_line, received_day, entry=entry, files=files)
    else:
        try:
            # Its own transaction (a savepoint inside the caller's), so a refused key leaves the caller's usable.
            with transaction.atomic():
                store_received(
                    dossier, first_line, received_day, entry=entry, files=files, key=idempotency.row(now)
                )
        except IntegrityError:
            # A retry racing this one stored the key first: answer with its dossier.
            refuse_repeat(idempotency)
            raise
    _announce_on_commit(dossier, "receive", None, int(dossier.national_status))
    return Received(dossier=dossier, first_event=first_line, files=files)


def _answering_with_the_dossier(receive: Callable[P, Received]) -> Callable[P, Dossier]:
    def answer(*args: P.args, **kwargs: P.kwargs) -> Dossier:
        received = receive(*args, **kwargs)
        _as_prefetched(received.dossier, events=[received.first_event], steps=[], files=received.files)
        return received.dossier

    answer.__doc__ = (
        ":func:`receive_and_return_rows`, answering with the dossier alone; what was written beside it is "
        "attached as if prefetched, so a caller showing the new dossier needs no query to read it back."
    )
    return answer


receive_dossier = _answering_with_the_dossier(receive_and_return_rows)


def _as_prefetched(dossier: Dossier, **related: list[Any]) -> None:
    cache: dict[str, Any] = {}
    for name, rows in related.items():
        # The related manager's own queryset, so anything chained on it still reads only this dossier's rows.
        queryset: Any = getattr(dossier, name).get_queryset()
        queryset._result_cache = rows
        queryset._prefetch_done = True
        cache[name] = queryset
    dossier._prefetched_objects_cache = cache  # type: ignore[attr-defined]


def _locked(dossier: Dossier, expected_version: int | None) -> Dossier:
    locked = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("agency", "handling_agency", "procedure_version")
        .get(pk=dossier.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise Conflict(
            _("Hồ sơ %(code)s vừa được người khác cập nhật; hãy tải lại trang và thử lại.")
            % {"code": locked.code},
            rule="stale_version",
            field="version",
        )
    return locked


@transaction.atomic
def accept_dossier(
    *, actor: Actor, dossier: Dossier, at: datetime | None = None, expected_version: int | None = None
) -> Dossier:
    """Accept an online dossier (status 1 → 2) and set its appointment; the clock starts at acceptance.

    ``at`` is when the officer accepted it (default now); ``expected_version`` the version the officer saw,
    so that of two officers acting at once the second gets a conflict instead of a double acceptance.
    """
    dossier = _locked(dossier, expected_version)
    require_desk_role(actor, dossier.agency)
    if dossier.national_status != NationalStatus.SUBMITTED:
        raise Conflict(
            _("Hồ sơ %(code)s đang ở trạng thái “%(status)s”, không thể tiếp nhận.")
            % {"code": dossier.code, "status": dossier.get_national_status_display()},
            rule="status",
            field="national_status",
        )
    accepted = _clean_moment(at, "at", timezone.now())
    if accepted < dossier.received_at:
        raise DomainError(
            message=_("Thời điểm tiếp nhận không được trước thời điểm nộp hồ sơ."),
            rule="after_received",
            field="at",
        )
    before = int(dossier.national_status)
    dossier.national_status = NationalStatus.ACCEPTED
    dossier.accepted_at = accepted
    dossier.due_at = compute_due(
        agency_code=dossier.agency.code, record=dossier.procedure_version.record, start=accepted
    )
    dossier.version += 1
    dossier.save(update_fields=["national_status", "accepted_at", "due_at", "version", "updated_at"])
    _record_change(
        actor=actor,
        dossier=dossier,
        action="accept",
        at=accepted,
        from_status=before,
        changes={
            "national_status": [before, int(dossier.national_status)],
            "accepted_at": [None, accepted],
            "due_at": [None, dossier.due_at],
        },
    )
    return dossier
