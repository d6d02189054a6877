"""Is a dossier early, on time or late? — pure, typed, importable without Django.

The rule (``onestop.md``, "On time or late") compares calendar **dates** in Vietnam time, never moments:

* a **finished** dossier is *early* (trước hạn) when it finished on a date before its appointment date, *on
  time* (đúng hạn) on the appointment date itself, whatever the hour, and *late* (quá hạn) after it;
* an **unfinished** dossier is *overdue* (quá hạn) when its appointment date lies before the report date,
  otherwise *within time* (trong hạn) — a dossier due today is still within time today.

The appointment to pass is the one that decides statistics: ``Dossier.due_at``, which moves only by the
working time the clock was stopped (supplement, payment). A later apology slip (form 04) gives the applicant
a new date but never changes the date judged here.

While the clock is stopped (``paused_at`` given), the report date is held at the date the clock stopped: a
dossier waiting for the applicant's supplement does not become overdue while it waits.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class Timeliness(enum.StrEnum):
    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"
    WITHIN_TIME = "within_time"
    OVERDUE = "overdue"


#: Vietnamese labels, as the reports and pages show them.
LABELS: dict[Timeliness, str] = {
    Timeliness.EARLY: "Trước hạn",
    Timeliness.ON_TIME: "Đúng hạn",
    Timeliness.LATE: "Quá hạn",
    Timeliness.WITHIN_TIME: "Trong hạn",
    Timeliness.OVERDUE: "Quá hạn",
}


def vietnam_date(moment: datetime) -> date:
    """The calendar date of ``moment`` in Vietnam; a naive datetime is refused."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("the moment must be timezone-aware")
    return moment.astimezone(VN_TZ).date()


def of_finished(due_at: datetime, finished_at: datetime) -> Timeliness:
    """Early / on time / late for a dossier that finished at ``finished_at`` with appointment ``due_at``."""
    due, done = vietnam_date(due_at), vietnam_date(finished_at)
    if done < due:
        return Timeliness.EARLY
    if done == due:
        return Timeliness.ON_TIME
    return Timeliness.LATE


def of_open(due_at: datetime, report_date: date, paused_at: datetime | None = None) -> Timeliness:
    """Within time / overdue for an unfinished dossier on ``report_date``.

    With ``paused_at`` (the clock stopped then and has not restarted) the judgement is made as of the date the
    clock stopped, if that comes before ``report_date``.
    """
    as_of = report_date
    if paused_at is not None:
        as_of = min(as_of, vietnam_date(paused_at))
    return Timeliness.OVERDUE if vietnam_date(due_at) < as_of else Timeliness.WITHIN_TIME


def classify(
    due_at: datetime | None,
    finished_at: datetime | None,
    report_date: date,
    paused_at: datetime | None = None,
) -> Timeliness | None:
    """The timeliness of a dossier, or ``None`` when it has no appointment (not accepted, refused at intake).

    A dossier counts as finished when ``finished_at`` is given and on or before the report date; a dossier that
    finishes after the report date was still open on it.
    """
    if due_at is None:
        return None
    if finished_at is not None and vietnam_date(finished_at) <= report_date:
        return of_finished(due_at, finished_at)
    return of_open(due_at, report_date, paused_at)


def step_timeliness(due_at: datetime, finished_at: datetime | None, now: datetime) -> Timeliness:
    """The timeliness of one internal step, judged by the **moment** (steps are counted in working hours).

    A finished step is *early* when it finished on a date before its due date, *on time* when it finished no
    later than its due moment, *late* after it; an open step is *overdue* once its due moment has passed.
    """
    if finished_at is None:
        return Timeliness.OVERDUE if now > due_at else Timeliness.WITHIN_TIME
    if finished_at > due_at:
        return Timeliness.LATE
    return Timeliness.EARLY if vietnam_date(finished_at) < vietnam_date(due_at) else Timeliness.ON_TIME
