"""``lienthong demo``: create or bring up to date the demo province and print its sign-ins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lienthong.core.demo import accounts_table, load_demo
from lienthong.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Tạo (hoặc cập nhật) tỉnh mẫu Sông Lam: cơ quan, đơn vị, chức vụ, cán bộ, lịch làm việc; "
        "in các tài khoản đăng nhập. Chạy lại không thay đổi gì."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = load_demo()
        except DomainError as exc:
            raise CommandError(_("Không nạp được dữ liệu mẫu: %(error)s") % {"error": exc}) from exc
        for note in report.notes:
            self.stdout.write(note)
        if report.accounts:
            self.stdout.write("")
            self.stdout.write(_("Tài khoản đăng nhập (mật khẩu mẫu dùng chung, hãy đổi khi dùng thật):"))
            self.stdout.write(accounts_table(report.accounts))
