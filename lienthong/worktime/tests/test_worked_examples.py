"""Deadlines around Tết 2026, Tết 2027 and the swapped days of 2025–2026, with exact expected moments.

The calendar is the one the pinned ``holidays`` 0.108 gives for Vietnam (checked against the official plan for
2025–2026; 2027 is computed by rule until announced).
"""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from lienthong.worktime import arith
from lienthong.worktime.arith import (
    PausableDeadline,
    add_calendar_days,
    add_working_days,
    add_working_hours,
    next_working_moment,
    skipped_days,
    working_dates_between,
    working_days_between,
)
from lienthong.worktime.services import library_days

from .helpers import library_calendar, vn

CAL = library_calendar()


def test_holidays_release_lists_tet_2026_as_16_to_20_february() -> None:
    days = library_days([2026])
    tet = [d for d, (_, name) in days.items() if "Tết Nguyên Đán" in name]
    assert tet == [date(2026, 2, d) for d in range(16, 21)]


def test_holidays_release_lists_the_swapped_saturdays_of_2025_and_2026() -> None:
    days = library_days([2025, 2026])
    assert days[date(2025, 4, 26)] == ("workday", "Làm việc bù cho ngày nghỉ 02/05/2025")
    assert days[date(2025, 5, 2)][0] == "day_off"
    assert days[date(2026, 8, 22)] == ("workday", "Làm việc bù cho ngày nghỉ 31/08/2026")
    assert days[date(2026, 8, 31)][0] == "day_off"
    assert days[date(2026, 4, 27)] == ("day_off", "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)")
    assert days[date(2026, 11, 24)] == ("holiday", "Ngày Văn hóa Việt Nam")


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        # Thursday before Tết 2026: Friday 13 counts, then 14–22 Feb is weekend + Tết + weekend.
        (vn(2026, 2, 12, 9), 5, vn(2026, 2, 26, 9)),
        (vn(2026, 2, 13, 9), 1, vn(2026, 2, 23, 9)),
        # Received during Tết: counting starts on the morning of Monday 23 Feb.
        (vn(2026, 2, 17, 10), 1, vn(2026, 2, 23, 17)),
        # After 17:00 on the Friday before Tết: 1 working day ends at 17:00 on the first day back.
        (vn(2026, 2, 13, 17, 30), 1, vn(2026, 2, 23, 17)),
        # Tết 2027 (4–10 Feb, computed by rule): Wednesday 3 Feb + 3 days → Monday 15 Feb.
        (vn(2027, 2, 3, 10), 3, vn(2027, 2, 15, 10)),
        (vn(2027, 2, 3, 10), 1, vn(2027, 2, 11, 10)),
        # 2025: Saturday 26 Apr is worked, 30 Apr–2 May off.
        (vn(2025, 4, 25, 15), 1, vn(2025, 4, 26, 15)),
        (vn(2025, 4, 25, 15), 3, vn(2025, 4, 29, 15)),
        (vn(2025, 4, 25, 15), 4, vn(2025, 5, 5, 15)),
        # 2026: Saturday 22 Aug is worked; 31 Aug (swapped), 1–2 Sep (National Day) off.
        (vn(2026, 8, 21, 16), 1, vn(2026, 8, 22, 16)),
        (vn(2026, 8, 28, 10), 1, vn(2026, 9, 3, 10)),
        # New Year 2026 (Thursday 1 Jan) and Hùng Kings 2026 observed on Monday 27 Apr.
        (vn(2025, 12, 31, 8), 1, vn(2026, 1, 2, 8)),
        (vn(2026, 4, 24, 14), 1, vn(2026, 4, 28, 14)),
        # Tết 2025 (27–31 Jan off): Friday 24 Jan + 2 days → Tuesday 4 Feb.
        (vn(2025, 1, 24, 9), 2, vn(2025, 2, 4, 9)),
    ],
)
def test_working_day_deadlines_around_tet_and_swapped_days(start, days, due) -> None:
    assert add_working_days(CAL, start, days) == due
    assert add_working_days(CAL, start, days).utcoffset() == timedelta(hours=7)


def test_ordinary_saturday_is_not_worked_but_the_swapped_one_is() -> None:
    assert not CAL.is_working_date(date(2025, 4, 19))
    assert CAL.is_working_date(date(2025, 4, 26))
    assert not CAL.is_working_date(date(2025, 5, 2))


def test_working_hours_skip_lunch_and_nights() -> None:
    assert add_working_hours(CAL, vn(2026, 3, 9, 10), 2) == vn(2026, 3, 9, 14)
    assert add_working_hours(CAL, vn(2026, 3, 9, 16), 2) == vn(2026, 3, 10, 8)
    assert add_working_hours(CAL, vn(2026, 2, 13, 17, 30), 4) == vn(2026, 2, 23, 11)
    # Exactly at the end of the morning: the due moment is 11:30, not 13:30.
    assert add_working_hours(CAL, vn(2026, 3, 9, 7), 4.5) == vn(2026, 3, 9, 11, 30)


def test_what_arrives_outside_working_hours_starts_at_the_next_working_moment() -> None:
    assert next_working_moment(CAL, vn(2026, 3, 9, 6)) == vn(2026, 3, 9, 7)
    assert next_working_moment(CAL, vn(2026, 3, 9, 12)) == vn(2026, 3, 9, 13, 30)
    assert next_working_moment(CAL, vn(2026, 3, 9, 17)) == vn(2026, 3, 10, 7)
    assert next_working_moment(CAL, vn(2026, 2, 13, 18)) == vn(2026, 2, 23, 7)
    assert next_working_moment(CAL, vn(2026, 3, 9, 9, 15)) == vn(2026, 3, 9, 9, 15)


def test_a_moment_in_another_time_zone_is_read_in_vietnam_time() -> None:
    from datetime import UTC, datetime

    utc = datetime(2026, 2, 12, 2, 0, tzinfo=UTC)  # 09:00 in Vietnam
    assert add_working_days(CAL, utc, 5) == vn(2026, 2, 26, 9)


def test_a_naive_moment_is_refused() -> None:
    from datetime import datetime

    with pytest.raises(ValueError, match="naive"):
        add_working_days(CAL, datetime(2026, 2, 12, 9), 1)


def test_calendar_day_deadline_is_moved_off_tet_to_the_close_of_the_next_working_day() -> None:
    assert add_calendar_days(CAL, vn(2026, 2, 10, 10), 6) == vn(2026, 2, 23, 17)
    assert add_calendar_days(CAL, vn(2026, 3, 2, 10), 15) == vn(2026, 3, 17, 17)
    # Lands on Saturday 14 Mar → Monday 16 Mar.
    assert add_calendar_days(CAL, vn(2026, 3, 2, 10), 12) == vn(2026, 3, 16, 17)


def test_counting_gives_back_the_days_added_across_tet() -> None:
    start = vn(2026, 2, 12, 9)
    assert working_days_between(CAL, start, vn(2026, 2, 26, 9)) == 5
    assert working_days_between(CAL, start, vn(2026, 2, 12, 13, 30)) == pytest.approx(0.3125)
    assert working_dates_between(CAL, date(2026, 2, 1), date(2026, 2, 28)) == 15


def test_a_year_has_the_expected_number_of_working_dates() -> None:
    # 2026: 261 weekdays, minus 13 weekday holidays and days off (1/1, 16–20/2, 27/4, 30/4, 1/5, 31/8, 1–2/9,
    # 24/11), plus the swapped Saturday 22 Aug.
    assert working_dates_between(CAL, date(2026, 1, 1), date(2026, 12, 31)) == 261 - 13 + 1


def test_skipped_days_name_tet_and_weekends() -> None:
    start = vn(2026, 2, 12, 9)
    skipped = skipped_days(CAL, start, add_working_days(CAL, start, 5))
    assert [d for d, _, _ in skipped] == [date(2026, 2, d) for d in range(14, 23)]
    assert skipped[0] == (date(2026, 2, 14), "weekend", "Thứ Bảy")
    assert skipped[3] == (date(2026, 2, 17), "day_off", "Tết Nguyên Đán")


def test_paused_clock_moves_the_due_moment_by_the_working_time_paused() -> None:
    clock = PausableDeadline(CAL, vn(2026, 3, 2, 8), 3 * CAL.day_length)
    assert clock.due() == vn(2026, 3, 5, 8)
    stopped = clock.pause(vn(2026, 3, 3, 9))
    assert stopped.is_paused and stopped.due() is None
    resumed = stopped.resume(vn(2026, 3, 5, 9))
    assert resumed.paused_time() == timedelta(hours=16)
    assert resumed.due() == vn(2026, 3, 9, 8)
    assert resumed.remaining(vn(2026, 3, 6, 17)) == timedelta(hours=1)
    assert resumed.remaining(vn(2026, 3, 9, 9)) == timedelta(hours=-1)


def test_a_pause_over_tet_costs_no_working_time() -> None:
    clock = PausableDeadline(
        CAL, vn(2026, 2, 12, 9), 5 * CAL.day_length, pauses=((vn(2026, 2, 14, 8), vn(2026, 2, 22, 20)),)
    )
    assert clock.paused_time() == timedelta(0)
    assert clock.due() == vn(2026, 2, 26, 9)


def test_a_pause_after_the_clock_ran_out_changes_nothing() -> None:
    clock = PausableDeadline(
        CAL, vn(2026, 3, 2, 8), CAL.day_length, pauses=((vn(2026, 3, 4, 8), vn(2026, 3, 6, 8)),)
    )
    assert clock.due() == vn(2026, 3, 3, 8)


def test_agency_hours_change_the_due_time() -> None:
    cal = arith.Calendar(
        CAL.days_off, CAL.working_weekend_days, ((time(7, 30), time(11, 30)), (time(13, 0), time(17, 0)))
    )
    assert cal.day_length == timedelta(hours=8)
    assert add_working_hours(cal, vn(2026, 3, 9, 11), 1) == vn(2026, 3, 9, 13, 30)
    assert add_working_days(cal, vn(2026, 2, 13, 18), 1) == vn(2026, 2, 23, 17)


def test_arith_imports_without_django() -> None:
    import subprocess
    import sys

    code = (
        "import sys, lienthong.worktime.arith as a; "
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules), 'django imported'"
    )
    env = {"PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 0, result.stderr
