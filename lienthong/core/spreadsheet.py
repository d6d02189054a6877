"""Reading an uploaded table (CSV or XLSX) into rows, safely and without a database.

Imports of the directory, and later of the procedure catalogue, take files that clerks make in Excel: CSV in
UTF-8 with ``;`` or ``,``, or an XLSX workbook. The type is told by content, never by the file name; too large,
binary, non-UTF-8 or zip-bomb files are refused with a message naming the rule.
"""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any, Literal

from django.utils.translation import gettext as _

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
# A 10 MB XLSX could unpack to gigabytes (a zip bomb); a real directory sheet unpacks to a few MB.
MAX_XLSX_UNPACKED = 200 * 1024 * 1024

Format = Literal["csv", "xlsx"]


class FileRejected(Exception):
    """The file as a whole cannot be read: too big, not CSV/XLSX, not UTF-8, empty."""

    def __init__(self, message: str, rule: str) -> None:
        super().__init__(message)
        self.message, self.rule = message, rule


def detect_format(content: bytes) -> Format:
    """Tell CSV from XLSX by content, never by the file name; reject anything else."""
    if len(content) > MAX_BYTES:
        raise FileRejected(_("Tệp lớn hơn 10 MB; hãy chia thành nhiều tệp nhỏ hơn."), "file_size")
    if not content.strip():
        raise FileRejected(_("Tệp rỗng."), "file_empty")
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        message = _("Tệp Excel 97–2003 (.xls) không được hỗ trợ; hãy lưu lại dưới dạng .xlsx hoặc CSV UTF-8.")
        raise FileRejected(message, "file_type")
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                infos = archive.infolist()
        except zipfile.BadZipFile as exc:
            raise FileRejected(_("Tệp nén bị hỏng, không phải tệp XLSX đọc được."), "file_type") from exc
        if "[Content_Types].xml" not in {i.filename for i in infos}:
            raise FileRejected(_("Tệp nén không phải bảng tính XLSX."), "file_type")
        if sum(i.file_size for i in infos) > MAX_XLSX_UNPACKED:
            raise FileRejected(_("Bảng tính giải nén quá lớn (trên 200 MB)."), "file_size")
        return "xlsx"
    if b"\x00" in content:
        raise FileRejected(_("Tệp không phải CSV hay XLSX (có dữ liệu nhị phân)."), "file_type")
    try:
        content.decode("utf-8")
    except UnicodeDecodeError as exc:
        message = _("Tệp CSV phải mã hoá UTF-8 (lỗi ở dòng {line}); trong Excel chọn “CSV UTF-8”.")
        raise FileRejected(
            message.format(line=content[: exc.start].count(b"\n") + 1), "file_encoding"
        ) from exc
    return "csv"


def detect_delimiter(first_line: str) -> str:
    """``;`` (what Excel writes under Vietnamese regional settings), ``,`` or tab: the most frequent wins."""
    counts = {d: first_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(content: bytes) -> list[tuple[int, list[Any]]]:
    text = content.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=detect_delimiter(text.split("\n", 1)[0]))
    rows: list[tuple[int, list[Any]]] = []
    try:
        for line, cells in enumerate(reader, start=1):
            rows.append((line, cells))
            if line > MAX_ROWS + 1:
                break
    except csv.Error as exc:
        message = _("Tệp CSV sai cấu trúc ở dòng {line}: {reason}.").format(line=len(rows) + 1, reason=exc)
        raise FileRejected(message, "file_csv") from exc
    return rows


def _read_xlsx(content: bytes) -> list[tuple[int, list[Any]]]:
    import openpyxl  # only XLSX files need it

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds: KeyError, InvalidFileException, XML errors
        message = _("Không đọc được bảng tính XLSX: {reason}.").format(reason=exc)
        raise FileRejected(message, "file_type") from exc
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # trust the rows, not the (often wrong) stored sheet size
        rows: list[tuple[int, list[Any]]] = []
        for line, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            rows.append((line, list(cells)))
            if line > MAX_ROWS + 1:
                break
        return rows
    finally:
        workbook.close()


def read_table(content: bytes) -> list[tuple[int, list[Any]]]:
    """``(line, cells)`` for every line of the file or of its first sheet, the header being line 1."""
    rows = _read_xlsx(content) if detect_format(content) == "xlsx" else _read_csv(content)
    if len(rows) > MAX_ROWS + 1:
        message = _("Tệp có hơn {limit} dòng; hãy chia thành nhiều tệp.").format(limit=MAX_ROWS)
        raise FileRejected(message, "file_rows")
    return rows
