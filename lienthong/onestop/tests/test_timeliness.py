"""Early / on time / late and within time / overdue, by Vietnam calendar date (onestop.md)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lienthong.onestop.timeliness import (
    LABELS,
    Timeliness,
    classify,
    of_finished,
    of_open,
    vietnam_date,
)

from .helpers import vn

T = Timeliness

moments = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC)
)


# --- examples ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("finished", "expected"),
    [
        (vn(2027, 2, 18, 16, 59), T.EARLY),  # the day before
        (vn(2027, 2, 19, 7, 0), T.ON_TIME),  # the morning of the appointment date
        (vn(2027, 2, 19, 23, 59), T.ON_TIME),  # later that evening, after the appointment hour: still on time
        (vn(2027, 2, 20, 0, 0), T.LATE),  # the next date
    ],
)
def test_a_finished_dossier_is_judged_by_date_not_by_hour(finished: datetime, expected: Timeliness) -> None:
    assert of_finished(vn(2027, 2, 19, 9), finished) == expected


def test_dates_are_read_in_vietnam_time_not_utc() -> None:
    due = vn(2027, 2, 19, 9)
    # 18 Feb 2027 at 17:30 UTC is 19 Feb 00:30 in Vietnam: the appointment date, so on time, not early.
    assert of_finished(due, datetime(2027, 2, 18, 17, 30, tzinfo=UTC)) == T.ON_TIME
    assert vietnam_date(datetime(2027, 2, 18, 16, 59, tzinfo=UTC)) == date(2027, 2, 18)


@pytest.mark.parametrize(
    ("report", "expected"),
    [
        (date(2027, 2, 18), T.WITHIN_TIME),
        (date(2027, 2, 19), T.WITHIN_TIME),  # due today: still within time today
        (date(2027, 2, 20), T.OVERDUE),
    ],
)
def test_an_open_dossier_is_overdue_only_after_its_appointment_date(
    report: date, expected: Timeliness
) -> None:
    assert of_open(vn(2027, 2, 19, 9), report) == expected


def test_a_paused_dossier_is_judged_as_of_the_date_its_clock_stopped() -> None:
    due = vn(2027, 2, 19, 9)
    assert of_open(due, date(2027, 3, 1), paused_at=vn(2027, 2, 18, 10)) == T.WITHIN_TIME
    assert of_open(due, date(2027, 3, 1), paused_at=vn(2027, 2, 22, 10)) == T.OVERDUE


def test_classify_picks_finished_or_open_and_knows_dossiers_without_appointment() -> None:
    due = vn(2027, 2, 19, 9)
    assert classify(None, None, date(2027, 3, 1)) is None
    assert classify(due, vn(2027, 2, 17, 9), date(2027, 3, 1)) == T.EARLY
    # Finished after the report date: on the report date it was still open.
    assert classify(due, vn(2027, 2, 25, 9), date(2027, 2, 19)) == T.WITHIN_TIME
    assert classify(due, vn(2027, 2, 25, 9), date(2027, 2, 22)) == T.OVERDUE
    assert classify(due, None, date(2027, 2, 22)) == T.OVERDUE


def test_naive_moments_are_refused() -> None:
    with pytest.raises(ValueError):
        of_finished(datetime(2027, 2, 19, 9), vn(2027, 2, 19, 9))


def test_every_verdict_has_a_vietnamese_label() -> None:
    assert set(LABELS) == set(Timeliness)
    assert LABELS[T.ON_TIME] == "Đúng hạn"


# --- properties -------------------------------------------------------------------------------------------


@given(due=moments, finished=moments)
def test_the_finished_verdict_follows_the_order_of_the_two_vietnam_dates(
    due: datetime, finished: datetime
) -> None:
    verdict = of_finished(due, finished)
    d, f = vietnam_date(due), vietnam_date(finished)
    assert verdict == (T.EARLY if f < d else T.ON_TIME if f == d else T.LATE)


@given(
    due=moments, hours=st.integers(min_value=0, max_value=23), minutes=st.integers(min_value=0, max_value=59)
)
def test_any_moment_on_the_appointment_date_is_on_time(due: datetime, hours: int, minutes: int) -> None:
    local = due.astimezone(vn(2027, 1, 1).tzinfo)
    same_day = local.replace(hour=hours, minute=minutes, second=0, microsecond=0)
    assert of_finished(due, same_day) == T.ON_TIME


@given(due=moments, days=st.integers(min_value=0, max_value=400))
def test_an_open_dossier_never_turns_back_from_overdue(due: datetime, days: int) -> None:
    report = vietnam_date(due) + timedelta(days=days)
    if of_open(due, report) == T.OVERDUE:
        assert of_open(due, report + timedelta(days=1)) == T.OVERDUE
    assert (of_open(due, report) == T.OVERDUE) == (days >= 1)


@given(due=moments, finished=moments, report=st.dates(min_value=date(2020, 1, 1), max_value=date(2036, 1, 1)))
def test_classify_gives_a_finished_verdict_exactly_when_finished_by_the_report_date(
    due: datetime, finished: datetime, report: date
) -> None:
    verdict = classify(due, finished, report)
    finished_verdicts = {T.EARLY, T.ON_TIME, T.LATE}
    assert (verdict in finished_verdicts) == (vietnam_date(finished) <= report)
