"""``lienthong catalog import FILE [--apply]`` and ``lienthong catalog apply ID``: procedures from a national JSON
file or an XLSX/CSV sheet, with a dry run first (see ``docs/thu-tuc-nhap.md``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lienthong.catalog.importing import apply_import, preview_import
from lienthong.catalog.national import MAX_JSON_BYTES
from lienthong.core.errors import DomainError

# Exit codes: 0 done, 1 unreadable file or refused, 2 bad arguments (argparse), 3 records with errors.
RECORD_ERRORS = 3


class Command(BaseCommand):
    help = "Danh mục thủ tục hành chính: 'catalog import TỆP [--apply]', 'catalog apply SỐ'."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        importer = sub.add_parser(
            "import", help="Chạy thử nhập thủ tục từ JSON quốc gia, XLSX hoặc CSV; --apply để ghi luôn"
        )
        importer.add_argument(
            "file", help="Đường dẫn tệp .json, .xlsx hoặc .csv (loại tệp nhận theo nội dung)"
        )
        importer.add_argument("--apply", action="store_true", help="Ghi vào danh mục nếu tệp không có lỗi")
        missing = importer.add_mutually_exclusive_group()
        missing.add_argument(
            "--missing-means-cancelled",
            dest="missing",
            action="store_const",
            const=True,
            help="Thủ tục đang áp dụng mà không có trong tệp thì bãi bỏ (mặc định với JSON quốc gia)",
        )
        missing.add_argument(
            "--keep-missing",
            dest="missing",
            action="store_const",
            const=False,
            help="Chỉ bãi bỏ thủ tục mà tệp ghi là đã bãi bỏ (mặc định với XLSX/CSV)",
        )
        applier = sub.add_parser("apply", help="Áp dụng một lần nhập đã chạy thử")
        applier.add_argument("import_id", type=int, help="Số của lần nhập (in ra khi chạy thử)")

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = int(options["verbosity"])
        if options["action"] == "apply":
            self._apply(options["import_id"], verbosity)
            return
        path = Path(options["file"])
        try:
            if path.stat().st_size > MAX_JSON_BYTES:
                raise CommandError(f"{path}: tệp lớn hơn 50 MB. (File larger than 50 MB.)")
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp {path}: {exc.strerror}. (Cannot read the file.)") from exc
        try:
            imported = preview_import(
                actor=None, file_name=path.name, content=content, missing_means_cancelled=options["missing"]
            )
        except DomainError as exc:
            raise CommandError(f"{path}: {exc.message}") from exc
        report = imported.report
        self._print(report, verbosity)
        if report["counts"]["errors"]:
            raise CommandError(
                f"{path}: {report['counts']['errors']} lỗi; không ghi gì vào danh mục. "
                f"({report['counts']['errors']} error(s); nothing was written.)",
                returncode=RECORD_ERRORS,
            )
        if options["apply"]:
            self._apply(imported.pk, verbosity)
        else:
            self.stdout.write(
                f"Lần nhập số {imported.pk}. Để ghi: lienthong catalog apply {imported.pk} "
                f"(hoặc chạy lại với --apply)."
            )

    def _apply(self, import_id: int, verbosity: int) -> None:
        try:
            report = apply_import(actor=None, import_id=import_id)
        except DomainError as exc:
            raise CommandError(f"Lần nhập số {import_id}: {exc.message}") from exc
        counts = report["counts"]
        self.stdout.write(
            f"Đã áp dụng lần nhập số {import_id}: thêm {counts['new']}, sửa {counts['changed']}, "
            f"bãi bỏ {counts['cancelled']}, {counts['unchanged']} không đổi."
        )

    def _print(self, report: dict[str, Any], verbosity: int) -> None:
        counts = report["counts"]
        rule = (
            "thủ tục không có trong tệp cũng bị bãi bỏ"
            if report["missing_means_cancelled"]
            else "chỉ bãi bỏ thủ tục tệp ghi là đã bãi bỏ"
        )
        self.stdout.write(
            f"[Chạy thử – chưa ghi] {counts['records']} thủ tục trong tệp ({report['format']}): "
            f"{counts['new']} thêm mới, {counts['changed']} thay đổi, {counts['cancelled']} bãi bỏ, "
            f"{counts['unchanged']} không đổi; {counts['errors']} lỗi, {counts['warnings']} cảnh báo. "
            f"Quy tắc bãi bỏ: {rule}."
        )
        for problem in report["errors"]:
            self.stderr.write(f"LỖI {problem['text']}")
        if verbosity >= 2:
            for problem in report["warnings"]:
                self.stderr.write(f"Cảnh báo {problem['text']}")
        if verbosity < 2:
            return
        for row in report["new"]:
            self.stdout.write(f"  + {row['code']} {row['name']}")
        for row in report["changed"]:
            self.stdout.write(f"  ~ {row['code']} {row['name']}: {', '.join(row['changes'])}")
        for row in report["cancelled"]:
            reason = "không có trong tệp" if row["reason"] == "missing" else "tệp ghi đã bãi bỏ"
            self.stdout.write(f"  - {row['code']} {row['name']} ({reason})")
