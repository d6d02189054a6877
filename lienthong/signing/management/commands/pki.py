from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lienthong.signing.pki import DEFAULT_PASSWORD, write_demo_pki


class Command(BaseCommand):
    help = (
        "Hạ tầng khóa thử nghiệm: 'pki demo THƯ_MỤC [--password MẬT_KHẨU]' tạo root-ca.pem, agency.p12 (chứng thư "
        "cơ quan) và person.p12 (chứng thư cá nhân) để phát triển và kiểm thử; không dùng cho thật."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        demo = sub.add_parser("demo", help="Tạo bộ khóa và chứng thư thử nghiệm trong THƯ_MỤC")
        demo.add_argument("directory", help="Thư mục ghi các tệp (tạo nếu chưa có)")
        demo.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help=f"Mật khẩu bảo vệ tệp .p12 (mặc định {DEFAULT_PASSWORD})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory = Path(options["directory"])
        if directory.exists() and not directory.is_dir():
            raise CommandError(f"{directory}: không phải thư mục")
        try:
            written = write_demo_pki(directory, options["password"])
        except OSError as exc:
            raise CommandError(f"{directory}: không ghi được ({exc.strerror})") from exc
        for path in written:
            self.stdout.write(str(path))
