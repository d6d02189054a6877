from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lienthong.audit.models import AuditEntry
from lienthong.audit.selectors import verify_chain


def _anchor(value: str) -> tuple[int, str]:
    entry_id, sep, digest = value.partition(":")
    if not sep or not entry_id.isdigit() or len(digest) != 64:
        raise ValueError(value)
    return int(entry_id), digest


class Command(BaseCommand):
    help = "Nhật ký kiểm tra: 'audit verify' kiểm tra chuỗi băm, thoát 0 khi nguyên vẹn."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="Kiểm tra toàn bộ chuỗi băm của nhật ký")
        verify.add_argument(
            "--anchor",
            type=_anchor,
            action="append",
            default=[],
            metavar="ID:HASH",
            help="Mốc đã ghi lại bên ngoài (in ra ở lần kiểm tra trước): bản ghi ID phải còn và có đúng HASH. "
            "Phát hiện cả việc xóa phần cuối nhật ký.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count, broken = verify_chain()
        if broken is not None:
            raise CommandError(
                f"Chuỗi nhật ký bị phá vỡ tại bản ghi #{broken.entry_id}: {broken.reason}. "
                f"(Audit chain broken at entry #{broken.entry_id}.)",
                returncode=3,
            )
        for entry_id, digest in options["anchor"]:
            stored = AuditEntry.objects.filter(pk=entry_id).values_list("hash", flat=True).first()
            if stored != digest:
                state = "không còn" if stored is None else "có mã băm khác"
                raise CommandError(
                    f"Mốc #{entry_id} {state} (anchor #{entry_id} missing or changed): nhật ký đã bị cắt hoặc viết lại.",
                    returncode=4,
                )
        last = AuditEntry.objects.order_by("-id").values_list("id", "hash").first()
        self.stdout.write(f"Nhật ký nguyên vẹn: {count} bản ghi. (Audit chain intact: {count} entries.)")
        if last is not None:
            self.stdout.write(
                f"Mốc hiện tại (lưu ra ngoài để lần sau dùng với --anchor): {last[0]}:{last[1]}"
            )
