"""Laws of the deadline arithmetic, checked by hypothesis against random calendars and moments.

A slow day-by-day reference implementation written independently of the closed formulas serves as the oracle.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from lienthong.worktime.arith import (
    DEFAULT_PERIODS,
    VN_TZ,
    Calendar,
    PausableDeadline,
    add_calendar_days,
    add_working_days,
    add_working_time,
    is_working_moment,
    make_calendar,
    next_working_moment,
    non_working_dates,
    working_dates_between,
    working_days_between,
    working_time_between,
)

FIRST, LAST = date(2025, 1, 1), date(2026, 12, 31)
# Each law is checked on 100 random cases; no per-example deadline (the oracle is slow on long spans).
laws = settings(deadline=None, max_examples=100)

dates = st.dates(min_value=FIRST, max_value=LAST)


@st.composite
def periods(draw: st.DrawFn) -> tuple[tuple[time, time], ...]:
    if draw(st.booleans()):
        return DEFAULT_PERIODS
    count = draw(st.integers(1, 3))
    marks = sorted(draw(st.sets(st.integers(0, 1439), min_size=2 * count, max_size=2 * count)))
    as_time = [time(m // 60, m % 60) for m in marks]
    return tuple((as_time[i], as_time[i + 1]) for i in range(0, len(as_time), 2))


@st.composite
def calendars(draw: st.DrawFn) -> Calendar:
    off = draw(st.lists(dates, max_size=60))
    work = [d for d in draw(st.lists(dates, max_size=20)) if d.weekday() >= 5]
    # A long run of days off, like Tết, now and then.
    if draw(st.booleans()):
        first = draw(dates)
        off += [first + timedelta(days=i) for i in range(draw(st.integers(1, 12)))]
    return make_calendar(off, work, draw(periods()))


moments = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2026, 6, 30), timezones=st.sampled_from([VN_TZ, UTC])
)
amounts = st.integers(0, 60 * 8 * 40).map(lambda m: timedelta(minutes=m))


# --- the oracle -----------------------------------------------------------------------------------------


def _day_periods(cal: Calendar, day: date) -> list[tuple[datetime, datetime]]:
    if not (day.weekday() < 5 and day not in cal.days_off) and day not in cal.working_weekend_days:
        return []
    if day.weekday() >= 5 and day not in cal.working_weekend_days:
        return []
    return [
        (datetime.combine(day, a, tzinfo=VN_TZ), datetime.combine(day, b, tzinfo=VN_TZ))
        for a, b in cal.periods
    ]


def ref_add(cal: Calendar, start: datetime, amount: timedelta) -> datetime:
    start = start.astimezone(VN_TZ)
    remaining, day = amount, start.date()
    while True:
        for a, b in _day_periods(cal, day):
            begin = max(a, start)
            if begin >= b:
                continue
            if b - begin >= remaining:
                return begin + remaining
            remaining -= b - begin
        day += timedelta(days=1)


def ref_between(cal: Calendar, start: datetime, end: datetime) -> timedelta:
    if end < start:
        return -ref_between(cal, end, start)
    start, end = start.astimezone(VN_TZ), end.astimezone(VN_TZ)
    total, day = timedelta(0), start.date()
    while day <= end.date():
        for a, b in _day_periods(cal, day):
            total += max(timedelta(0), min(b, end) - max(a, start))
        day += timedelta(days=1)
    return total


# --- laws -----------------------------------------------------------------------------------------------


@laws
@given(calendars(), moments, amounts)
def test_adding_then_counting_gives_back_the_amount(cal, start, amount) -> None:
    assert working_time_between(cal, start, add_working_time(cal, start, amount)) == amount


@laws
@given(calendars(), moments, st.integers(0, 40))
def test_adding_working_days_then_counting_gives_back_n(cal, start, n) -> None:
    assert working_days_between(cal, start, add_working_days(cal, start, n)) == n


@laws
@given(calendars(), moments, amounts)
def test_add_matches_the_day_by_day_reference(cal, start, amount) -> None:
    assume(amount > timedelta(0))
    assert add_working_time(cal, start, amount) == ref_add(cal, start, amount)


@laws
@given(calendars(), moments, moments)
def test_count_matches_the_day_by_day_reference(cal, a, b) -> None:
    assert working_time_between(cal, a, b) == ref_between(cal, a, b)


@laws
@given(calendars(), moments, amounts)
def test_a_due_moment_is_always_inside_working_hours_of_a_working_day(cal, start, amount) -> None:
    due = add_working_time(cal, start, amount)
    assert is_working_moment(cal, due)
    assert cal.is_working_date(due.date())
    assert due.tzinfo is VN_TZ
    assert due >= start


@laws
@given(calendars(), moments)
def test_next_working_moment_is_working_and_costs_no_working_time(cal, moment) -> None:
    begin = next_working_moment(cal, moment)
    assert begin >= moment
    assert is_working_moment(cal, begin)
    assert working_time_between(cal, moment, begin) == timedelta(0)
    # It is the start of a period unless the moment was already inside one.
    local = begin.time()
    assert begin == moment or any(local == a for a, _ in cal.periods)


@laws
@given(calendars(), moments, moments, amounts)
def test_later_start_never_gives_an_earlier_due_moment(cal, s1, s2, amount) -> None:
    early, late = sorted([s1, s2])
    assert add_working_time(cal, early, amount) <= add_working_time(cal, late, amount)


@laws
@given(calendars(), moments, amounts, amounts)
def test_more_time_never_gives_an_earlier_due_moment(cal, start, a, b) -> None:
    small, big = sorted([a, b])
    assert add_working_time(cal, start, small) <= add_working_time(cal, start, big)


@laws
@given(calendars(), moments, amounts, amounts)
def test_adding_in_two_steps_equals_adding_at_once(cal, start, a, b) -> None:
    assume(a > timedelta(0) and b > timedelta(0))
    assert add_working_time(cal, add_working_time(cal, start, a), b) == add_working_time(cal, start, a + b)


@laws
@given(calendars(), dates, st.integers(0, 2), st.integers(1, 10**12), st.integers(1, 30))
def test_working_days_keep_the_clock_time_when_received_inside_a_period(cal, day, index, pick, n) -> None:
    day = cal.next_working_date(day)
    a, b = cal.periods[index % len(cal.periods)]
    begin = datetime.combine(day, a, tzinfo=VN_TZ)
    length_us = (datetime.combine(day, b) - datetime.combine(day, a)) // timedelta(microseconds=1)
    start = begin + timedelta(microseconds=1 + pick % (length_us - 1))
    due = add_working_days(cal, start, n)
    assert due.time() == start.time()
    assert working_dates_between(cal, day + timedelta(days=1), due.date()) == n


@laws
@given(calendars(), dates, dates)
def test_working_and_non_working_dates_partition_a_range(cal, a, b) -> None:
    first, last = sorted([a, b])
    span = (last - first).days + 1
    assert working_dates_between(cal, first, last) + len(non_working_dates(cal, first, last)) == span


@laws
@given(calendars(), moments, st.integers(0, 60))
def test_calendar_day_deadline_lands_on_the_first_working_date_on_or_after_the_term(cal, start, n) -> None:
    due = add_calendar_days(cal, start, n)
    term = start.astimezone(VN_TZ).date() + timedelta(days=n)
    assert cal.is_working_date(due.date())
    assert due.date() >= term
    assert non_working_dates(cal, term, due.date() - timedelta(days=1)) == [
        term + timedelta(days=i) for i in range((due.date() - term).days)
    ]
    assert due.time() == cal.periods[-1][1]


pauses = st.lists(st.tuples(moments, st.integers(0, 60 * 24 * 20)), max_size=4).map(
    lambda items: tuple((begin, begin + timedelta(minutes=m)) for begin, m in items)
)


def ref_clock_due(cal: Calendar, start: datetime, allowance: timedelta, stops) -> datetime:
    spans = sorted((max(b, start), e) for b, e in stops if e > max(b, start))
    merged: list[list[datetime]] = []
    for b, e in spans:
        if merged and b <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([b, e])
    cursor, remaining = start, allowance
    for b, e in merged:
        if b > cursor:
            available = ref_between(cal, cursor, b)
            if available >= remaining:
                break
            remaining -= available
        cursor = max(cursor, e)
    return ref_add(cal, cursor, remaining)


@laws
@given(calendars(), moments, amounts, pauses)
def test_paused_clock_matches_the_reference_and_never_gives_an_earlier_due_moment(
    cal, start, allowance, stops
) -> None:
    assume(allowance > timedelta(0))
    clock = PausableDeadline(cal, start, allowance, stops)
    due = clock.due()
    assert due is not None
    assert due == ref_clock_due(cal, start, allowance, stops)
    assert due >= add_working_time(cal, start, allowance)
    assert clock.used(due) == allowance
    assert clock.remaining(due) == timedelta(0)


@laws
@given(calendars(), moments, amounts, st.integers(0, 10**12))
def test_an_open_pause_before_the_clock_runs_out_stops_it(cal, start, allowance, pick) -> None:
    assume(allowance > timedelta(0))
    stop = add_working_time(
        cal, start, timedelta(microseconds=pick % (allowance // timedelta(microseconds=1)))
    )
    clock = PausableDeadline(cal, start, allowance).pause(stop)
    assert clock.due() is None
    assert clock.resume(stop).due() == add_working_time(cal, start, allowance)
