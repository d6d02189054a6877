"""Handling an incoming document: the leader assigns it, handlers write opinions and progress, the main
handler completes it (with a result, or by the reply that answers it)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lienthong.core.errors import Conflict, DomainError, PermissionDenied
from lienthong.directory.models import Person, Role, Unit
from lienthong.worktime import arith
from lienthong.worktime.selectors import calendar_for

from ..models import (
    HandlerRole,
    HandlingAssignment,
    HandlingNote,
    IncomingDocument,
    IncomingStatus,
    NoteKind,
    OutgoingDocument,
    OutgoingStatus,
)
from .common import audit, clean_text, require_person, require_role, roles_in, units_in

Handler = Person | Unit
MAX_DAYS = 365
NOTE_MAX = 4000


def _locked(document: IncomingDocument) -> IncomingDocument:
    return (
        IncomingDocument.objects.select_for_update(of=("self",)).select_related("agency").get(pk=document.pk)
    )


def _label(handler: Handler) -> str:
    return f"unit:{handler.code}" if isinstance(handler, Unit) else f"person:{handler.get_username()}"


def _check_handler(document: IncomingDocument, handler: object, field: str) -> Handler:
    agency = document.agency
    if isinstance(handler, Unit):
        if handler.agency_id != agency.pk or not handler.is_active:
            raise DomainError(
                message=_("Đơn vị được giao phải là đơn vị đang hoạt động của %(agency)s.")
                % {"agency": agency.name},
                rule="handler_other_agency",
                field=field,
            )
        return handler
    if isinstance(handler, Person):
        if not roles_in(handler, agency):
            raise DomainError(
                message=_("%(name)s không có vai trò ở %(agency)s.")
                % {"name": handler.full_name or handler.get_username(), "agency": agency.name},
                rule="handler_other_agency",
                field=field,
            )
        return handler
    raise DomainError(message=_("Người hoặc đơn vị xử lý không hợp lệ."), rule="type", field=field)


def deadline(document: IncomingDocument, *, due_in_days: int | None, due_date: date | None) -> datetime:
    """The processing deadline: ``due_in_days`` working days from now, or the close of ``due_date``."""
    if (due_in_days is None) == (due_date is None):
        raise DomainError(
            message=_("Cho hạn xử lý bằng số ngày làm việc hoặc bằng một ngày cụ thể (một trong hai)."),
            rule="one_of",
            field="due_in_days",
        )
    calendar = calendar_for(document.agency.code)
    now = timezone.now()
    if due_in_days is not None:
        if (
            isinstance(due_in_days, bool)
            or not isinstance(due_in_days, int)
            or not 1 <= due_in_days <= MAX_DAYS
        ):
            raise DomainError(
                message=_("Số ngày làm việc phải từ 1 đến %(n)d.") % {"n": MAX_DAYS},
                rule="range",
                field="due_in_days",
            )
        return arith.add_working_days(calendar, now, due_in_days)
    assert due_date is not None
    if due_date < timezone.localdate(now):
        raise DomainError(message=_("Hạn xử lý không được trước hôm nay."), rule="not_past", field="due_date")
    return arith.end_of_working_date(calendar, due_date)


def assign_incoming(
    *,
    actor: Person,
    document: IncomingDocument,
    main: Handler,
    cooperating: Sequence[Handler] = (),
    due_in_days: int | None = None,
    due_date: date | None = None,
    note: str = "",
) -> list[HandlingAssignment]:
    """A leader puts the document on a main handler and cooperating ones (units or people) with a deadline.
    A new assignment replaces the current one; the earlier rows stay as history."""
    actor = require_person(actor)
    require_role(
        actor,
        document.agency,
        (Role.LEADER,),
        rule="leader_role_required",
        message=_("Chỉ lãnh đạo của %(agency)s được phân công xử lý văn bản đến.")
        % {"agency": document.agency.name},
    )
    note = clean_text(note, field="note", label=_("Ý kiến chỉ đạo"), limit=NOTE_MAX, required=False)
    with transaction.atomic():
        locked = _locked(document)
        if locked.status == IncomingStatus.COMPLETED:
            raise Conflict(_("Văn bản đến đã hoàn thành xử lý."), rule="already_completed", field="status")
        handlers = [(_check_handler(locked, main, "main"), HandlerRole.MAIN)]
        seen = {_label(handlers[0][0])}
        for index, item in enumerate(cooperating):
            checked = _check_handler(locked, item, f"cooperating[{index}]")
            if _label(checked) in seen:
                raise DomainError(
                    message=_("Một người hoặc đơn vị chỉ được giao một lần."),
                    rule="duplicate",
                    field=f"cooperating[{index}]",
                )
            seen.add(_label(checked))
            handlers.append((checked, HandlerRole.COOPERATING))
        due = deadline(locked, due_in_days=due_in_days, due_date=due_date)
        now = timezone.now()
        locked.assignments.filter(is_active=True).update(is_active=False)
        rows = HandlingAssignment.objects.bulk_create(
            [
                HandlingAssignment(
                    document=locked,
                    unit=handler if isinstance(handler, Unit) else None,
                    person=handler if isinstance(handler, Person) else None,
                    role=role,
                    due_at=due,
                    note=note,
                    assigned_by=actor,
                    assigned_at=now,
                )
                for handler, role in handlers
            ]
        )
        locked.status = IncomingStatus.ASSIGNED
        locked.processing_due, locked.assigned_at, locked.assigned_by = due, now, actor
        locked.save(update_fields=["status", "processing_due", "assigned_at", "assigned_by", "updated_at"])
        audit(
            actor,
            "incoming.assign",
            locked,
            locked.agency,
            {
                "main": _label(main),
                "cooperating": [_label(h) for h, r in handlers if r == HandlerRole.COOPERATING],
                "due_at": due,
                "note": note,
            },
        )
    document.refresh_from_db()
    return rows


def is_handler(person: Person, document: IncomingDocument, *, main_only: bool = False) -> bool:
    """Whether ``person`` is on the current assignment (in person or through their unit)."""
    active = document.assignments.filter(is_active=True)
    if main_only:
        active = active.filter(role=HandlerRole.MAIN)
    units = units_in(person, document.agency)
    return any(
        row.person_id == person.pk or (row.unit_id is not None and row.unit_id in units) for row in active
    )


def add_note(
    *, actor: Person, document: IncomingDocument, text: str, kind: str = NoteKind.OPINION
) -> HandlingNote:
    """An opinion or a progress note by a handler on the current assignment or a leader of the agency."""
    actor = require_person(actor)
    if kind not in NoteKind.values:
        raise DomainError(
            message=_("Loại ghi chú phải là opinion hoặc progress."), rule="choice", field="kind"
        )
    text = clean_text(text, field="text", label=_("Nội dung"), limit=NOTE_MAX)
    if Role.LEADER not in roles_in(actor, document.agency) and not is_handler(actor, document):
        raise PermissionDenied(
            _("Chỉ người được phân công xử lý hoặc lãnh đạo được ghi ý kiến, tiến độ."),
            rule="handler_required",
        )
    with transaction.atomic():
        locked = _locked(document)
        if locked.status == IncomingStatus.COMPLETED:
            raise Conflict(_("Văn bản đến đã hoàn thành xử lý."), rule="already_completed", field="status")
        note = HandlingNote.objects.create(
            document=locked, kind=kind, author=actor, text=text, at=timezone.now()
        )
        audit(actor, f"incoming.{kind}", locked, locked.agency, {"text": text})
    return note


def complete_incoming(
    *, actor: Person, document: IncomingDocument, result_note: str = "", reply: OutgoingDocument | None = None
) -> IncomingDocument:
    """The main handler completes the document, with a result note or by linking the issued reply."""
    actor = require_person(actor)
    result_note = clean_text(
        result_note, field="result_note", label=_("Kết quả xử lý"), limit=NOTE_MAX, required=reply is None
    )
    if reply is not None:
        if reply.agency_id != document.agency_id or reply.status != OutgoingStatus.ISSUED:
            raise DomainError(
                message=_("Văn bản trả lời phải là văn bản đi đã phát hành của %(agency)s.")
                % {"agency": document.agency.name},
                rule="reply_not_issued",
                field="reply",
            )
        if reply.reply_to_id not in (None, document.pk):
            raise DomainError(
                message=_("Văn bản đi này trả lời một văn bản đến khác."),
                rule="reply_other_document",
                field="reply",
            )
    with transaction.atomic():
        locked = _locked(document)
        if locked.status == IncomingStatus.COMPLETED:
            raise Conflict(_("Văn bản đến đã hoàn thành xử lý."), rule="already_completed", field="status")
        if locked.status != IncomingStatus.ASSIGNED:
            raise Conflict(_("Văn bản đến chưa được phân công xử lý."), rule="not_assigned", field="status")
        if not is_handler(actor, locked, main_only=True):
            raise PermissionDenied(
                _("Chỉ người, đơn vị chủ trì xử lý được hoàn thành văn bản."), rule="main_handler_required"
            )
        now = timezone.now()
        locked.status = IncomingStatus.COMPLETED
        locked.completed_at, locked.completed_by = now, actor
        locked.result_note = result_note or _("Đã trả lời bằng văn bản số %(number)s.") % {
            "number": reply.number_notation if reply else ""
        }
        locked.completed_by_reply = reply
        locked.save(
            update_fields=[
                "status",
                "completed_at",
                "completed_by",
                "result_note",
                "completed_by_reply",
                "updated_at",
            ]
        )
        audit(
            actor,
            "incoming.complete",
            locked,
            locked.agency,
            {"result_note": locked.result_note, "reply": reply.pk if reply else None},
        )
    document.refresh_from_db()
    return locked
