"""Is an incoming document handled on time? — pure, importable without Django.

Dates, not moments, in Vietnam time, like the one-stop rule: a document completed on its deadline's date is
on time whatever the hour; an open one becomes overdue the day after its deadline's date.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class Timeliness(enum.StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    WITHIN_TIME = "within_time"
    OVERDUE = "overdue"


LABELS: dict[Timeliness, str] = {
    Timeliness.ON_TIME: "Đúng hạn",
    Timeliness.LATE: "Quá hạn",
    Timeliness.WITHIN_TIME: "Trong hạn",
    Timeliness.OVERDUE: "Quá hạn",
}


def vietnam_date(moment: datetime) -> date:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("the moment must be timezone-aware")
    return moment.astimezone(VN_TZ).date()


def classify(due_at: datetime | None, completed_at: datetime | None, now: datetime) -> Timeliness | None:
    """On time / late when completed; within time / overdue while open; ``None`` without a deadline."""
    if due_at is None:
        return None
    due = vietnam_date(due_at)
    if completed_at is not None:
        return Timeliness.ON_TIME if vietnam_date(completed_at) <= due else Timeliness.LATE
    return Timeliness.OVERDUE if vietnam_date(now) > due else Timeliness.WITHIN_TIME
