"""Shared builders for the worktime tests."""

from __future__ import annotations

from datetime import datetime

from lienthong.worktime.arith import VN_TZ, Calendar, make_calendar
from lienthong.worktime.services import library_days


def vn(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A moment in Vietnam time."""
    return datetime(year, month, day, hour, minute, tzinfo=VN_TZ)


def library_calendar(first: int = 2024, last: int = 2028) -> Calendar:
    """The calendar the pinned ``holidays`` release gives, without the database."""
    days = library_days(range(first, last + 1))
    return make_calendar(
        days_off=[d for d, (kind, _) in days.items() if kind != "workday"],
        working_weekend_days=[d for d, (kind, _) in days.items() if kind == "workday"],
        labels={d: name for d, (_, name) in days.items()},
    )
