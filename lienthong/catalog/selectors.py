"""Reading the catalogue: public search, a procedure and its versions, version diffs, the appointment date.

What the public sees (the portal and the public API):

* **active** procedures, and **suspended** ones (shown with a badge, no appointment date: they take no
  dossiers for now);
* never **cancelled** ones — they have left the portal. Their history stays readable by signed-in officers
  (:func:`history_visible_to`), because dossiers keep pointing at their versions.

Search folds the query exactly as :func:`lienthong.catalog.services.search_text_of` folded the stored text
(no diacritics, lower case), splits it into words and keeps the procedures whose text contains every word.
On PostgreSQL each ``LIKE '%word%'`` is served by the trigram index ``catalog_procedure_search_trgm``; SQLite
scans, which is fine at the embedded default's size.
"""

from __future__ import annotations

import time as monotonic_clock
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, IntegerField, QuerySet, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lienthong.core.errors import NotFound
from lienthong.core.text import fold
from lienthong.directory.models import Agency
from lienthong.directory.selectors import roles_of
from lienthong.worktime import arith
from lienthong.worktime.selectors import snapshot

from .models import (
    Field,
    InternalProcess,
    InternalStep,
    OnlineLevel,
    Procedure,
    ProcedureAgency,
    ProcedureVersion,
    Status,
    TimeUnit,
)
from .record import ONLINE_LEVELS, TIERS, ProcedureRecord, diff, is_procedure_code

PAGE_SIZE = 20
#: Longest query kept (characters) and most words matched; the rest is ignored.
MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 12
PUBLIC_STATUSES: tuple[str, ...] = (Status.ACTIVE, Status.SUSPENDED)

TIER_LABELS: dict[str, Any] = {
    "central": gettext_lazy("Trung ương"),
    "province": gettext_lazy("Cấp tỉnh"),
    "district": gettext_lazy("Cấp huyện"),
    "commune": gettext_lazy("Cấp xã"),
}

# --- search ---------------------------------------------------------------------------------------------


def query_words(q: str) -> list[str]:
    """The folded words of a query (``"Cấp  phép"`` → ``["cap", "phep"]``), duplicates dropped."""
    words: list[str] = []
    for word in fold(q[:MAX_QUERY_LENGTH]).split(" "):
        if word and word not in words:
            words.append(word)
    return words[:MAX_QUERY_WORDS]


def public_procedures(*, include_cancelled: bool = False) -> QuerySet[Procedure]:
    statuses = (*PUBLIC_STATUSES, Status.CANCELLED) if include_cancelled else PUBLIC_STATUSES
    return Procedure.objects.filter(status__in=statuses)


def search_procedures(
    q: str = "",
    *,
    field: str = "",
    agency: str = "",
    tier: str = "",
    level: str = "",
    include_cancelled: bool = False,
) -> QuerySet[Procedure]:
    """Public procedures matching every word of ``q`` (diacritics and case ignored) and every filter given.

    ``field`` is a field code, ``agency`` the code of an implementing agency, ``tier`` one of
    :data:`~lienthong.catalog.record.TIERS`, ``level`` an online level (full, partial, info). An empty filter
    is no filter. Procedures whose text contains the whole query as a phrase come first, then by name.
    """
    rows = public_procedures(include_cancelled=include_cancelled).select_related("field")
    words = query_words(q)
    for word in words:
        rows = rows.filter(search_text__contains=word)
    if field:
        rows = rows.filter(field__code=field)
    if agency:
        implementing = ProcedureAgency.objects.filter(agency__code=agency).values("procedure_id")
        rows = rows.filter(pk__in=implementing)
    if tier:
        # The tiers are a JSON list. ``tiers__contains`` is PostgreSQL-only; a LIKE over the JSON text works on
        # both databases (a tier matches at most half the catalogue, so an index would not help).
        rows = rows.filter(tiers__icontains=f'"{tier}"')
    if level:
        rows = rows.filter(online_level=level)
    if len(words) > 1:
        phrase = " ".join(words)
        rows = rows.annotate(
            phrase_rank=Case(
                When(search_text__contains=phrase, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        ).order_by("phrase_rank", "name", "code")
    else:
        rows = rows.order_by("name", "code")
    return rows


def page_of(rows: QuerySet[Procedure], number: int | str | None) -> Page[Procedure]:
    """Page ``number`` (1-based; out of range or unreadable gives the nearest page) of :data:`PAGE_SIZE`."""
    return Paginator(rows, PAGE_SIZE).get_page(number)


def fields_in_use() -> QuerySet[Field]:
    """Fields with at least one public procedure, for the search filter."""
    used = public_procedures().values("field_id")
    return Field.objects.filter(pk__in=used).order_by("name")


def agencies_in_use() -> QuerySet[Agency]:
    """Agencies implementing at least one public procedure, for the search filter."""
    used = ProcedureAgency.objects.filter(procedure__in=public_procedures()).values("agency_id")
    return Agency.objects.filter(pk__in=used).order_by("code")


def clean_filters(params: dict[str, str]) -> dict[str, str]:
    """Keep the filters a search form sent that have a valid shape (unknown values are dropped)."""
    return {
        "field": params.get("field", "").strip()[:40],
        "agency": params.get("agency", "").strip()[:13],
        "tier": t if (t := params.get("tier", "")) in TIERS else "",
        "level": lv if (lv := params.get("level", "")) in ONLINE_LEVELS else "",
    }


# --- one procedure --------------------------------------------------------------------------------------


def procedure_by_code(code: str, *, include_cancelled: bool = False) -> Procedure:
    """The public procedure with national code ``code``; :class:`NotFound` otherwise (cancelled included)."""
    if not is_procedure_code(code):
        raise NotFound(_("Không có thủ tục mang mã %(code)s.") % {"code": code[:40]})
    procedure = (
        public_procedures(include_cancelled=include_cancelled)
        .select_related("field", "current_version")
        .filter(code=code)
        .first()
    )
    if procedure is None or procedure.current_version is None:
        raise NotFound(_("Không có thủ tục mang mã %(code)s trên cổng.") % {"code": code})
    return procedure


def current_record(procedure: Procedure) -> ProcedureRecord:
    """The content of the current version (every saved procedure has one: ``save_procedure`` sets it)."""
    if procedure.current_version is None:
        raise NotFound(_("Thủ tục %(code)s chưa có nội dung.") % {"code": procedure.code})
    return ProcedureRecord.from_dict(procedure.current_version.record)


@dataclass(frozen=True)
class Implementation:
    """An agency implementing the procedure, with the procedure's code localised to it."""

    agency_code: str
    agency_name: str
    local_code: str


def implementations_of(procedure: Procedure) -> list[Implementation]:
    rows = procedure.implementations.select_related("agency").order_by("agency__code")
    return [Implementation(r.agency.code, r.agency.name, r.local_code) for r in rows]


def agency_name(code: str) -> str:
    """The name of the agency with ``code``, or ``""`` when the directory does not know it."""
    if not code:
        return ""
    return Agency.objects.filter(code=code).values_list("name", flat=True).first() or ""


def is_officer(user: Any) -> bool:
    """A signed-in person holding an active role in some agency, or a system administrator."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(getattr(user, "is_superuser", False)) or roles_of(user).exists()


def history_visible_to(user: Any, procedure: Procedure) -> bool:
    """Everyone sees the history of a public procedure; only officers that of a cancelled one."""
    return procedure.status != Status.CANCELLED or is_officer(user)


# --- appointment ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Appointment:
    """When a dossier submitted at ``submitted`` would be due back (hẹn trả), in Vietnam time."""

    submitted: datetime
    counted_from: datetime
    due: datetime
    agency_code: str
    calendar_years_missing: tuple[int, ...]


def appointment_for(
    procedure: Procedure, agency_code: str | None = None, now: datetime | None = None
) -> Appointment:
    """The appointment a dossier of ``procedure`` submitted at ``now`` (default: this moment) would get.

    Working days count as that many working days of the agency's hours (half a day allowed), working hours
    as working hours, calendar days by the Civil Code rule (moved off days that are not worked). The
    calendar is ``agency_code``'s, else the receiving agency's, else the province-wide one.
    ``calendar_years_missing`` lists the years between submission and due date without holidays loaded.
    """
    if agency_code is None:
        agency_code = current_record(procedure).receiving_agency if procedure.current_version else ""
    moment = arith.to_vietnam_time(now or timezone.now())
    data = snapshot()
    calendar = data.calendar_for(agency_code)
    value = max(procedure.processing_value, 0.0)
    if procedure.processing_unit == TimeUnit.WORKING_HOURS:
        due = arith.add_working_hours(calendar, moment, value)
    elif procedure.processing_unit == TimeUnit.CALENDAR_DAYS:
        due = arith.add_calendar_days(calendar, moment, int(-(-value // 1)))  # part of a day counts whole
    else:
        due = arith.add_working_time(calendar, moment, calendar.day_length * value)
    missing = tuple(y for y in range(moment.year, due.year + 1) if y not in data.years)
    return Appointment(
        submitted=moment,
        counted_from=arith.next_working_moment(calendar, moment),
        due=due,
        agency_code=agency_code,
        calendar_years_missing=missing,
    )


WEEKDAYS = (
    gettext_lazy("thứ Hai"),
    gettext_lazy("thứ Ba"),
    gettext_lazy("thứ Tư"),
    gettext_lazy("thứ Năm"),
    gettext_lazy("thứ Sáu"),
    gettext_lazy("thứ Bảy"),
    gettext_lazy("Chủ nhật"),
)


def format_moment(moment: datetime) -> str:
    """``09:00, thứ Năm 26/02/2026`` in Vietnam time."""
    local = arith.to_vietnam_time(moment)
    return f"{local:%H:%M}, {WEEKDAYS[local.weekday()]} {local:%d/%m/%Y}"


# --- versions and diffs ---------------------------------------------------------------------------------


def versions_of(procedure: Procedure) -> QuerySet[ProcedureVersion]:
    """Every version of ``procedure``, oldest first."""
    return procedure.versions.order_by("number")


def version_of(procedure: Procedure, number: int) -> ProcedureVersion:
    version = procedure.versions.filter(number=number).first()
    if version is None:
        raise NotFound(
            _("Thủ tục %(code)s không có phiên bản %(n)s.") % {"code": procedure.code, "n": number}
        )
    return version


FIELD_LABELS: dict[str, Any] = {
    "code": gettext_lazy("Mã thủ tục"),
    "name": gettext_lazy("Tên thủ tục"),
    "field_code": gettext_lazy("Mã lĩnh vực"),
    "field_name": gettext_lazy("Lĩnh vực"),
    "processing_value": gettext_lazy("Thời hạn giải quyết"),
    "processing_unit": gettext_lazy("Đơn vị thời hạn"),
    "processing_note": gettext_lazy("Ghi chú về thời hạn"),
    "tiers": gettext_lazy("Cấp thực hiện"),
    "agencies": gettext_lazy("Cơ quan thực hiện"),
    "receiving_agency": gettext_lazy("Nơi tiếp nhận"),
    "fees": gettext_lazy("Phí, lệ phí"),
    "components": gettext_lazy("Thành phần hồ sơ"),
    "steps": gettext_lazy("Trình tự thực hiện"),
    "eligibility": gettext_lazy("Yêu cầu, điều kiện"),
    "results": gettext_lazy("Kết quả"),
    "legal_basis": gettext_lazy("Căn cứ pháp lý"),
    "online_level": gettext_lazy("Mức độ trực tuyến"),
    "status": gettext_lazy("Trạng thái"),
    "effective_from": gettext_lazy("Ngày có hiệu lực"),
    "effective_to": gettext_lazy("Ngày hết hiệu lực"),
}


def format_vnd(amount: int) -> str:
    """``1500000`` → ``1.500.000 đ`` (the Vietnamese thousands separator is a dot)."""
    return f"{amount:,}".replace(",", ".") + " đ"


def format_number(value: float) -> str:
    """``1.0`` → ``1``, ``0.5`` → ``0,5`` (Vietnamese decimal comma)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def processing_time_text(value: float, unit: str) -> str:
    label = TimeUnit(unit).label if unit in TimeUnit.values else unit
    return f"{format_number(value)} {label}"


def _choice_label(choices: Any, value: Any) -> str:
    return str(choices(value).label) if value in choices.values else str(value)


def describe_value(name: str, value: Any) -> list[str]:
    """One field of a stored record as lines of Vietnamese text, for the diff page."""
    if value is None or value in ("", []):
        return []
    if name == "fees":
        return [
            f"{f.get('kind') or _('lệ phí')}"
            + (f" ({f['case']})" if f.get("case") else "")
            + f": {format_vnd(int(f.get('amount', 0)))}"
            for f in value
        ]
    if name == "components":
        return [component_text(c) for c in value]
    if name == "results":
        return [
            f"{r.get('name', '')} ({_('bản điện tử') if r.get('kind') == 'electronic' else _('bản giấy')})"
            for r in value
        ]
    if name == "legal_basis":
        return [f"{b.get('number', '')} – {b.get('title', '')}" for b in value]
    if name == "tiers":
        return [", ".join(str(TIER_LABELS.get(t, t)) for t in value)]
    if name == "agencies":
        return [str(code) for code in value]
    if name == "online_level":
        return [_choice_label(OnlineLevel, value)]
    if name == "status":
        return [_choice_label(Status, value)]
    if name == "processing_unit":
        return [_choice_label(TimeUnit, value)]
    if name == "processing_value":
        return [format_number(float(value))]
    if name in ("effective_from", "effective_to"):
        try:
            return [f"{date.fromisoformat(str(value)):%d/%m/%Y}"]
        except ValueError:
            return [str(value)]
    return [line for line in str(value).splitlines() if line.strip()] or [str(value)]


def component_text(component: dict[str, Any]) -> str:
    parts = [
        _("%(n)s bản chính") % {"n": component.get("originals", 0)},
        _("%(n)s bản sao") % {"n": component.get("copies", 0)},
        _("bắt buộc") if component.get("required", True) else _("không bắt buộc"),
    ]
    types = component.get("file_types") or []
    if types:
        parts.append(_("tệp %(types)s") % {"types": ", ".join(types)})
    return f"{component.get('name', '')} ({'; '.join(parts)})"


@dataclass(frozen=True)
class FieldChange:
    """One field that differs between two versions: its key, Vietnamese label, and both values as lines."""

    name: str
    label: str
    old: list[str]
    new: list[str]


@dataclass(frozen=True)
class VersionDiff:
    procedure: Procedure
    old: ProcedureVersion
    new: ProcedureVersion
    changes: list[FieldChange]


def field_changes(old: dict[str, Any] | None, new: dict[str, Any]) -> list[FieldChange]:
    """The fields that differ from ``old`` to ``new``, in the record's order, with labels and readable values."""
    changed = diff(old, new)
    if old is not None:  # a field dropped from a newer record shape still counts as a change
        changed.update({k: (v, None) for k, v in old.items() if k not in new})
    order = list(FIELD_LABELS)
    names = sorted(changed, key=lambda n: (order.index(n) if n in order else len(order), n))
    return [
        FieldChange(
            name=n,
            label=str(FIELD_LABELS.get(n, n)),
            old=describe_value(n, changed[n][0]),
            new=describe_value(n, changed[n][1]),
        )
        for n in names
    ]


def version_diff(procedure: Procedure, a: int, b: int) -> VersionDiff:
    """Field-by-field differences going from version ``a`` to version ``b`` (any two, either order)."""
    old, new = version_of(procedure, a), version_of(procedure, b)
    return VersionDiff(procedure, old, new, field_changes(old.record, new.record))


@dataclass(frozen=True)
class VersionEntry:
    """A version in the history list, with the labels of the fields it changed from the one before."""

    version: ProcedureVersion
    changed: list[str]


def history_of(procedure: Procedure) -> list[VersionEntry]:
    """Every version, newest first, each with what it changed (the first: nothing, it created the record)."""
    entries: list[VersionEntry] = []
    previous: dict[str, Any] | None = None
    for version in versions_of(procedure):
        labels = [c.label for c in field_changes(previous, version.record)] if previous is not None else []
        entries.append(VersionEntry(version, labels))
        previous = version.record
    return entries[::-1]


# --- internal processes (pages for agency administrators; the caller has already scoped the agency) ----------


def implementation_of(agency: Agency, code: str) -> ProcedureAgency | None:
    """The agency's implementation of procedure ``code``, or ``None`` when it does not implement it."""
    return (
        ProcedureAgency.objects.filter(agency=agency, procedure__code=code)
        .select_related("procedure", "procedure__field")
        .first()
    )


def implemented_by(agency: Agency, q: str = "") -> QuerySet[ProcedureAgency]:
    """What ``agency`` implements, by code, narrowed by a diacritic-free query."""
    rows = (
        ProcedureAgency.objects.filter(agency=agency).select_related("procedure").order_by("procedure__code")
    )
    for word in query_words(q):
        rows = rows.filter(procedure__search_text__contains=word)
    return rows


@dataclass(frozen=True)
class ProcessSummary:
    step_count: int
    total_hours: Decimal


def processes_of(agency: Agency) -> dict[int, ProcessSummary]:
    """The agency's internal processes by procedure id: how many steps and how many hours in all."""
    rows = (
        InternalProcess.objects.filter(agency=agency)
        .annotate(step_count=Count("steps"), total=Sum("steps__allowance_hours"))
        .values_list("procedure_id", "step_count", "total")
    )
    return {pid: ProcessSummary(count, total or Decimal(0)) for pid, count, total in rows}


def internal_steps(procedure: Procedure, agency: Agency) -> tuple[datetime | None, list[InternalStep]]:
    """When ``agency``'s internal process for ``procedure`` last changed, and its ordered steps."""
    process = InternalProcess.objects.filter(procedure=procedure, agency=agency).first()
    if process is None:
        return None, []
    return process.updated_at, list(InternalStep.objects.filter(process=process).order_by("order"))


# --- the procedure a dossier is received under (hot path of intake) ----------------------------------------


@dataclass(frozen=True)
class IntakeProcedure:
    """A procedure as reception needs it: its status, current version and the agencies implementing it."""

    procedure: Procedure
    version: ProcedureVersion
    agency_ids: frozenset[int]


_intake_cache: dict[str, tuple[IntakeProcedure, float]] = {}


def _intake_cache_seconds() -> float:
    return float(getattr(settings, "LIENTHONG_CATALOG_CACHE_SECONDS", 2))


def forget_cached_procedures() -> None:
    _intake_cache.clear()


def procedure_for_intake(code: str) -> IntakeProcedure | None:
    """The procedure with ``code`` for receiving a dossier, or ``None`` when there is none (or no version yet).

    Every intake asks this, so a found procedure is kept in this process for
    ``LIENTHONG_CATALOG_CACHE_SECONDS`` (2 s by default): a change to the catalogue (a procedure cancelled, an
    agency added) reaches reception at most that late. A code that is not found is never kept.
    """
    now = monotonic_clock.monotonic()
    cached = _intake_cache.get(code)
    if cached is not None and now - cached[1] < _intake_cache_seconds():
        return cached[0]
    procedure = Procedure.objects.select_related("current_version").filter(code=code).first()
    if procedure is None or procedure.current_version is None:
        _intake_cache.pop(code, None)
        return None
    agency_ids = frozenset(
        ProcedureAgency.objects.filter(procedure=procedure).values_list("agency_id", flat=True)
    )
    found = IntakeProcedure(procedure, procedure.current_version, agency_ids)
    if len(_intake_cache) > 5000:  # a province has a few thousand procedures; never grow without bound
        _intake_cache.clear()
    _intake_cache[code] = (found, now)
    return found
