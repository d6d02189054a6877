"""Every change to the working-day calendar: seeding from ``holidays``, an administrator's edits, working hours.

Each function is one business action: atomic, audited, renewing the calendar's version stamp, and raising
:class:`DomainError` naming the field and the rule on bad input. Edits need a system administrator
(``is_superuser``); seeding runs as the system (``actor=None``) from the command line or the demo loader.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, time
from importlib.metadata import version
from typing import Any, Protocol

from django.db import transaction

from lienthong.audit.services import diff, record
from lienthong.core.errors import DomainError, NotFound, PermissionDenied

from .models import ADMIN_SOURCE, CalendarDay, CalendarVersion, DayKind, WorkingHours
from .selectors import forget_cached_calendar

#: ``source`` of the entries written by :func:`seed_calendar`.
SEED_SOURCE = f"holidays-{version('holidays')}"
#: Years an entry may fall in (a typo such as 20266 is refused rather than stored).
FIRST_YEAR, LAST_YEAR = 2000, 2100
#: Shape of an agency code as the directory stores it (``000.00.00.H56``); checked loosely, the calendar
#: does not know which agencies exist.
_AGENCY_CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.\-_]{0,31}$")

DAY_FIELDS = ["date", "kind", "name", "source", "is_active"]
HOURS_FIELDS = ["agency_code", "morning_start", "morning_end", "afternoon_start", "afternoon_end"]


class Actor(Protocol):
    pk: Any
    is_superuser: bool

    def get_username(self) -> str: ...


def _snapshot(obj: CalendarDay | WorkingHours, fields: list[str]) -> dict[str, Any]:
    # Times as ISO text: the audit log stores JSON.
    values = {name: getattr(obj, name) for name in fields}
    return {name: v.isoformat() if isinstance(v, time) else v for name, v in values.items()}


def _lock_calendar() -> None:
    """Serialise writers of the calendar on the version row (PostgreSQL row lock; SQLite writes one at a time).

    Two administrators adding the same date, or two seeds run at once, then meet in order: the second sees
    the first's row and answers "already there" instead of failing on the unique index.
    """
    CalendarVersion.objects.select_for_update().get_or_create(pk=1, defaults={"token": uuid.uuid4().hex})


def _touch() -> None:
    """Renew the version stamp so every app server rebuilds its cached calendar; this one at once."""
    CalendarVersion.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4().hex})
    transaction.on_commit(forget_cached_calendar)


def _require_admin(actor: Actor | None) -> Actor:
    if actor is None or not getattr(actor, "is_superuser", False):
        raise PermissionDenied("Chỉ quản trị hệ thống được sửa lịch làm việc.", rule="system_admin_required")
    return actor


# --- seeding --------------------------------------------------------------------------------------------


@dataclass
class SeedReport:
    """What :func:`seed_calendar` did, by date."""

    years: list[int]
    created: list[date] = field(default_factory=list)
    updated: list[date] = field(default_factory=list)
    retired: list[date] = field(default_factory=list)
    kept_admin: list[date] = field(default_factory=list)
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.retired)


def library_days(years: Iterable[int]) -> dict[date, tuple[str, str]]:
    """What the pinned ``holidays`` release says for Vietnam: ``{date: (kind, Vietnamese name)}``.

    Holidays of the Labour Code are ``holiday``; compensatory and swapped days off are ``day_off`` (the days
    the library adds by its observed rules or lists as substituted); Saturdays worked in exchange
    (``weekend_workdays``) are ``workday``, named after the day off they pay for.
    """
    import holidays

    wanted = sorted(set(years))
    if not wanted:
        return {}
    full = holidays.country_holidays("VN", years=wanted, language="vi")
    plain = holidays.country_holidays("VN", years=wanted, language="vi", observed=False)
    result: dict[date, tuple[str, str]] = {}
    for day, name in sorted(full.items()):
        if day.year not in wanted:
            continue
        substituted = day in plain and name.startswith("Ngày nghỉ (thay cho")
        kind = DayKind.HOLIDAY if day in plain and not substituted else DayKind.DAY_OFF
        result[day] = (str(kind), name)
    for day in sorted(full.weekend_workdays):
        if day.year not in wanted:
            continue
        stamp = f"{day:%d/%m/%Y}"
        paid = [d for d, (_, name) in result.items() if stamp in name]
        name = f"Làm việc bù cho ngày nghỉ {paid[0]:%d/%m/%Y}" if paid else "Ngày làm việc bù"
        result[day] = (str(DayKind.WORKDAY), name)
    return dict(sorted(result.items()))


@transaction.atomic
def seed_calendar(years: Iterable[int], *, actor: Actor | None = None) -> SeedReport:
    """Bring the calendar of ``years`` in line with the pinned ``holidays`` release. Safe to run again.

    Creates what is missing, updates entries it seeded itself when the library says otherwise, retires its
    own entries the library no longer lists, and never touches an entry an administrator created, edited
    or removed (``source == "admin"``). Every change is audited; nothing changes on a second run.
    """
    wanted = sorted(set(years))
    for year in wanted:
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise DomainError(
                f"Năm {year} nằm ngoài khoảng {FIRST_YEAR}–{LAST_YEAR}.", rule="year_range", field="years"
            )
    report = SeedReport(years=wanted)
    if not wanted:
        return report
    _lock_calendar()
    desired = library_days(wanted)
    existing = {
        day.date: day
        for day in CalendarDay.objects.select_for_update().filter(date__year__in=wanted).order_by("date")
    }
    for day, (kind, name) in desired.items():
        entry = existing.get(day)
        if entry is None:
            entry = CalendarDay.objects.create(date=day, kind=kind, name=name, source=SEED_SOURCE)
            record(
                actor=actor,
                action="worktime.day.seed",
                obj=entry,
                changes=diff({}, _snapshot(entry, DAY_FIELDS)),
            )
            report.created.append(day)
            continue
        if entry.source == ADMIN_SOURCE:
            report.kept_admin.append(day)
            continue
        before = _snapshot(entry, DAY_FIELDS)
        entry.kind, entry.name, entry.source, entry.is_active = kind, name, SEED_SOURCE, True
        changes = diff(before, _snapshot(entry, DAY_FIELDS))
        if changes:
            entry.save()
            record(actor=actor, action="worktime.day.seed", obj=entry, changes=changes)
            report.updated.append(day)
        else:
            report.unchanged += 1
    for day, entry in existing.items():
        if day in desired or entry.source == ADMIN_SOURCE or not entry.is_active:
            continue
        entry.is_active = False
        entry.save()
        record(actor=actor, action="worktime.day.seed", obj=entry, changes={"is_active": [True, False]})
        report.retired.append(day)
    if report.changed:
        _touch()
    return report


# --- an administrator's edits ---------------------------------------------------------------------------


def _clean_day(day: Any, kind: Any, name: Any) -> tuple[date, str, str]:
    if not isinstance(day, date):
        raise DomainError("Ngày không hợp lệ.", rule="date", field="date")
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise DomainError(
            f"Ngày phải nằm trong các năm {FIRST_YEAR}–{LAST_YEAR}.", rule="year_range", field="date"
        )
    if kind not in DayKind.values:
        raise DomainError("Loại ngày không hợp lệ.", rule="choice", field="kind")
    name = (name or "").strip()
    if not name:
        raise DomainError("Cần nêu tên hoặc lý do của ngày.", rule="required", field="name")
    if len(name) > 200:
        raise DomainError("Tên, lý do dài quá 200 ký tự.", rule="max_length", field="name")
    if kind == DayKind.WORKDAY and day.weekday() < 5:
        raise DomainError(
            "Ngày làm việc bù phải là thứ Bảy hoặc Chủ nhật (ngày thường vốn đã là ngày làm việc).",
            rule="workday_on_weekend",
            field="kind",
        )
    return day, str(kind), name


@transaction.atomic
def add_day(*, actor: Actor, day: date, kind: str, name: str) -> CalendarDay:
    """Add a holiday, a day off or a worked weekend day. A date the administrator removed comes back."""
    _require_admin(actor)
    day, kind, name = _clean_day(day, kind, name)
    _lock_calendar()
    entry = CalendarDay.objects.select_for_update().filter(date=day).first()
    if entry is not None and entry.is_active:
        raise DomainError(
            f"Ngày {day:%d/%m/%Y} đã có trong lịch ({entry.name}); hãy sửa mục đó.",
            rule="duplicate_date",
            field="date",
            status=409,
        )
    if entry is None:
        entry = CalendarDay.objects.create(date=day, kind=kind, name=name, source=ADMIN_SOURCE)
        changes = diff({}, _snapshot(entry, DAY_FIELDS))
    else:
        before = _snapshot(entry, DAY_FIELDS)
        entry.kind, entry.name, entry.source, entry.is_active = kind, name, ADMIN_SOURCE, True
        entry.save()
        changes = diff(before, _snapshot(entry, DAY_FIELDS))
    record(actor=actor, action="worktime.day.create", obj=entry, changes=changes)
    _touch()
    return entry


def _locked_day(entry_id: int) -> CalendarDay:
    _lock_calendar()
    entry = CalendarDay.objects.select_for_update().filter(pk=entry_id).first()
    if entry is None:
        raise NotFound("Không có ngày này trong lịch.")
    return entry


@transaction.atomic
def update_day(*, actor: Actor, entry_id: int, kind: str, name: str) -> CalendarDay:
    """Change the kind or the name of an entry; it becomes the administrator's (the seed leaves it alone).

    The date itself does not change: to move a day, remove it and add the new date, so the seed does not
    bring the old date back.
    """
    _require_admin(actor)
    entry = _locked_day(entry_id)
    if not entry.is_active:
        raise DomainError(
            "Mục này đã bị xóa; hãy thêm lại ngày đó.", rule="removed", field="date", status=409
        )
    _, kind, name = _clean_day(entry.date, kind, name)
    before = _snapshot(entry, DAY_FIELDS)
    entry.kind, entry.name, entry.source = kind, name, ADMIN_SOURCE
    changes = diff(before, _snapshot(entry, DAY_FIELDS))
    if not changes:
        return entry
    entry.save()
    record(actor=actor, action="worktime.day.update", obj=entry, changes=changes)
    _touch()
    return entry


@transaction.atomic
def remove_day(*, actor: Actor, entry_id: int) -> CalendarDay:
    """Take a date out of the calendar (it becomes an ordinary day). The entry is kept, inactive, with its
    history, and the seed will not recreate it."""
    _require_admin(actor)
    entry = _locked_day(entry_id)
    if not entry.is_active:
        return entry
    before = _snapshot(entry, DAY_FIELDS)
    entry.is_active, entry.source = False, ADMIN_SOURCE
    entry.save()
    record(
        actor=actor,
        action="worktime.day.remove",
        obj=entry,
        changes=diff(before, _snapshot(entry, DAY_FIELDS)),
    )
    _touch()
    return entry


# --- working hours --------------------------------------------------------------------------------------


def clean_agency_code(value: Any, field_name: str = "agency_code", status: int = 400) -> str:
    """A stripped agency code, ``""`` for the province-wide default; refuses what cannot be a code."""
    code = (value or "").strip()
    if code and not _AGENCY_CODE.match(code):
        raise DomainError(
            "Mã định danh cơ quan sai định dạng (tối đa 32 ký tự chữ, số, dấu chấm; ví dụ 000.00.00.H56).",
            rule="agency_code",
            field=field_name,
            status=status,
        )
    return code


@transaction.atomic
def set_working_hours(
    *,
    actor: Actor,
    agency_code: str,
    morning_start: time,
    morning_end: time,
    afternoon_start: time,
    afternoon_end: time,
) -> WorkingHours:
    """Set the working hours of an agency (or, with a blank code, of the whole province)."""
    _require_admin(actor)
    code = clean_agency_code(agency_code)
    values = {
        "morning_start": morning_start,
        "morning_end": morning_end,
        "afternoon_start": afternoon_start,
        "afternoon_end": afternoon_end,
    }
    for name, value in values.items():
        if not isinstance(value, time):
            raise DomainError("Giờ không hợp lệ (dạng HH:MM).", rule="time", field=name)
        if value.tzinfo is not None:
            raise DomainError("Giờ làm việc không kèm múi giờ.", rule="time", field=name)
    if not morning_start < morning_end:
        raise DomainError("Giờ bắt đầu buổi sáng phải trước giờ kết thúc.", rule="order", field="morning_end")
    if not morning_end <= afternoon_start:
        raise DomainError(
            "Buổi chiều phải bắt đầu sau khi buổi sáng kết thúc.", rule="order", field="afternoon_start"
        )
    if not afternoon_start < afternoon_end:
        raise DomainError(
            "Giờ bắt đầu buổi chiều phải trước giờ kết thúc.", rule="order", field="afternoon_end"
        )
    _lock_calendar()
    hours = WorkingHours.objects.select_for_update().filter(agency_code=code).first()
    before: dict[str, Any] = {} if hours is None else _snapshot(hours, HOURS_FIELDS)
    if hours is None:
        hours = WorkingHours(agency_code=code)
    for name, value in values.items():
        setattr(hours, name, value)
    changes = diff(before, _snapshot(hours, HOURS_FIELDS))
    if not changes:
        return hours
    hours.save()
    record(actor=actor, action="worktime.hours.set", obj=hours, changes=changes, agency_code=code)
    _touch()
    return hours


@transaction.atomic
def reset_working_hours(*, actor: Actor, agency_code: str) -> None:
    """Drop an agency's own hours (it uses the province-wide hours again); with a blank code, drop the
    province-wide row (07:00–11:30, 13:30–17:00 apply again)."""
    _require_admin(actor)
    code = clean_agency_code(agency_code)
    _lock_calendar()
    hours = WorkingHours.objects.select_for_update().filter(agency_code=code).first()
    if hours is None:
        raise NotFound("Không có giờ làm việc riêng cho mã này.")
    record(
        actor=actor,
        action="worktime.hours.reset",
        obj=hours,
        changes=diff(_snapshot(hours, HOURS_FIELDS), {}),
        agency_code=code,
    )
    hours.delete()
    _touch()
