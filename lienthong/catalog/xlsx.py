"""The procedure catalogue as a sheet (XLSX or CSV) that a clerk fills in: one row per procedure — no database.

Row 1 holds the headers (:data:`COLUMNS`, matched without regard to case, diacritics or punctuation; the English
keys work too). Columns that hold lists put one item per line of the cell (Alt+Enter in Excel), the parts of an
item separated by ``|``:

- Thành phần hồ sơ: ``Tên giấy tờ | bản chính | bản sao | bắt buộc | mẫu đơn (URL) | loại tệp`` — only the name
  is needed; ``Tờ khai | 1 | 0 | có | https://…/to-khai.docx | pdf, docx``;
- Phí, lệ phí: ``Trường hợp | số tiền | loại`` — ``Cấp mới | 50.000``, ``Cấp lại | 25.000 | phí``; a line with
  only an amount (``50.000`` or ``Miễn phí``) is one fixed amount;
- Kết quả: ``Tên | giấy hoặc điện tử``; Căn cứ pháp lý: ``Số hiệu | Tên văn bản``;
- Cấp thực hiện and Cơ quan thực hiện: items separated by lines, commas or semicolons.

A column left out of the sheet keeps what the catalogue holds (a new procedure needs at least the code, name,
field and processing time). :func:`write_table` writes the same layout, so an exported sheet imports back to
the same records. The format is described for clerks in ``docs/thu-tuc-nhap.md``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _

from lienthong.core import spreadsheet
from lienthong.core.text import fold, nfc

from .incoming import (
    COMPONENT_OPTIONAL,
    FIELD_NAME_LIMIT,
    NAME_LIMIT,
    ImportFileError,
    ParsedRecord,
    ParseResult,
    RecordProblem,
    date_of,
    dedupe,
    money_of,
    number_of,
    online_level_of,
    status_of,
    tier_of,
    time_unit_of,
)
from .record import Component, Fee, LegalBasis, ProcedureRecord, Result


@dataclass(frozen=True)
class Column:
    key: str  # the ProcedureRecord field, also accepted as a header
    header: str  # Vietnamese header (part of the file format, so not translated)
    aliases: tuple[str, ...] = ()


COLUMNS: tuple[Column, ...] = (
    Column("code", "Mã thủ tục", ("ma tthc", "matthc")),
    Column("name", "Tên thủ tục", ("ten tthc", "tentthc")),
    Column("field_code", "Mã lĩnh vực", ("malinhvuc",)),
    Column("field_name", "Tên lĩnh vực", ("linh vuc", "tenlinhvuc")),
    Column("processing_value", "Thời hạn giải quyết", ("thoi han",)),
    Column("processing_unit", "Đơn vị thời hạn", ("don vi tinh", "don vi thoi gian")),
    Column("processing_note", "Ghi chú thời hạn", ("mo ta thoi han",)),
    Column("tiers", "Cấp thực hiện", ("cap",)),
    Column("agencies", "Cơ quan thực hiện", ("ma co quan thuc hien",)),
    Column("receiving_agency", "Cơ quan tiếp nhận", ("noi tiep nhan",)),
    Column("online_level", "Mức độ trực tuyến", ("muc do",)),
    Column("status", "Trạng thái", ("tinh trang",)),
    Column("effective_from", "Hiệu lực từ", ("ngay hieu luc",)),
    Column("effective_to", "Hiệu lực đến", ("ngay het hieu luc",)),
    Column("fees", "Phí, lệ phí", ("le phi", "phi")),
    Column("components", "Thành phần hồ sơ", ("giay to",)),
    Column("steps", "Trình tự thực hiện", ("trinh tu",)),
    Column("eligibility", "Yêu cầu, điều kiện", ("yeu cau", "dieu kien")),
    Column("results", "Kết quả", ("ket qua thuc hien",)),
    Column("legal_basis", "Căn cứ pháp lý", ("can cu",)),
)
HEADER = {c.key: c.header for c in COLUMNS}
REQUIRED_FOR_NEW = ("name", "field_code", "field_name", "processing_value")
# An empty cell in these columns keeps what the catalogue holds (a new procedure: the default); an empty cell in
# any other column clears the value.
KEEP_WHEN_EMPTY = ("processing_value", "processing_unit", "tiers", "agencies", "online_level", "status")

UNIT_WORDS = {"working_days": "ngày làm việc", "working_hours": "giờ làm việc", "calendar_days": "ngày"}
LEVEL_WORDS = {"full": "Toàn trình", "partial": "Một phần", "info": "Cung cấp thông tin"}
STATUS_WORDS = {"active": "Đang áp dụng", "suspended": "Tạm ngừng", "cancelled": "Đã bãi bỏ"}
TIER_WORDS = {"central": "trung ương", "province": "tỉnh", "district": "huyện", "commune": "xã"}
TRUE_WORDS = {"co", "x", "1", "true", "yes", "bat buoc", "c"}
FALSE_WORDS = {"khong", "0", "false", "no", "khong bat buoc", "tuy chon", "k"}
FORMULA_START = ("=", "+", "-", "@")
_LIST_SPLIT = re.compile(r"[,;\n]")


def _key(header: Any) -> str:
    words = fold(str(header or "")).replace("_", " ")
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", words).split())


_BY_HEADER: dict[str, str] = {}
for _column in COLUMNS:
    for _name in (_column.header, _column.key, *_column.aliases):
        _BY_HEADER[_key(_name)] = _column.key


def cell_text(value: Any) -> str:
    """A cell as trimmed NFC text; integral numbers lose Excel's ``.0``; the CSV formula guard is removed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    text = nfc(str(value)).replace("\r\n", "\n").strip()
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_START:
        text = text[1:]
    return text


def parse_table(content: bytes) -> ParseResult:
    """Read every row of a procedure sheet; problems come back per row and column."""
    try:
        fmt = spreadsheet.detect_format(content)
        table = spreadsheet.read_table(content)
    except spreadsheet.FileRejected as exc:
        raise ImportFileError(exc.message, exc.rule) from exc
    if not table:
        raise ImportFileError(_("Tệp rỗng."), "file_empty")
    header_line, headers = table[0]
    columns: dict[int, str] = {}
    result = ParseResult(format=fmt, labels=HEADER)
    for index, header in enumerate(headers):
        key = _BY_HEADER.get(_key(header).strip())
        if key is None:
            if cell_text(header):
                result.warnings.append(
                    RecordProblem(
                        _("Dòng %(n)d") % {"n": header_line},
                        "",
                        cell_text(header),
                        "ignored_column",
                        _("cột không dùng, bỏ qua."),
                    )
                )
        elif key in columns.values():
            raise ImportFileError(
                _("Cột “%(header)s” xuất hiện hai lần trong dòng tiêu đề.") % {"header": HEADER[key]},
                "duplicate_column",
            )
        else:
            columns[index] = key
    if "code" not in columns.values():
        raise ImportFileError(
            _("Thiếu cột bắt buộc “%(header)s” trong dòng tiêu đề (dòng 1).") % {"header": HEADER["code"]},
            "required_column",
        )
    seen: dict[str, str] = {}
    for line, cells in table[1:]:
        values = {key: cells[i] if i < len(cells) else None for i, key in columns.items()}
        if all(cell_text(v) == "" for v in values.values()):
            continue
        result.record_count += 1
        reader = _RowReader(_("Dòng %(n)d") % {"n": line}, values)
        parsed = reader.read()
        if reader.code:
            result.codes.add(reader.code)
            if reader.code in seen:
                message = _("mã %(code)s đã có ở %(where)s.") % {
                    "code": reader.code,
                    "where": seen[reader.code],
                }
                reader.error("code", "duplicate", message)
            else:
                seen[reader.code] = reader.where
        result.errors.extend(reader.errors)
        result.warnings.extend(reader.warnings)
        if parsed is not None and not reader.errors:
            result.records.append(parsed)
    if not result.record_count:
        raise ImportFileError(_("Tệp không có thủ tục nào (chỉ có dòng tiêu đề)."), "file_empty")
    return result


class _RowReader:
    def __init__(self, where: str, values: dict[str, Any]) -> None:
        self.where, self.values = where, values
        self.code = cell_text(values.get("code"))
        self.errors: list[RecordProblem] = []
        self.warnings: list[RecordProblem] = []

    def error(self, key: str, rule: str, message: str, item: int = 0) -> None:
        where = HEADER.get(key, key) + (_(", mục %(n)d") % {"n": item} if item else "")
        self.errors.append(RecordProblem(self.where, self.code, where, rule, message))

    def lines(self, key: str) -> list[str]:
        return [line.strip() for line in cell_text(self.values.get(key)).split("\n")]

    def read(self) -> ParsedRecord | None:
        v: dict[str, Any] = {"code": self.code}
        if not self.code:
            self.error("code", "required", _("không được để trống."))
        present = set(self.values)
        for key in ("name", "field_name", "processing_note", "steps", "eligibility", "receiving_agency"):
            if key in present:
                v[key] = cell_text(self.values[key])
        if "field_code" in present:
            v["field_code"] = cell_text(self.values["field_code"]).upper()
        for key, limit in (("name", NAME_LIMIT), ("field_name", FIELD_NAME_LIMIT)):
            if len(v.get(key, "")) > limit:
                self.error(key, "max_length", _("dài quá %(n)d ký tự.") % {"n": limit})
        self._choices(v, present)
        unspecified: tuple[frozenset[str], ...] = ()
        if "components" in present:
            v["components"], unspecified = self._components()
        if "fees" in present:
            v["fees"] = self._fees()
        if "results" in present:
            v["results"] = self._results()
        if "legal_basis" in present:
            v["legal_basis"] = self._legal_basis()
        if "agencies" in present:
            v["agencies"] = dedupe(
                a.strip() for a in _LIST_SPLIT.split(cell_text(self.values["agencies"])) if a.strip()
            )
        if self.errors:
            return None
        provided = frozenset(present)
        record = ProcedureRecord(
            **{"name": "", "field_code": "", "field_name": "", "processing_value": 0.0, **v}
        )
        labels = record.agencies
        return ParsedRecord(self.where, record, provided, unspecified, labels)

    def _choices(self, v: dict[str, Any], present: set[str]) -> None:
        for key in KEEP_WHEN_EMPTY:
            if key in present and not cell_text(self.values[key]):
                present.discard(key)  # an empty cell keeps the current value (or the default)
        if "processing_value" in present:
            raw = self.values["processing_value"]
            number = number_of(raw)
            if number is None:
                self.error(
                    "processing_value",
                    "number",
                    _("phải là số không âm (nhận được '%(value)s').") % {"value": cell_text(raw)},
                )
            v["processing_value"] = number or 0.0
        readers = (
            ("processing_unit", time_unit_of, _("dùng “ngày làm việc”, “giờ làm việc” hoặc “ngày”.")),
            ("online_level", online_level_of, _("dùng “Toàn trình”, “Một phần” hoặc “Cung cấp thông tin”.")),
            ("status", status_of, _("dùng “Đang áp dụng”, “Tạm ngừng” hoặc “Đã bãi bỏ”.")),
        )
        for key, read, hint in readers:
            if key not in present:
                continue
            text = cell_text(self.values[key])
            found = read(text)
            if found is None:
                self.error(
                    key, "choice", _("'%(value)s' không hợp lệ; %(hint)s") % {"value": text, "hint": hint}
                )
            else:
                v[key] = found
        if "tiers" in present:
            tiers = []
            for word in _LIST_SPLIT.split(cell_text(self.values["tiers"])):
                if word.strip():
                    tier = tier_of(word)
                    if tier is None:
                        self.error(
                            "tiers",
                            "choice",
                            _("'%(value)s' không phải cấp thực hiện; dùng tỉnh, xã, huyện hoặc trung ương.")
                            % {"value": word.strip()},
                        )
                    else:
                        tiers.append(tier)
            v["tiers"] = dedupe(tiers)
        for key in ("effective_from", "effective_to"):
            if key in present and cell_text(self.values[key]):
                day = date_of(self.values[key])
                if day is None:
                    self.error(
                        key,
                        "date",
                        _("'%(value)s' không phải ngày; ghi dạng ngày/tháng/năm, ví dụ 01/07/2025.")
                        % {"value": cell_text(self.values[key])},
                    )
                v[key] = day

    def _items(self, key: str) -> list[tuple[int, list[str]]]:
        """``(item number, parts)`` for each non-empty line of a list cell."""
        return [
            (n, [p.strip() for p in line.split("|")])
            for n, line in enumerate(self.lines(key), start=1)
            if line
        ]

    def _components(self) -> tuple[tuple[Component, ...], tuple[frozenset[str], ...]]:
        found: list[tuple[Component, frozenset[str]]] = []
        for n, parts in self._items("components"):
            parts += [""] * (6 - len(parts))
            name, originals, copies, required, url, types = parts[:6]
            if not name:
                self.error("components", "required", _("thiếu tên giấy tờ."), n)
                continue
            counts = []
            for raw, default in ((originals, 1), (copies, 0)):
                number = default if raw == "" else number_of(raw)
                if number is None or number != int(number):
                    self.error(
                        "components",
                        "count",
                        _("số bản '%(value)s' phải là số nguyên không âm.") % {"value": raw},
                        n,
                    )
                    number = default
                counts.append(int(number))
            unsaid = set()
            flag = fold(required)
            if flag == "":
                unsaid.add("required")
            elif flag not in TRUE_WORDS | FALSE_WORDS:
                self.error(
                    "components",
                    "boolean",
                    _("'%(value)s' không hợp lệ; ghi “có” hoặc “không”.") % {"value": required},
                    n,
                )
            if not url:
                unsaid.add("template_url")
            file_types = tuple(t.strip(" .").lower() for t in re.split(r"[,;\s]+", types) if t.strip(" ."))
            if not file_types:
                unsaid.add("file_types")
            component = Component(
                name=name,
                originals=counts[0],
                copies=counts[1],
                required=flag not in FALSE_WORDS,
                template_url=url,
                file_types=file_types or ("pdf",),
            )
            found.append((component, frozenset(unsaid) & COMPONENT_OPTIONAL))
        unique = dict(found)  # the same line twice counts once
        return tuple(unique), tuple(unique.values())

    def _fees(self) -> tuple[Fee, ...]:
        fees: list[Fee] = []
        for n, parts in self._items("fees"):
            case, amount_text, kind = "", "", "lệ phí"
            if len(parts) == 1:
                amount_text = parts[0]
            elif len(parts) == 2 and money_of(parts[0]) is not None and _fee_kind(parts[1]):
                amount_text, kind = parts[0], _fee_kind(parts[1]) or kind
            else:
                case, amount_text = parts[0], parts[1]
                if len(parts) > 2 and parts[2]:
                    found_kind = _fee_kind(parts[2])
                    if found_kind is None:
                        self.error(
                            "fees",
                            "choice",
                            _("loại '%(value)s' không hợp lệ; ghi “lệ phí” hoặc “phí”.")
                            % {"value": parts[2]},
                            n,
                        )
                    kind = found_kind or kind
            amount = money_of(amount_text)
            if amount is None:
                self.error(
                    "fees",
                    "money",
                    _("số tiền '%(value)s' phải là số đồng, ví dụ 50.000.") % {"value": amount_text},
                    n,
                )
                continue
            fees.append(Fee(case=case, amount=amount, kind=kind))
        return dedupe(fees)

    def _results(self) -> tuple[Result, ...]:
        results: list[Result] = []
        for n, parts in self._items("results"):
            kind_words = fold(parts[1]) if len(parts) > 1 else ""
            if kind_words in {"", "giay", "ban giay", "paper"}:
                kind = "paper"
            elif kind_words in {"dien tu", "ban dien tu", "electronic"}:
                kind = "electronic"
            else:
                self.error(
                    "results",
                    "choice",
                    _("loại '%(value)s' không hợp lệ; ghi “giấy” hoặc “điện tử”.") % {"value": parts[1]},
                    n,
                )
                continue
            results.append(Result(name=parts[0], kind=kind))
        return dedupe(results)

    def _legal_basis(self) -> tuple[LegalBasis, ...]:
        found = [
            LegalBasis(number="", title=parts[0])
            if len(parts) == 1
            else LegalBasis(number=parts[0], title=" | ".join(parts[1:]))
            for _n, parts in self._items("legal_basis")
        ]
        return dedupe(found)


def _fee_kind(text: str) -> str | None:
    words = fold(text)
    if words in {"le phi", "lp"}:
        return "lệ phí"
    if words in {"phi", "p"}:
        return "phí"
    return None


# --- writing -------------------------------------------------------------------------------------------------


def _part(text: str) -> str:
    return " ".join(text.replace("|", "/").split())


def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def row_of(record: ProcedureRecord) -> list[Any]:
    """The cells of one procedure, in :data:`COLUMNS` order."""
    cells: dict[str, Any] = {
        "code": record.code,
        "name": record.name,
        "field_code": record.field_code,
        "field_name": record.field_name,
        "processing_value": int(record.processing_value)
        if float(record.processing_value).is_integer()
        else record.processing_value,
        "processing_unit": UNIT_WORDS.get(record.processing_unit, record.processing_unit),
        "processing_note": record.processing_note,
        "tiers": ", ".join(TIER_WORDS.get(t, t) for t in record.tiers),
        "agencies": "\n".join(record.agencies),
        "receiving_agency": record.receiving_agency,
        "online_level": LEVEL_WORDS.get(record.online_level, record.online_level),
        "status": STATUS_WORDS.get(record.status, record.status),
        "effective_from": record.effective_from,
        "effective_to": record.effective_to,
        "fees": "\n".join(
            " | ".join(
                ([_part(f.case)] if f.case else [])
                + [_money(f.amount)]
                + (["phí"] if f.kind == "phí" else [])
            )
            for f in record.fees
        ),
        "components": "\n".join(
            " | ".join(
                [
                    _part(c.name),
                    str(c.originals),
                    str(c.copies),
                    "có" if c.required else "không",
                    _part(c.template_url),
                    ", ".join(c.file_types),
                ]
            )
            for c in record.components
        ),
        "steps": record.steps,
        "eligibility": record.eligibility,
        "results": "\n".join(
            _part(r.name) + (" | điện tử" if r.kind == "electronic" else "") for r in record.results
        ),
        "legal_basis": "\n".join(
            f"{_part(b.number)} | {_part(b.title)}" if b.number else _part(b.title)
            for b in record.legal_basis
        ),
    }
    return [cells[c.key] for c in COLUMNS]


def write_csv(records: Iterable[ProcedureRecord]) -> bytes:
    """UTF-8 with a byte-order mark (so Excel shows Vietnamese letters); formula-like text guarded by ``'``."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.header for c in COLUMNS])
    for record in records:
        row = []
        for value in row_of(record):
            text = (
                value.strftime("%d/%m/%Y") if isinstance(value, date) else "" if value is None else str(value)
            )
            row.append("'" + text if text.startswith(FORMULA_START) else text)
        writer.writerow(row)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_xlsx(records: Iterable[ProcedureRecord]) -> bytes:
    """One sheet, header on row 1 (bold, frozen), list cells wrapped, text never taken for a formula."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Thủ tục hành chính"))
    sheet.freeze_panes = "A2"
    widths = {"name": 50, "components": 60, "fees": 30, "steps": 50, "eligibility": 40, "legal_basis": 45}
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = widths.get(column.key, 16)
    header = [WriteOnlyCell(sheet, value=c.header) for c in COLUMNS]
    for cell in header:
        cell.font = Font(bold=True)
    sheet.append(header)
    wrap = Alignment(wrap_text=True, vertical="top")
    for record in records:
        row = []
        for value in row_of(record):
            cell = WriteOnlyCell(sheet, value=value if value not in ("", None) else None)
            if isinstance(value, str):
                cell.data_type = "s"  # "=…" stays text
                cell.alignment = wrap
            elif isinstance(value, date):
                cell.number_format = "DD/MM/YYYY"
            row.append(cell)
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_table(records: Iterable[ProcedureRecord], fmt: str = "xlsx") -> bytes:
    return write_csv(records) if fmt == "csv" else write_xlsx(records)
