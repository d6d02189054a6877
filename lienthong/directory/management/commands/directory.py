"""``lienthong directory import FILE [--dry-run]`` and ``lienthong directory export FILE [--format csv|xlsx]``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lienthong.core.errors import DomainError
from lienthong.core.spreadsheet import MAX_BYTES, Format
from lienthong.directory.exporting import export_directory
from lienthong.directory.importing import ImportResult, import_directory

# Exit codes: 0 done, 1 unreadable file, 2 bad arguments (argparse), 3 rows with errors (nothing written).
ROW_ERRORS = 3


class Command(BaseCommand):
    verbosity = 1
    help = "Danh bạ cơ quan, đơn vị: 'directory import TỆP [--dry-run]', 'directory export TỆP [--format csv|xlsx]'."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        importer = sub.add_parser(
            "import", help="Nhập từ CSV hoặc XLSX; lỗi ở bất kỳ dòng nào thì không ghi gì"
        )
        importer.add_argument("file", help="Đường dẫn tệp .csv hoặc .xlsx (loại tệp nhận theo nội dung)")
        importer.add_argument(
            "--dry-run", action="store_true", help="Chỉ kiểm tra và báo thay đổi, không ghi"
        )
        exporter = sub.add_parser("export", help="Xuất toàn bộ danh bạ ra CSV hoặc XLSX")
        exporter.add_argument("file", help="Tệp sẽ ghi; '-' ghi CSV ra màn hình")
        exporter.add_argument("--format", choices=["csv", "xlsx"], help="Mặc định theo đuôi tệp")

    def handle(self, *args: Any, **options: Any) -> None:
        self.verbosity = int(options["verbosity"])
        if options["action"] == "import":
            self._import(Path(options["file"]), dry_run=options["dry_run"])
        else:
            self._export(options["file"], options["format"])

    def _import(self, path: Path, *, dry_run: bool) -> None:
        try:
            if path.stat().st_size > MAX_BYTES:
                raise CommandError(f"{path}: tệp lớn hơn 10 MB. (File larger than 10 MB.)")
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp {path}: {exc.strerror}. (Cannot read the file.)") from exc
        try:
            result = import_directory(actor=None, content=content, dry_run=dry_run)
        except DomainError as exc:
            raise CommandError(f"{path}: {exc.message}") from exc
        for header in result.ignored_headers:
            self.stderr.write(f"Bỏ qua cột không dùng: {header}")
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{path}: {len(result.errors)} lỗi; không ghi gì vào danh bạ. "
                f"({len(result.errors)} error(s); nothing was written.)",
                returncode=ROW_ERRORS,
            )
        self.stdout.write(self._summary(result))

    def _summary(self, result: ImportResult) -> str:
        verb = "Sẽ" if result.dry_run else "Đã"
        lines = [
            f"{'[Chạy thử – không ghi] ' if result.dry_run else ''}{result.record_count} dòng: "
            f"{verb.lower()} thêm {result.created}, {verb.lower()} sửa {result.updated}, "
            f"{result.unchanged} không đổi ({result.seconds:.2f} giây)."
        ]
        if self.verbosity >= 2:
            for change in result.changes:
                action = "thêm" if change.created else "sửa"
                detail = "; ".join(
                    f"{k}: {new!r}" if change.created else f"{k}: {old!r} → {new!r}"
                    for k, (old, new) in change.changes.items()
                )
                lines.append(f"  dòng {change.line}: {action} {change.label} – {detail}")
        return "\n".join(lines)

    def _export(self, target: str, fmt: Format | None) -> None:
        if fmt is None:
            suffix = "csv" if target == "-" else Path(target).suffix.lower().lstrip(".")
            if suffix not in ("csv", "xlsx"):
                raise CommandError("Không biết định dạng: đặt đuôi .csv hoặc .xlsx, hoặc dùng --format.")
            fmt = "csv" if suffix == "csv" else "xlsx"
        content = export_directory(viewer=None, fmt=fmt)
        if target == "-":
            if fmt != "csv":
                raise CommandError("Chỉ ghi được CSV ra màn hình.")
            self.stdout.write(content.decode("utf-8-sig"), ending="")
            return
        try:
            Path(target).write_bytes(content)
        except OSError as exc:
            raise CommandError(f"Không ghi được tệp {target}: {exc.strerror}.") from exc
        self.stdout.write(f"Đã xuất danh bạ ra {target} ({len(content):,} byte).")
