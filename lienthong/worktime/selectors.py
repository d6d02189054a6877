"""Reading the working-day calendar: the :class:`~lienthong.worktime.arith.Calendar` of an agency, a year's
entries for the calendar page, and the change history.

The built calendar is an immutable value kept in process memory **keyed by the version token** stored in the
database (:class:`~lienthong.worktime.models.CalendarVersion`); a random token, so a calendar can never be
mistaken for another one. How often the token is read:

* inside a transaction (every service, every write path) — at every call: one short query, and the caller
  sees its own uncommitted changes;
* outside a transaction (the public deadline API, pages) — at most once every
  ``LIENTHONG_CALENDAR_CHECK_SECONDS`` (default 2 s) per process, so the hot path touches no database at all.
  A change made on another app server is seen within that delay; on this server at once (the services
  forget the cached calendar when their transaction commits).

When the token differs from the one held, the calendar is rebuilt with two queries.
"""

from __future__ import annotations

import threading
import time as monotonic_clock
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, time

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lienthong.audit.models import AuditEntry

from .arith import DEFAULT_PERIODS, Calendar, Period
from .models import CalendarDay, CalendarVersion, DayKind, WorkingHours


@dataclass(frozen=True)
class Snapshot:
    """Everything the deadline arithmetic needs, as read at one version of the tables."""

    token: str
    days_off: frozenset[date]
    working_weekend_days: frozenset[date]
    labels: Mapping[date, str]
    kinds: Mapping[date, str]
    hours: Mapping[str, tuple[Period, ...]]
    years: frozenset[int]
    _calendars: dict[str, Calendar] = field(default_factory=dict, compare=False, repr=False)

    def periods_for(self, agency_code: str = "") -> tuple[Period, ...]:
        """The agency's own hours, else the province-wide hours, else 07:00–11:30 and 13:30–17:00."""
        return self.hours.get(agency_code) or self.hours.get("") or DEFAULT_PERIODS

    def calendar_for(self, agency_code: str = "") -> Calendar:
        key = agency_code if agency_code in self.hours else ""
        calendar = self._calendars.get(key)
        if calendar is None:
            calendar = Calendar(
                self.days_off, self.working_weekend_days, self.periods_for(agency_code), self.labels
            )
            self._calendars[key] = calendar
        return calendar


_lock = threading.Lock()
#: The last calendar built, whatever transaction it was read in (safe: it is keyed by its random token).
_latest: Snapshot | None = None
#: The calendar as last checked outside any transaction (committed state), and when (monotonic seconds).
_fresh: tuple[Snapshot, float] | None = None


def _check_seconds() -> float:
    return float(getattr(settings, "LIENTHONG_CALENDAR_CHECK_SECONDS", 2.0))


def forget_cached_calendar() -> None:
    """Make the next call read the version token again (the services call it when they commit)."""
    global _fresh, _latest
    with _lock:
        _fresh = None
        _latest = None


def _build(token: str) -> Snapshot:
    off: set[date] = set()
    work: set[date] = set()
    labels: dict[date, str] = {}
    kinds: dict[date, str] = {}
    for day, kind, name in CalendarDay.objects.filter(is_active=True).values_list("date", "kind", "name"):
        (work if kind == DayKind.WORKDAY else off).add(day)
        labels[day] = name
        kinds[day] = kind
    hours: dict[str, tuple[Period, ...]] = {
        row.agency_code: row.periods for row in WorkingHours.objects.all()
    }
    return Snapshot(
        token=token,
        days_off=frozenset(off),
        working_weekend_days=frozenset(work),
        labels=labels,
        kinds=kinds,
        hours=hours,
        years=frozenset(d.year for d in labels),
    )


def _current_token() -> str:
    # Plain SQL: inside a transaction this runs on every deadline computed (a dossier received, a clock
    # restarted), where the ORM's query building would cost ten times the query.
    table = connection.ops.quote_name(CalendarVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {table} WHERE id = 1")
        row = cursor.fetchone()
    return str(row[0]) if row and row[0] else ""


def snapshot() -> Snapshot:
    """The calendar tables as of now (see the module's docstring for how fresh, and at what cost)."""
    global _fresh, _latest
    in_transaction = connection.in_atomic_block
    if not in_transaction:
        fresh = _fresh
        if fresh is not None and monotonic_clock.monotonic() - fresh[1] < _check_seconds():
            return fresh[0]
    checked_at = monotonic_clock.monotonic()
    token = _current_token()
    latest = _latest
    built = latest if token and latest is not None and latest.token == token else _build(token)
    with _lock:
        if token:
            _latest = built
        if not in_transaction:
            _fresh = (built, checked_at)
    return built


def calendar_for(agency_code: str = "") -> Calendar:
    """The :class:`Calendar` deadlines of ``agency_code`` are computed with (blank: province-wide).

    An agency without hours of its own — including a code the calendar has never heard of — uses the
    province-wide hours.
    """
    return snapshot().calendar_for(agency_code)


def working_hours_of(agency_code: str = "") -> tuple[Period, ...]:
    return snapshot().periods_for(agency_code)


# --- pages ----------------------------------------------------------------------------------------------


def days_of_year(year: int, *, include_removed: bool = False) -> QuerySet[CalendarDay]:
    """The entries of ``year``, in date order; removed ones only when asked."""
    rows = CalendarDay.objects.filter(date__year=year)
    if not include_removed:
        rows = rows.filter(is_active=True)
    return rows.order_by("date")


def years_with_entries() -> list[int]:
    return sorted({d.year for d in CalendarDay.objects.values_list("date", flat=True)})


def day_by_id(entry_id: int) -> CalendarDay | None:
    return CalendarDay.objects.filter(pk=entry_id).first()


def all_working_hours() -> QuerySet[WorkingHours]:
    return WorkingHours.objects.order_by("agency_code")


ACTION_LABELS: dict[str, object] = {
    "worktime.day.seed": _("Nạp từ thư viện holidays"),
    "worktime.day.create": _("Thêm ngày"),
    "worktime.day.update": _("Sửa ngày"),
    "worktime.day.remove": _("Bỏ ngày khỏi lịch"),
    "worktime.hours.set": _("Đặt giờ làm việc"),
    "worktime.hours.reset": _("Bỏ giờ làm việc riêng"),
}


@dataclass(frozen=True)
class Change:
    """One audited change, readable: the action and each field as (label, old, new) in Vietnamese."""

    entry: AuditEntry
    label: str
    fields: list[tuple[str, str, str]]


def _field_labels() -> dict[str, str]:
    return {f.name: str(f.verbose_name) for model in (CalendarDay, WorkingHours) for f in model._meta.fields}


def _readable(name: str, value: object) -> str:
    if value is None or value == "":
        return "—"
    if value is True:
        return str(_("Có"))
    if value is False:
        return str(_("Không"))
    if name == "kind" and isinstance(value, str) and value in DayKind.values:
        return str(DayKind(value).label)
    if name == "date" and isinstance(value, str):
        try:
            return f"{date.fromisoformat(value):%d/%m/%Y}"
        except ValueError:
            return value
    return str(value)


def describe(entries: Iterable[AuditEntry]) -> list[Change]:
    """Audit entries with a Vietnamese name for their action and their fields."""
    labels = _field_labels()
    result = []
    for e in entries:
        fields = [
            (labels.get(name, name), _readable(name, values[0]), _readable(name, values[1]))
            for name, values in (e.changes or {}).items()
            if isinstance(values, list) and len(values) == 2
        ]
        result.append(Change(e, str(ACTION_LABELS.get(e.action, e.action)), fields))
    return result


def recent_changes(limit: int = 30) -> list[Change]:
    """The latest audited changes to the calendar and the working hours, newest first."""
    rows = AuditEntry.objects.filter(
        object_type__in=[CalendarDay._meta.label_lower, WorkingHours._meta.label_lower]
    ).order_by("-id")[:limit]
    return describe(rows)


def format_periods(periods: tuple[Period, ...]) -> str:
    return ", ".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in periods)


def default_hours_row() -> tuple[time, time, time, time]:
    """The province-wide hours as four times (for pre-filling a form)."""
    periods = working_hours_of("")
    if len(periods) != 2:
        periods = DEFAULT_PERIODS
    (ms, me), (as_, ae) = periods
    return ms, me, as_, ae
