from __future__ import annotations

import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from lienthong.core.errors import DomainError
from lienthong.worktime.services import SEED_SOURCE, seed_calendar


def parse_years(text: str) -> list[int]:
    """``2025-2030``, ``2026`` or ``2025,2027`` as a sorted list of years."""
    years: set[int] = set()
    for part in text.split(","):
        part = part.strip()
        match = re.fullmatch(r"(\d{4})(?:\s*-\s*(\d{4}))?", part)
        if not match:
            raise ValueError(f"'{part}' không phải năm hoặc khoảng năm (ví dụ 2025-2030)")
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if last < first:
            raise ValueError(f"khoảng năm '{part}' bị ngược")
        years.update(range(first, last + 1))
    return sorted(years)


def default_years() -> str:
    this_year = timezone.localdate().year
    return f"{this_year - 1}-{this_year + 4}"


class Command(BaseCommand):
    help = (
        "Lịch làm việc: 'calendar seed [--years 2025-2030]' nạp ngày lễ, ngày nghỉ bù, ngày làm bù từ thư viện "
        f"holidays ({SEED_SOURCE}); chạy lại không đổi gì, không ghi đè mục quản trị viên đã sửa."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        seed = sub.add_parser(
            "seed", help="Nạp lịch từ thư viện holidays (không ghi đè mục quản trị viên đã sửa)"
        )
        seed.add_argument(
            "--years",
            default=None,
            help="Năm hoặc khoảng năm, ví dụ 2025-2030 hoặc 2026,2027 (mặc định: năm trước đến 4 năm sau)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            years = parse_years(options["years"] or default_years())
        except ValueError as exc:
            raise CommandError(f"--years: {exc}") from exc
        try:
            report = seed_calendar(years)
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Lịch {years[0]}–{years[-1]} ({SEED_SOURCE}): thêm {len(report.created)}, "
            f"cập nhật {len(report.updated)}, gỡ {len(report.retired)}, giữ nguyên {report.unchanged}, "
            f"giữ bản quản trị viên đã sửa {len(report.kept_admin)}."
        )
