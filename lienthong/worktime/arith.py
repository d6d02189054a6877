"""Deadline arithmetic on working days and working hours — pure, typed, importable without Django.

A :class:`Calendar` says which dates are worked and which hours of a working date count. Every function here
reads only its arguments, so the one-stop desk, the reports and the tests share one set of rules.

Rules (also in ``docs/lich-lam-viec.md``):

* **Working dates** are Monday–Friday, minus the calendar's days off (public holidays, Tết, compensatory
  days), plus the weekend dates the calendar lists as worked (a swapped Saturday).
* **Working time** runs only inside the working periods of a working date — by default 07:00–11:30 and
  13:30–17:00, eight hours a day. Moments are aware datetimes; they are read in Vietnam time
  (Asia/Ho_Chi_Minh) and every result is returned in Vietnam time. A naive datetime is refused.
* Something that **arrives outside working time** (after 17:00, at lunch, on a weekend or a holiday) starts
  counting at the next working moment: the next working morning, or 13:30 after lunch.
* **N working days** from a moment are N × (length of a working day) of working time, which on an ordinary
  day lands on the same clock time N working dates later. The one-stop receipt (form 01 of Circular
  01/2018/TT-VPCP) gives the appointment as an hour and a date, and one-stop systems in use compute it as the
  reception moment plus N × 8 working hours; we do the same. Something received at 09:00 with a 3-day
  deadline is due at 09:00 three working dates later; something received after 17:00 with a 1-day deadline
  is due at 17:00 on the next working date.
* A due moment is the **earliest** moment at which the working time is used up, so a deadline that ends
  exactly at the close of a period is given as 17:00 (or 11:30), not as 07:00 the next working morning.
* **Calendar-day deadlines** (N days, not working days) follow the Civil Code 2015, Art. 148: the term ends
  at the end of the last day, and when that day is not a working day, at the end of the next working day.
  "End of the day" is the end of its last working period (17:00), when the desk closes.
* A **pausable clock** (:class:`PausableDeadline`) stops while the applicant owes a supplement or a payment;
  the due moment moves by the working time that passed while it was stopped.

Internally every moment maps to a *position*: the working time, in microseconds, between a fixed origin and
the moment. Positions come from a closed formula over weekdays plus two binary searches in the sorted lists
of exceptions, so a deadline costs the same whether it is one day or a year away.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

Period = tuple[time, time]
#: Working hours seen in production: 07:00–11:30 and 13:30–17:00, eight hours a day.
DEFAULT_PERIODS: tuple[Period, ...] = ((time(7, 0), time(11, 30)), (time(13, 30), time(17, 0)))

_ONE_US = timedelta(microseconds=1)
_US_PER_DAY = 86_400_000_000


def _us_of(t: time) -> int:
    return ((t.hour * 60 + t.minute) * 60 + t.second) * 1_000_000 + t.microsecond


def _weekdays_before(ordinal: int) -> int:
    """How many Monday–Friday dates have a proleptic ordinal in ``[1, ordinal)`` (ordinal 1 is a Monday)."""
    days = ordinal - 1
    return days // 7 * 5 + min(days % 7, 5)


def _is_weekend_ordinal(ordinal: int) -> bool:
    return (ordinal - 1) % 7 >= 5


def to_vietnam_time(moment: datetime) -> datetime:
    """``moment`` in Vietnam time; a naive datetime is refused (say which zone you mean)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("naive datetime: give a time zone (Vietnam time is UTC+07:00)")
    return moment.astimezone(VN_TZ)


@dataclass(frozen=True)
class Calendar:
    """Which dates are worked and which hours of a working date count.

    ``days_off``: dates not worked although Monday–Friday (holidays, Tết, compensatory days; weekend dates in
    it change nothing). ``working_weekend_days``: Saturdays or Sundays that are worked (weekday dates in it
    change nothing). ``periods``: the working periods of every working date, in order, not overlapping.
    ``labels``: a name for a date (``"Tết Nguyên Đán"``), used when a result lists the days it skipped.
    """

    days_off: frozenset[date] = frozenset()
    working_weekend_days: frozenset[date] = frozenset()
    periods: tuple[Period, ...] = DEFAULT_PERIODS
    labels: Mapping[date, str] = field(default_factory=dict, compare=False, hash=False, repr=False)
    _off: tuple[int, ...] = field(init=False, repr=False, compare=False, hash=False)
    _off_set: frozenset[int] = field(init=False, repr=False, compare=False, hash=False)
    _work: tuple[int, ...] = field(init=False, repr=False, compare=False, hash=False)
    _work_set: frozenset[int] = field(init=False, repr=False, compare=False, hash=False)
    _spans: tuple[tuple[int, int], ...] = field(init=False, repr=False, compare=False, hash=False)
    _day_us: int = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        periods = tuple((a, b) for a, b in self.periods)
        if not periods:
            raise ValueError("a calendar needs at least one working period")
        spans: list[tuple[int, int]] = []
        for start, end in periods:
            if start.tzinfo is not None or end.tzinfo is not None:
                raise ValueError("working periods are wall-clock times without a time zone")
            a, b = _us_of(start), _us_of(end)
            if a >= b:
                raise ValueError(f"working period {start:%H:%M}–{end:%H:%M} must start before it ends")
            if spans and a < spans[-1][1]:
                raise ValueError("working periods must be in order and must not overlap")
            spans.append((a, b))
        off = sorted(d.toordinal() for d in self.days_off if d.weekday() < 5)
        work = sorted(d.toordinal() for d in self.working_weekend_days if d.weekday() >= 5)
        object.__setattr__(self, "periods", periods)
        object.__setattr__(self, "_off", tuple(off))
        object.__setattr__(self, "_off_set", frozenset(off))
        object.__setattr__(self, "_work", tuple(work))
        object.__setattr__(self, "_work_set", frozenset(work))
        object.__setattr__(self, "_spans", tuple(spans))
        object.__setattr__(self, "_day_us", sum(b - a for a, b in spans))

    # --- dates -------------------------------------------------------------------------------------------

    @property
    def day_length(self) -> timedelta:
        """The working time of one working date (8 hours by default)."""
        return timedelta(microseconds=self._day_us)

    def is_working_date(self, day: date) -> bool:
        return self._working(day.toordinal())

    def _working(self, ordinal: int) -> bool:
        if _is_weekend_ordinal(ordinal):
            return ordinal in self._work_set
        return ordinal not in self._off_set

    def _rank(self, ordinal: int) -> int:
        """How many working dates come before ``ordinal`` (from the origin of the proleptic calendar)."""
        return (
            _weekdays_before(ordinal)
            - bisect.bisect_left(self._off, ordinal)
            + bisect.bisect_left(self._work, ordinal)
        )

    def _kth(self, k: int) -> int:
        """The ordinal of the working date with exactly ``k`` working dates before it."""
        # Smallest x with rank(x + 1) > k. Start at the k-th weekday, correct once for the exceptions
        # before it (a working date per 7/5 calendar days), gallop to a bracket, then bisect.
        guess = 1 + k // 5 * 7 + k % 5
        guess += (k - self._rank(guess)) * 7 // 5
        step = 2
        lo = hi = guess
        while self._rank(lo + 1) > k:
            lo -= step
            step *= 2
        step = 2
        while self._rank(hi + 1) <= k:
            hi += step
            step *= 2
        # Invariant: rank(lo + 1) <= k < rank(hi + 1).
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if self._rank(mid + 1) > k:
                hi = mid
            else:
                lo = mid
        return hi

    def next_working_date(self, day: date) -> date:
        """``day`` itself when it is worked, otherwise the first working date after it."""
        return date.fromordinal(self._kth(self._rank(day.toordinal())))

    # --- moments -----------------------------------------------------------------------------------------

    def _offset(self, us: int) -> int:
        """Working time elapsed on a working date at ``us`` microseconds after midnight."""
        done = 0
        for a, b in self._spans:
            if us <= a:
                break
            done += min(us, b) - a
        return done

    def _clock_at(self, offset: int) -> int:
        """The earliest time of day (µs after midnight) at which ``offset`` > 0 of working time has elapsed."""
        for a, b in self._spans:
            length = b - a
            if offset <= length:
                return a + offset
            offset -= length
        raise AssertionError("offset beyond the working day")  # pragma: no cover

    def _position(self, moment: datetime) -> int:
        local = to_vietnam_time(moment)
        ordinal = local.toordinal()
        base = self._rank(ordinal) * self._day_us
        if not self._working(ordinal):
            return base
        return base + self._offset(_us_of(local.time()))

    def _moment(self, position: int) -> datetime:
        """The earliest moment at ``position`` (> 0): a position on a day boundary is the previous close."""
        k = -(-position // self._day_us) - 1
        offset = position - k * self._day_us
        return _at(date.fromordinal(self._kth(k)), self._clock_at(offset))


def _at(day: date, us: int) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=VN_TZ) + timedelta(microseconds=us)


def _micro(amount: timedelta) -> int:
    return amount // _ONE_US


# --- public functions -----------------------------------------------------------------------------------


def is_working_moment(calendar: Calendar, moment: datetime) -> bool:
    """True when ``moment`` lies inside a working period of a working date (both ends included)."""
    local = to_vietnam_time(moment)
    if not calendar._working(local.toordinal()):
        return False
    us = _us_of(local.time())
    return any(a <= us <= b for a, b in calendar._spans)


def next_working_moment(calendar: Calendar, moment: datetime) -> datetime:
    """When something arriving at ``moment`` starts being counted.

    ``moment`` itself inside a working period; otherwise the start of the next period: 13:30 for what arrives
    at lunch, the next working morning for what arrives after 17:00 or on a day that is not worked. A period's
    end belongs to the next period (arriving at exactly 17:00 starts the next working morning).
    """
    local = to_vietnam_time(moment)
    ordinal = local.toordinal()
    if calendar._working(ordinal):
        us = _us_of(local.time())
        for a, b in calendar._spans:
            if us < a:
                return _at(local.date(), a)
            if us < b:
                return local
        ordinal += 1
    day = date.fromordinal(calendar._kth(calendar._rank(ordinal)))
    return _at(day, calendar._spans[0][0])


def add_working_time(calendar: Calendar, start: datetime, amount: timedelta) -> datetime:
    """The earliest moment at which ``amount`` of working time has run since ``start``.

    ``amount`` zero gives :func:`next_working_moment`. Negative amounts are refused.
    """
    if amount < timedelta(0):
        raise ValueError("the working time to add must not be negative")
    if amount == timedelta(0):
        return next_working_moment(calendar, start)
    return calendar._moment(calendar._position(start) + _micro(amount))


def add_working_days(calendar: Calendar, start: datetime, days: int) -> datetime:
    """The due moment ``days`` working days after ``start``: ``days`` × the working day's length of working time.

    Received Thursday 12 Feb 2026 at 09:00 with 5 working days (Tết 16–20 Feb 2026 off) → due Thursday
    26 Feb 2026 at 09:00.
    """
    if days < 0:
        raise ValueError("the number of working days must not be negative")
    return add_working_time(calendar, start, days * calendar.day_length)


def add_working_hours(calendar: Calendar, start: datetime, hours: float) -> datetime:
    """The due moment ``hours`` working hours after ``start`` (lunch, nights and days off do not count)."""
    if hours < 0:
        raise ValueError("the number of working hours must not be negative")
    return add_working_time(calendar, start, timedelta(hours=hours))


def working_time_between(calendar: Calendar, start: datetime, end: datetime) -> timedelta:
    """Working time from ``start`` to ``end``; negative when ``end`` comes first."""
    return timedelta(microseconds=calendar._position(end) - calendar._position(start))


def working_days_between(calendar: Calendar, start: datetime, end: datetime) -> Fraction:
    """Working time from ``start`` to ``end`` in working days, exact (half a day is ``Fraction(1, 2)``)."""
    return Fraction(calendar._position(end) - calendar._position(start), calendar._day_us)


def working_hours_between(calendar: Calendar, start: datetime, end: datetime) -> Fraction:
    """Working time from ``start`` to ``end`` in hours, exact."""
    return Fraction(calendar._position(end) - calendar._position(start), 3_600_000_000)


def working_dates_between(calendar: Calendar, first: date, last: date) -> int:
    """How many working dates lie in ``[first, last]`` (0 when ``last`` comes before ``first``)."""
    if last < first:
        return 0
    return calendar._rank(last.toordinal() + 1) - calendar._rank(first.toordinal())


def non_working_dates(calendar: Calendar, first: date, last: date) -> list[date]:
    """The dates in ``[first, last]`` that are not worked (weekends, holidays, days off), in order."""
    return [
        date.fromordinal(o)
        for o in range(first.toordinal(), last.toordinal() + 1)
        if not calendar._working(o)
    ]


def end_of_working_date(calendar: Calendar, day: date) -> datetime:
    """The close of ``day``'s last working period (17:00 by default), in Vietnam time."""
    return _at(day, calendar._spans[-1][1])


def add_calendar_days(calendar: Calendar, start: datetime, days: int) -> datetime:
    """A deadline of ``days`` calendar days, moved off days that are not worked (Civil Code 2015, Art. 148).

    The term ends at the close of the date ``days`` after ``start``'s date; when that date is not worked, at
    the close of the next working date. Received 10 Feb 2026, 6 days → 16 Feb is Tết → Monday 23 Feb 17:00.
    """
    if days < 0:
        raise ValueError("the number of days must not be negative")
    last = to_vietnam_time(start).date() + timedelta(days=days)
    return end_of_working_date(calendar, calendar.next_working_date(last))


Pause = tuple[datetime, datetime | None]


def _merged_positions(
    calendar: Calendar, start_position: int, pauses: Iterable[Pause]
) -> list[tuple[int, int | None]]:
    """Pauses as position intervals from ``start_position`` on, sorted and merged; ``None`` = still open."""
    spans: list[tuple[int, int | None]] = []
    for begin, end in pauses:
        p0 = max(calendar._position(begin), start_position)
        p1 = None if end is None else calendar._position(end)
        if p1 is not None and p1 <= p0:
            continue
        spans.append((p0, p1))
    spans.sort(key=lambda s: s[0])
    merged: list[tuple[int, int | None]] = []
    for p0, p1 in spans:
        if merged and p0 <= (merged[-1][1] if merged[-1][1] is not None else p0):
            last0, last1 = merged[-1]
            merged[-1] = (last0, None if last1 is None or p1 is None else max(last1, p1))
        else:
            merged.append((p0, p1))
    return merged


@dataclass(frozen=True)
class PausableDeadline:
    """A deadline clock that stops while the applicant owes something (supplement, payment).

    ``allowance`` of working time runs from ``start``; during each pause ``(begin, end)`` the clock stands
    still, so the due moment moves by the working time the pause covered. A pause with ``end=None`` is still
    open: the clock is stopped and there is no due moment until it is resumed. Pauses may be given in any
    order and may overlap; the parts before ``start`` do not count. A pause that begins after the clock has
    already run out changes nothing (an overdue dossier does not become on time by being paused).
    """

    calendar: Calendar
    start: datetime
    allowance: timedelta
    pauses: tuple[Pause, ...] = ()

    def __post_init__(self) -> None:
        to_vietnam_time(self.start)
        if self.allowance < timedelta(0):
            raise ValueError("the allowance must not be negative")
        for begin, end in self.pauses:
            to_vietnam_time(begin)
            if end is not None and to_vietnam_time(end) < begin:
                raise ValueError("a pause must not end before it begins")

    @property
    def is_paused(self) -> bool:
        return any(end is None for _, end in self.pauses)

    def pause(self, at: datetime) -> PausableDeadline:
        """The same clock, stopped from ``at``."""
        if self.is_paused:
            raise ValueError("the clock is already stopped")
        return PausableDeadline(self.calendar, self.start, self.allowance, (*self.pauses, (at, None)))

    def resume(self, at: datetime) -> PausableDeadline:
        """The same clock, running again from ``at``."""
        opened = [i for i, (_, end) in enumerate(self.pauses) if end is None]
        if not opened:
            raise ValueError("the clock is not stopped")
        i = opened[0]
        begin = self.pauses[i][0]
        if at < begin:
            raise ValueError("the clock cannot restart before it stopped")
        pauses = (*self.pauses[:i], (begin, at), *self.pauses[i + 1 :])
        return PausableDeadline(self.calendar, self.start, self.allowance, pauses)

    def due(self) -> datetime | None:
        """The due moment, or ``None`` while the clock is stopped before running out.

        With a zero allowance the clock has run out at once: the due moment is the next working moment.
        """
        cal = self.calendar
        if self.allowance == timedelta(0):
            return next_working_moment(cal, self.start)
        origin = cal._position(self.start)
        position, remaining = origin, _micro(self.allowance)
        for p0, p1 in _merged_positions(cal, origin, self.pauses):
            if p0 > position:
                if p0 - position >= remaining:
                    break
                remaining -= p0 - position
            if p1 is None:
                return None
            position = max(position, p1)
        return cal._moment(position + remaining)

    def paused_time(self, until: datetime | None = None) -> timedelta:
        """Working time the clock stood still, from ``start`` up to ``until`` (default: all pauses so far)."""
        cal = self.calendar
        origin = cal._position(self.start)
        limit = None if until is None else cal._position(until)
        total = 0
        for p0, p1 in _merged_positions(cal, origin, self.pauses):
            end = p1 if p1 is not None else limit
            if end is None:
                continue
            if limit is not None:
                end = min(end, limit)
            total += max(0, end - p0)
        return timedelta(microseconds=total)

    def used(self, now: datetime) -> timedelta:
        """Working time the clock has run from ``start`` to ``now`` (pauses excluded)."""
        run = working_time_between(self.calendar, self.start, now)
        return max(timedelta(0), run - self.paused_time(until=now))

    def remaining(self, now: datetime) -> timedelta:
        """Working time left at ``now``; negative once overdue."""
        return self.allowance - self.used(now)


def skipped_days(calendar: Calendar, start: datetime, due: datetime) -> list[tuple[date, str, str]]:
    """The dates from ``start``'s to ``due``'s that are not worked, as ``(date, kind, label)``.

    ``kind`` is ``"weekend"`` or ``"day_off"``; the label is the calendar's name for the date when it has one,
    otherwise the day of the week in Vietnamese.
    """
    first, last = to_vietnam_time(start).date(), to_vietnam_time(due).date()
    result: list[tuple[date, str, str]] = []
    for day in non_working_dates(calendar, first, last):
        weekend = day.weekday() >= 5
        default = ("Thứ Bảy" if day.weekday() == 5 else "Chủ nhật") if weekend else "Ngày nghỉ"
        label = calendar.labels.get(day, default)
        result.append((day, "weekend" if weekend and day not in calendar.days_off else "day_off", label))
    return result


def make_calendar(
    days_off: Iterable[date] = (),
    working_weekend_days: Iterable[date] = (),
    periods: Sequence[Period] = DEFAULT_PERIODS,
    labels: Mapping[date, str] | None = None,
) -> Calendar:
    """A :class:`Calendar` from any iterables (a convenience for callers and tests)."""
    return Calendar(frozenset(days_off), frozenset(working_weekend_days), tuple(periods), dict(labels or {}))
