"""Read queries about dossiers, scoped to what the caller may see.

A caller (a signed-in officer or an API credential) sees the dossiers received by the agencies it may see
(:func:`lienthong.directory.selectors.visible_agencies`); anything else answers 404 like a dossier that does
not exist. The public status page reads through :func:`public_status`, which needs a second factor.
"""

from __future__ import annotations

import hmac
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lienthong.core.errors import DomainError
from lienthong.directory.models import Agency, Person
from lienthong.directory.selectors import NOT_VISIBLE, Principal, visible_agencies
from lienthong.worktime import arith
from lienthong.worktime.selectors import calendar_for

from .models import Apology, Dossier, DossierEvent, DossierFile, DossierStep, NationalStatus, StepOutcome
from .timeliness import VN_TZ, classify, vietnam_date

#: Labels of the timeline's actions, shown to officers and on the public status page.
ACTION_LABELS: dict[str, Promise] = {
    "receive": _("Nhận hồ sơ"),
    "accept": _("Tiếp nhận hồ sơ"),
    "refuse": _("Từ chối tiếp nhận"),
    "request_supplement": _("Yêu cầu bổ sung hồ sơ"),
    "supplement": _("Nhận hồ sơ bổ sung"),
    "answer_supplement": _("Nhận hồ sơ bổ sung"),
    "start_processing": _("Bắt đầu xử lý"),
    "forward": _("Chuyển xử lý"),
    "send_back": _("Trả lại bước trước"),
    "assign": _("Phân công xử lý"),
    "approve": _("Phê duyệt"),
    "attach_result": _("Đính kèm kết quả"),
    "sign_result": _("Ký kết quả"),
    "finish": _("Hoàn thành xử lý"),
    "return": _("Trả kết quả"),
    "return_result": _("Trả kết quả"),
    "withdraw": _("Rút hồ sơ theo yêu cầu"),
    "stop": _("Dừng xử lý"),
    "hand_over": _("Chuyển cơ quan liên thông"),
    "apologise": _("Xin lỗi và hẹn lại ngày trả kết quả"),
    "draft_apology": _("Soạn phiếu xin lỗi và hẹn lại"),
    "reject_apology": _("Không duyệt phiếu xin lỗi"),
    "request_payment": _("Yêu cầu thực hiện nghĩa vụ tài chính"),
    "pay": _("Đã thực hiện nghĩa vụ tài chính"),
}

#: How many trailing phone digits the public status page asks for.
PHONE_DIGITS = 4


def action_label(action: str) -> str | Promise:
    """The Vietnamese label of a timeline action (the code itself for an action not listed yet)."""
    return ACTION_LABELS.get(action, action)


def dossier_by_code(code: str) -> Dossier | None:
    return (
        Dossier.objects.select_related("procedure", "procedure_version", "agency")
        .filter(code=code.strip())
        .first()
    )


def visible_dossiers(principal: Principal) -> QuerySet[Dossier]:
    """Every dossier ``principal`` may see: those received by, or handed over to, an agency in its scope."""
    agencies = visible_agencies(principal)
    return Dossier.objects.filter(Q(agency__in=agencies) | Q(handling_agency__in=agencies)).select_related(
        "procedure", "procedure_version", "agency", "handling_agency"
    )


def dossier_for(principal: Principal, code: str) -> Dossier:
    """The dossier with ``code`` if ``principal`` may see it; otherwise :class:`Http404` (never says which)."""
    dossier = visible_dossiers(principal).filter(code=code.strip()).first()
    if dossier is None:
        raise Http404(NOT_VISIBLE)
    return dossier


def dossier_with_details(principal: Principal, code: str) -> Dossier:
    """:func:`dossier_for` with its timeline, steps and files read in three queries (for the API's answer)."""
    dossier = (
        visible_dossiers(principal)
        .prefetch_related(
            Prefetch("events", queryset=DossierEvent.objects.order_by("at", "id")),
            Prefetch(
                "steps",
                queryset=DossierStep.objects.select_related("agency", "assignee").order_by("sequence"),
            ),
            Prefetch("files", queryset=DossierFile.objects.order_by("id")),
        )
        .filter(code=code.strip())
        .first()
    )
    if dossier is None:
        raise Http404(NOT_VISIBLE)
    return dossier


def person_named(username: str, field: str) -> Person:
    """The person a workflow action names (an assignee); whether they may take the dossier is the service's
    check, which answers the same for everyone outside the handling agency."""
    person = Person.objects.filter(username=username.strip()).first()
    if person is None:
        raise DomainError(
            message=_("Không có cán bộ có tên đăng nhập “%(name)s”.") % {"name": username.strip()},
            rule="unknown_person",
            field=field,
        )
    return person


def agency_named(code: str, field: str) -> Agency:
    """The agency a hand-over names: any agency on the platform, not only those the caller sees."""
    agency = Agency.objects.filter(code=code.strip()).first()
    if agency is None:
        raise DomainError(
            message=_("Không có cơ quan mã “%(code)s”.") % {"code": code.strip()},
            rule="unknown_agency",
            field=field,
        )
    return agency


def timeline_of(dossier: Dossier) -> QuerySet[DossierEvent]:
    """The dossier's events in the order they happened."""
    return DossierEvent.objects.filter(dossier=dossier).order_by("at", "id")


def steps_of(dossier: Dossier) -> QuerySet[DossierStep]:
    """The internal steps the dossier went through, in order (one line each on form 05)."""
    return (
        DossierStep.objects.filter(dossier=dossier)
        .select_related("agency", "unit", "assignee")
        .order_by("sequence")
    )


def files_of(dossier: Dossier, kind: str | None = None) -> QuerySet[DossierFile]:
    rows = DossierFile.objects.filter(dossier=dossier).order_by("id")
    return rows.filter(kind=kind) if kind else rows


def file_of(dossier: Dossier, pk: int) -> DossierFile:
    row = DossierFile.objects.filter(dossier=dossier, pk=pk).first()
    if row is None:
        raise Http404(NOT_VISIBLE)
    return row


def apologies_of(dossier: Dossier) -> QuerySet[Apology]:
    return Apology.objects.filter(dossier=dossier).order_by("id")


def timeliness_of(dossier: Dossier, now: datetime | None = None) -> str | None:
    """early / on_time / late / within_time / overdue as of now (Vietnam date), ``None`` without an appointment."""
    now = now or timezone.now()
    verdict = classify(dossier.due_at, dossier.finished_at, vietnam_date(now), dossier.paused_at)
    return str(verdict) if verdict is not None else None


#: Actions that do not change the status but that the applicant should still see on the public page.
PUBLIC_ACTIONS = ("receive", "apologise", "hand_over")


def public_timeline(dossier: Dossier) -> QuerySet[DossierEvent]:
    """The events the applicant sees: status changes, the approved apology and hand-overs; not internal
    steps, assignments or drafts."""
    return timeline_of(dossier).filter(
        Q(action__in=PUBLIC_ACTIONS) | ~Q(from_status=F("to_status")) | Q(from_status__isnull=True)
    )


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def public_status(code: str, phone_tail: str) -> Dossier | None:
    """The dossier for the public status page, or ``None`` when the code or the phone digits do not match.

    Both failures answer the same, so the page never reveals whether a code exists. A dossier without a phone
    number cannot be looked up publicly.
    """
    tail = _digits(phone_tail or "")
    if len(tail) != PHONE_DIGITS:
        return None
    dossier = dossier_by_code(code or "")
    phone = _digits(dossier.applicant_phone) if dossier is not None else ""
    expected = phone[-PHONE_DIGITS:] if len(phone) >= PHONE_DIGITS else "\x00" * PHONE_DIGITS
    matches = hmac.compare_digest(expected.encode(), tail.encode())
    if dossier is None or not matches:
        return None
    return dossier


# --- officer queues (appended) ----------------------------------------------------------------------------

#: The queues of the officer's dossier list, in the order the tabs show them.
QUEUE_LABELS: dict[str, Promise] = {
    "receive": _("Chờ tiếp nhận"),
    "mine": _("Tôi đang xử lý"),
    "processing": _("Đang giải quyết"),
    "due_soon": _("Sắp đến hạn (2 ngày làm việc)"),
    "overdue": _("Quá hạn"),
    "paused": _("Tạm dừng"),
    "to_return": _("Chờ trả kết quả"),
}
#: Dossiers whose clock runs: only these can come due or fall overdue (a stopped clock holds the date).
RUNNING_STATUSES = (2, 4)
QUEUE_STATUSES: dict[str, tuple[int, ...]] = {
    "receive": (1,),
    "mine": (4, 5, 6),
    "processing": (2, 4),
    "due_soon": RUNNING_STATUSES,
    "overdue": RUNNING_STATUSES,
    "paused": (5, 6, 8),
    "to_return": (9,),
}
#: Queues of the receiving desk (by receiving agency); the others follow the agency handling the dossier.
DESK_QUEUES = ("receive", "to_return")
DUE_SOON_WORKING_DAYS = 2


def _start_of_vietnam_day(now: datetime) -> datetime:
    local = now.astimezone(VN_TZ)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def agencies_of(principal: Principal) -> list[tuple[int, str]]:
    """The (id, code) of every agency ``principal`` may see, read once per page."""
    return list(visible_agencies(principal).values_list("pk", "code"))


def _due_soon_limits(agencies: list[tuple[int, str]], now: datetime) -> list[tuple[int, datetime]]:
    """For each agency, the end of the *due soon* window on its own calendar."""
    return [
        (pk, arith.add_working_days(calendar_for(code), now, DUE_SOON_WORKING_DAYS)) for pk, code in agencies
    ]


def _scope_column(queue: str) -> str:
    return "agency_id" if queue in DESK_QUEUES else "handling_agency_id"


def officer_queue(
    principal: Principal,
    queue: str,
    now: datetime | None = None,
    agencies: list[tuple[int, str]] | None = None,
) -> QuerySet[Dossier]:
    """The dossiers of one queue (a key of :data:`QUEUE_LABELS`) among those ``principal`` may see.

    *Due soon*: a running dossier whose appointment falls from the start of today (Vietnam) to
    :data:`DUE_SOON_WORKING_DAYS` working days from ``now`` on its agency's calendar. *Overdue*: a running
    dossier whose appointment date lies before today (the rule of :mod:`.timeliness`). Paused dossiers (clock
    stopped, or processing stopped) are neither. ``agencies`` (from :func:`agencies_of`) saves reading them
    again when the caller already has them. Each queue is served by a partial index (see the model).
    """
    if queue not in QUEUE_STATUSES:
        raise Http404(NOT_VISIBLE)
    now = now or timezone.now()
    today = _start_of_vietnam_day(now)
    agencies = agencies_of(principal) if agencies is None else agencies
    ids = [pk for pk, _code in agencies]
    if queue == "mine":
        person_id = principal.pk if isinstance(principal, Person) else None
        scope = Q(steps__assignee_id=person_id, steps__outcome=StepOutcome.OPEN)
    else:
        scope = Q(**{f"{_scope_column(queue)}__in": ids})
    rows = (
        Dossier.objects.filter(scope, national_status__in=QUEUE_STATUSES[queue])
        .select_related("procedure", "agency")
        .only(
            "code",
            "applicant_name",
            "received_at",
            "due_at",
            "finished_at",
            "paused_at",
            "national_status",
            "procedure__code",
            "procedure__name",
            "agency__code",
            "agency__name",
        )
    )
    if queue == "overdue":
        return rows.filter(due_at__lt=today).order_by("due_at", "id")
    if queue == "due_soon":
        by_agency = Q()
        for pk, limit in _due_soon_limits(agencies, now):
            by_agency |= Q(handling_agency_id=pk, due_at__lte=limit)
        if not by_agency:
            return rows.none()
        return rows.filter(by_agency, due_at__gte=today).order_by("due_at", "id")
    if queue in DESK_QUEUES:
        return rows.order_by("received_at" if queue == "receive" else "finished_at", "id")
    return rows.order_by("due_at", "id")


def _in(values: list[Any]) -> tuple[str, list[Any]]:
    return (f"IN ({', '.join(['%s'] * len(values))})", list(values)) if values else ("IN (NULL)", [])


def queue_counts(
    principal: Principal, now: datetime | None = None, agencies: list[tuple[int, str]] | None = None
) -> dict[str, int]:
    """How many dossiers each queue holds, for the tabs — in one statement.

    The same conditions as :func:`officer_queue`, written as plain SQL: the tabs show on every page load, and
    building seven ORM count queries cost more than running them (bench/README.md, queue page).
    """
    now = now or timezone.now()
    today = _start_of_vietnam_day(now)
    agencies = agencies_of(principal) if agencies is None else agencies
    ids = [pk for pk, _code in agencies]
    dossiers = connection.ops.quote_name(Dossier._meta.db_table)
    steps = connection.ops.quote_name(DossierStep._meta.db_table)
    parts: list[str] = []
    params: list[Any] = []
    for queue in QUEUE_LABELS:
        status_sql, status_params = _in(list(QUEUE_STATUSES[queue]))
        if queue == "mine":
            person_id = principal.pk if isinstance(principal, Person) else None
            parts.append(
                f"(SELECT COUNT(*) FROM {steps} s JOIN {dossiers} d ON d.id = s.dossier_id "
                f"WHERE s.assignee_id = %s AND s.outcome = %s AND d.national_status {status_sql})"
            )
            params += [person_id, StepOutcome.OPEN, *status_params]
            continue
        scope_sql, scope_params = _in(ids)
        where = f"{_scope_column(queue)} {scope_sql} AND national_status {status_sql}"
        extra: list[Any] = []
        if queue == "overdue":
            where += " AND due_at < %s"
            extra = [today]
        elif queue == "due_soon":
            windows = _due_soon_limits(agencies, now)
            if windows:
                where += (
                    " AND due_at >= %s AND ("
                    + " OR ".join("(handling_agency_id = %s AND due_at <= %s)" for _ in windows)
                    + ")"
                )
                extra = [today, *(value for window in windows for value in window)]
        parts.append(f"(SELECT COUNT(*) FROM {dossiers} WHERE {where})")
        params += [*scope_params, *status_params, *extra]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return {queue: int(value) for queue, value in zip(QUEUE_LABELS, row, strict=True)}


def officer_timeline(dossier: Dossier) -> list[dict[str, object]]:
    """The dossier's timeline with labels, for the officer's dossier page."""
    labels = dict(NationalStatus.choices)
    return [
        {
            "at": event.at,
            "actor": event.actor,
            "label": action_label(event.action),
            "from": labels.get(event.from_status, "") if event.from_status else "",
            "to": labels.get(event.to_status, "") if event.to_status else "",
            "note": event.note,
        }
        for event in timeline_of(dossier)
    ]
