from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lienthong.audit.selectors import verify_chain


class Command(BaseCommand):
    help = "Nhật ký kiểm tra: 'audit verify' kiểm tra chuỗi băm, thoát 0 khi nguyên vẹn."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="Kiểm tra toàn bộ chuỗi băm của nhật ký")

    def handle(self, *args: Any, **options: Any) -> None:
        count, broken = verify_chain()
        if broken is not None:
            raise CommandError(
                f"Chuỗi nhật ký bị phá vỡ tại bản ghi #{broken.entry_id}: {broken.reason}. "
                f"(Audit chain broken at entry #{broken.entry_id}.)",
                returncode=3,
            )
        self.stdout.write(f"Nhật ký nguyên vẹn: {count} bản ghi. (Audit chain intact: {count} entries.)")
