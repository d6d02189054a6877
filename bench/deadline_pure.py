"""Deadline computations per second of the pure arithmetic (lienthong/worktime/arith.py), no database.

Beside it, in the same run, a baseline: plain ``datetime + timedelta`` on the same inputs (what a deadline
would cost if it ignored weekends, holidays and working hours). The calendar is the one the pinned ``holidays``
release gives for 2024–2030. Prints JSON.

    .venv/bin/python bench/deadline_pure.py [--seconds 2]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import holidays

from lienthong.worktime.arith import VN_TZ, add_working_days, make_calendar


def _calendar():  # type: ignore[no-untyped-def]
    vn = holidays.country_holidays("VN", years=range(2024, 2031), language="vi")
    return make_calendar(
        vn.keys(), [d for d in vn.weekend_workdays if 2024 <= d.year <= 2030], labels=dict(vn)
    )


def _inputs(count: int) -> list[tuple[datetime, int]]:
    rng = random.Random(2026)
    origin = datetime(2025, 1, 1, tzinfo=VN_TZ)
    return [
        (origin + timedelta(minutes=rng.randrange(0, 4 * 365 * 24 * 60)), rng.randrange(1, 61))
        for _ in range(count)
    ]


def _rate(
    step: Callable[[datetime, int], object], inputs: list[tuple[datetime, int]], seconds: float
) -> float:
    done, began = 0, time.perf_counter()
    while True:
        for start, days in inputs:
            step(start, days)
        done += len(inputs)
        elapsed = time.perf_counter() - began
        if elapsed >= seconds:
            return done / elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=2.0)
    args = parser.parse_args()
    cal = _calendar()
    inputs = _inputs(1000)
    deadline_rate = _rate(lambda s, n: add_working_days(cal, s, n), inputs, args.seconds)
    baseline_rate = _rate(lambda s, n: s + timedelta(days=n), inputs, args.seconds)
    print(
        json.dumps(
            {
                "benchmark": "add_working_days on the holidays-0.108 calendar, 1 to 60 working days, random starts",
                "python": sys.version.split()[0],
                "deadline_computations_per_second": round(deadline_rate),
                "baseline_datetime_plus_timedelta_per_second": round(baseline_rate),
                "ratio_to_baseline": round(deadline_rate / baseline_rate, 4),
                "microseconds_per_deadline": round(1e6 / deadline_rate, 2),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
