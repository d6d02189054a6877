"""Public deadline API: ``GET /api/v1/worktime/deadline``.

No sign-in: the due moment of a deadline is public information (portals and integrators show it). One cheap
query per call (the calendar's version token); the calendar itself stays in memory until it changes.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router, Schema

from lienthong.core.errors import DomainError

from . import arith
from .selectors import format_periods, snapshot
from .services import clean_agency_code

router = Router()

#: Largest deadlines accepted (about a year and a half); longer ones are certainly typos.
MAX_WORKING_DAYS = 365
MAX_WORKING_HOURS = MAX_WORKING_DAYS * 8
MAX_CALENDAR_DAYS = 550
FIRST_YEAR, LAST_YEAR = 1990, 2200

# "…T09:00:00 07:00": a time, then an offset whose "+" became a space in the query string.
_SPACE_FOR_PLUS = re.compile(r"([T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}(?::?\d{2})?)$")


class SkippedDay(Schema):
    date: date
    kind: str
    reason: str


class DeadlineOut(Schema):
    start: datetime
    counted_from: datetime
    due: datetime
    working_days: int | None = None
    working_hours: int | None = None
    calendar_days: int | None = None
    agency: str
    working_periods: str
    skipped: list[SkippedDay]
    calendar_years_missing: list[int]


def _bad(field: str, rule: str, message: str) -> DomainError:
    return DomainError(message, rule=rule, field=field, status=422)


def parse_start(value: str | None) -> datetime:
    """An ISO 8601 moment in Vietnam time; a moment without offset is read as Vietnam time, none is now.

    A ``+`` left unencoded in a query string arrives as a space; it is read back as ``+``.
    """
    if value is None or not value.strip():
        return arith.to_vietnam_time(timezone.now())
    text = _SPACE_FOR_PLUS.sub(r"\1+\2", value.strip())
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise _bad(
            "start", "iso8601", "Thời điểm bắt đầu phải theo ISO 8601, ví dụ 2026-02-12T09:00:00+07:00."
        ) from exc
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise _bad("start", "year_range", f"Thời điểm bắt đầu phải trong các năm {FIRST_YEAR}–{LAST_YEAR}.")
    if moment.tzinfo is None or moment.utcoffset() is None:
        moment = moment.replace(tzinfo=arith.VN_TZ)
    return arith.to_vietnam_time(moment)


def _amount(
    working_days: int | None, working_hours: int | None, calendar_days: int | None
) -> tuple[str, int]:
    given = [
        (name, value)
        for name, value in (
            ("working_days", working_days),
            ("working_hours", working_hours),
            ("calendar_days", calendar_days),
        )
        if value is not None
    ]
    if len(given) != 1:
        raise _bad(
            "working_days",
            "exactly_one",
            "Cần đúng một trong working_days, working_hours, calendar_days.",
        )
    name, value = given[0]
    limit = {
        "working_days": MAX_WORKING_DAYS,
        "working_hours": MAX_WORKING_HOURS,
        "calendar_days": MAX_CALENDAR_DAYS,
    }[name]
    if value < 0:
        raise _bad(name, "min", f"{name} không được âm.")
    if value > limit:
        raise _bad(name, "max", f"{name} tối đa là {limit}.")
    return name, value


@router.get("/deadline", response=DeadlineOut, auth=None, summary="Tính hạn theo ngày, giờ làm việc")
def deadline(
    request: HttpRequest,
    start: str | None = None,
    working_days: int | None = None,
    working_hours: int | None = None,
    calendar_days: int | None = None,
    agency: str = "",
) -> HttpResponse:
    """Hạn xử lý tính từ ``start`` (ISO 8601; không có múi giờ thì hiểu là giờ Việt Nam; bỏ trống là lúc này).

    Cho đúng một trong ``working_days`` (N ngày làm việc = N × 8 giờ làm việc: cùng giờ đó N ngày làm việc
    sau), ``working_hours`` hoặc ``calendar_days`` (N ngày theo lịch, rơi vào ngày nghỉ thì lùi đến hết ngày
    làm việc kế tiếp). Hồ sơ đến ngoài giờ làm việc được tính từ đầu buổi làm việc kế tiếp.
    ``agency`` là mã định danh cơ quan; cơ quan không có giờ làm việc riêng (kể cả mã chưa biết) dùng giờ
    chung của tỉnh. Trả về hạn theo giờ Việt Nam và các ngày nghỉ đã bỏ qua, kèm lý do.
    """
    code = clean_agency_code(agency, "agency", status=422)
    moment = parse_start(start)
    kind, amount = _amount(working_days, working_hours, calendar_days)
    data = snapshot()
    cal = data.calendar_for(code)
    if kind == "working_days":
        due = arith.add_working_days(cal, moment, amount)
    elif kind == "working_hours":
        due = arith.add_working_hours(cal, moment, amount)
    else:
        due = arith.add_calendar_days(cal, moment, amount)
    body: dict[str, object] = {
        "start": moment.isoformat(),
        "counted_from": arith.next_working_moment(cal, moment).isoformat(),
        "due": due.isoformat(),
        "working_days": None,
        "working_hours": None,
        "calendar_days": None,
        "agency": code,
        "working_periods": format_periods(cal.periods),
        "skipped": [
            {
                "date": day.isoformat(),
                "kind": kind_ if kind_ == "weekend" else data.kinds.get(day, kind_),
                "reason": reason,
            }
            for day, kind_, reason in arith.skipped_days(cal, moment, due)
        ],
        "calendar_years_missing": [y for y in range(moment.year, due.year + 1) if y not in data.years],
    }
    body[kind] = amount
    # Serialised here rather than through the response schema (which documents it): this endpoint is hot.
    return HttpResponse(json.dumps(body, ensure_ascii=False), content_type="application/json")
