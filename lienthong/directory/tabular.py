"""The agency directory as a table (CSV or XLSX): columns, reading, row checks, ordering — no database.

One sheet, one row per record. The column ``Loại bản ghi`` says whether the row is an agency (``co_quan``) or a
unit inside an agency (``don_vi``); a unit row names its agency in ``Mã định danh`` and its own code in
``Mã đơn vị``. Headers are the Vietnamese labels below (the English keys are accepted too), matched without
regard to case or diacritics. The format is described for clerks in ``docs/danh-ba.md``.

What the database already holds comes in as an :class:`Existing` snapshot, so every rule — including "the
parent is neither in the file nor in the database" — is checked here and the module is tested without a
database. Writing to the database is :mod:`lienthong.directory.importing`'s job; writing files is
:mod:`lienthong.directory.exporting`'s.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lienthong.core.spreadsheet import (
    FileRejected,
    read_table,
)
from lienthong.core.text import fold, nfc

from .codes import is_agency_code

AGENCY, UNIT = "co_quan", "don_vi"


@dataclass(frozen=True)
class Column:
    key: str  # English key, accepted as a header and used in code
    header: str  # Vietnamese header, written on export (part of the file format, so not translated)
    aliases: tuple[str, ...] = ()


COLUMNS: tuple[Column, ...] = (
    Column("record_type", "Loại bản ghi"),
    Column("code", "Mã định danh", ("ma co quan", "agency_code")),
    Column("unit_code", "Mã đơn vị"),
    Column("name", "Tên", ("ten day du", "ten co quan", "ten don vi")),
    Column("short_name", "Tên viết tắt"),
    Column("tier", "Cấp"),
    Column("parent_code", "Mã cơ quan cấp trên"),
    Column("parent_unit_code", "Mã đơn vị cấp trên"),
    Column("address", "Địa chỉ"),
    Column("phone", "Điện thoại"),
    Column("email", "Thư điện tử", ("email", "e-mail")),
    Column("website", "Trang thông tin", ("trang thong tin dien tu", "trang web")),
    Column("is_active", "Đang hoạt động"),
    Column("valid_from", "Hiệu lực từ"),
    Column("valid_to", "Hiệu lực đến"),
    Column("successor_code", "Mã cơ quan kế thừa"),
    Column("unit_kind", "Loại đơn vị", ("kind",)),
)
HEADER = {c.key: c.header for c in COLUMNS}
REQUIRED_COLUMNS = ("record_type", "code", "name")

# Database values (models.Tier / models.UnitKind) → the values written in the file. Each also accepts its
# English value and the aliases, compared without case or diacritics.
TIERS = {"central": "trung_uong", "province": "tinh", "district": "huyen", "commune": "xa"}
TIER_ALIASES = {"cap tinh": "province", "cap huyen": "district", "cap xa": "commune"}
KINDS = {"office": "van_phong", "department": "phong", "board": "ban", "onestop": "mot_cua", "other": "khac"}
KIND_ALIASES = {"bo phan mot cua": "onestop", "mot cua": "onestop"}
RECORD_TYPES = {"co quan": AGENCY, "agency": AGENCY, "don vi": UNIT, "unit": UNIT}
TRUE_WORDS = {"co", "x", "1", "true", "yes", "dung", "c"}
FALSE_WORDS = {"khong", "0", "false", "no", "sai", "k"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# The models' max_length, repeated so this module needs no database; a test keeps them equal.
AGENCY_LIMITS = {"name": 300, "short_name": 30, "address": 300, "phone": 50, "email": 254, "website": 200}
UNIT_LIMITS = {"unit_code": 30, "name": 300, "short_name": 30, "parent_unit_code": 30}

# Every rule a row can break, with the message shown for it (the column is named separately).
MESSAGES = {
    "required": gettext_lazy("không được để trống."),
    "required_column": gettext_lazy("thiếu cột bắt buộc '{header}' trong dòng tiêu đề."),
    "required_column_new": gettext_lazy("thiếu cột này, bắt buộc khi thêm cơ quan mới {code}."),
    "required_column_unit": gettext_lazy("thiếu cột này, bắt buộc với dòng đơn vị."),
    "duplicate_column": gettext_lazy("cột này xuất hiện hai lần trong dòng tiêu đề."),
    "max_length": gettext_lazy("dài {n} ký tự, tối đa {limit}."),
    "record_type": gettext_lazy("'{value}' không hợp lệ; ghi 'co_quan' (cơ quan) hoặc 'don_vi' (đơn vị)."),
    "agency_code_shape": gettext_lazy(
        "'{value}' sai định dạng mã định danh NNN.NN.NN.XNN (ví dụ 000.00.00.H56): X là chữ in hoa, N là chữ số."
    ),
    "tier": gettext_lazy("'{value}' không phải cấp hợp lệ; chọn một trong {choices}."),
    "unit_kind": gettext_lazy("'{value}' không phải loại đơn vị hợp lệ; chọn một trong {choices}."),
    "boolean": gettext_lazy("'{value}' không hợp lệ; ghi 'có' hoặc 'không'."),
    "date": gettext_lazy("'{value}' không phải ngày; ghi dạng ngày/tháng/năm, ví dụ 01/07/2025."),
    "email": gettext_lazy("'{value}' không phải địa chỉ thư điện tử."),
    "url": gettext_lazy("'{value}' không phải địa chỉ trang web."),
    "valid_range": gettext_lazy("ngày {to} trước ngày hiệu lực từ {start}."),
    "successor_self": gettext_lazy("cơ quan không thể kế thừa chính nó."),
    "agency_has_unit_code": gettext_lazy(
        "dòng cơ quan không ghi mã đơn vị; nếu đây là đơn vị, ghi Loại bản ghi là 'don_vi'."
    ),
    "duplicate": gettext_lazy("mã {code} đã có ở dòng {line}."),
    "duplicate_unit": gettext_lazy("đơn vị {unit} của cơ quan {code} đã có ở dòng {line}."),
    "unknown_agency": gettext_lazy("mã {code} không có trong tệp và chưa có trong danh bạ."),
    "unknown_unit_agency": gettext_lazy(
        "đơn vị thuộc cơ quan {code}, mà cơ quan này không có trong tệp và chưa có trong danh bạ."
    ),
    "unknown_unit": gettext_lazy(
        "đơn vị {unit} không có trong cơ quan {code} (trong tệp hay trong danh bạ)."
    ),
    "cycle": gettext_lazy("cấp trên tạo thành vòng lặp: {chain}."),
}


@dataclass(frozen=True)
class AgencyRow:
    line: int
    code: str
    name: str = ""
    short_name: str = ""
    tier: str = ""
    parent_code: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    is_active: bool = True
    valid_from: date | None = None
    valid_to: date | None = None
    successor_code: str = ""


@dataclass(frozen=True)
class UnitRow:
    line: int
    agency_code: str
    code: str
    name: str = ""
    short_name: str = ""
    kind: str = "department"
    parent_code: str = ""
    is_active: bool = True

    @property
    def key(self) -> tuple[str, str]:
        return (self.agency_code, self.code)


@dataclass(frozen=True)
class RowError:
    """One broken rule: ``line`` as Excel shows it (the header is line 1), the column's header and the rule."""

    line: int
    column: str
    rule: str
    message: str

    def __str__(self) -> str:
        where = _("Dòng {line}").format(line=self.line)
        return f"{where}, {self.column}: {self.message}" if self.column else f"{where}: {self.message}"


def row_error(line: int, key: str, rule: str, /, **values: Any) -> RowError:
    """A :class:`RowError` for column ``key`` breaking ``rule``, its message filled with ``values``."""
    message = str(MESSAGES[rule]).format(**values)
    return RowError(line, HEADER.get(key, key), rule, message)


@dataclass(frozen=True)
class Existing:
    """What the database holds: agency code → parent code, (agency code, unit code) → parent unit code."""

    agency_parents: Mapping[str, str] = field(default_factory=dict)
    unit_parents: Mapping[tuple[str, str], str] = field(default_factory=dict)


@dataclass
class ParsedFile:
    """Rows in an order safe to write (parents first), every error, and which columns the file has."""

    agencies: list[AgencyRow]
    units: list[UnitRow]
    errors: list[RowError]
    columns: frozenset[str]
    ignored_headers: list[str]
    record_count: int


# --- cell values -------------------------------------------------------------------------------------------


def format_date(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def cell_text(value: Any) -> str:
    """A cell as trimmed NFC text; integral numbers lose the ``.0`` Excel gives them."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return format_date(value)
    text = nfc(str(value)).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        text = text[1:]  # the guard our CSV export puts before formula-like text
    return text


def parse_date(value: Any) -> date | None:
    """``dd/mm/yyyy`` as Vietnamese write dates (also with ``-`` or ``.``), ISO ``yyyy-mm-dd``, or a date cell."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value).split(" ")[0]
    if not text:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _norm(text: str) -> str:
    return " ".join(fold(text).replace("_", " ").replace("-", " ").replace("*", " ").split())


_HEADER_KEYS = {_norm(name): c.key for c in COLUMNS for name in (c.key, c.header, *c.aliases)}


def _choice(text: str, values: Mapping[str, str], aliases: Mapping[str, str]) -> str | None:
    """The database value for ``text``, given ``values`` (database value → file value) and ``aliases``."""
    wanted = _norm(text)
    for db_value, file_value in values.items():
        if wanted in {_norm(db_value), _norm(file_value)}:
            return db_value
    return aliases.get(wanted)


# --- rows ----------------------------------------------------------------------------------------------------


class _RowReader:
    """Turns one line's cells into a row, collecting every broken rule instead of stopping at the first."""

    _email = EmailValidator()
    _url = URLValidator()

    def __init__(
        self, line: int, values: Mapping[str, Any], columns: frozenset[str], errors: list[RowError]
    ) -> None:
        self.line, self.values, self.columns, self.errors = line, values, columns, errors

    def error(self, key: str, rule: str, **values: Any) -> None:
        self.errors.append(row_error(self.line, key, rule, **values))

    def text(self, key: str, limit: int | None = None, required: bool = False) -> str:
        value = cell_text(self.values.get(key))
        if required and not value:
            self.error(key, "required")
        if limit is not None and len(value) > limit:
            self.error(key, "max_length", n=len(value), limit=limit)
        return value

    def agency_code(self, key: str, required: bool = False) -> str:
        value = self.text(key, required=required).upper()
        if value and not is_agency_code(value):
            self.error(key, "agency_code_shape", value=value)
        return value

    def choice(self, key: str, values: Mapping[str, str], aliases: Mapping[str, str], default: str) -> str:
        text = self.text(key)
        if not text:
            return default
        found = _choice(text, values, aliases)
        if found is None:
            choices = ", ".join(values.values())
            self.errors.append(row_error(self.line, key, key, value=text, choices=choices))
        return found or default

    def boolean(self, key: str) -> bool:
        word = _norm(cell_text(self.values.get(key)))
        if word in FALSE_WORDS:
            return False
        if word and word not in TRUE_WORDS:
            self.error(key, "boolean", value=cell_text(self.values.get(key)))
        return True  # an empty cell means active: closing an agency is always written out

    def day(self, key: str) -> date | None:
        try:
            return parse_date(self.values.get(key))
        except ValueError:
            self.error(key, "date", value=cell_text(self.values.get(key)))
            return None

    def validated(self, key: str, validator: EmailValidator | URLValidator, rule: str) -> str:
        value = self.text(key)
        if key == "website" and value and "://" not in value:
            value = f"https://{value}"  # clerks write "thanhhoa.gov.vn"
        if len(value) > AGENCY_LIMITS[key]:
            self.error(key, "max_length", n=len(value), limit=AGENCY_LIMITS[key])
            return value
        try:
            if value:
                validator(value)
        except ValidationError:
            self.error(key, rule, value=value)
        return value

    def agency(self) -> AgencyRow:
        if self.text("unit_code"):
            self.error("unit_code", "agency_has_unit_code")
        tier = self.choice("tier", TIERS, TIER_ALIASES, "")
        if "tier" in self.columns and not cell_text(self.values.get("tier")):
            self.error("tier", "required")
        row = AgencyRow(
            line=self.line,
            code=self.agency_code("code", required=True),
            name=self.text("name", AGENCY_LIMITS["name"], required=True),
            short_name=self.text("short_name", AGENCY_LIMITS["short_name"], "short_name" in self.columns),
            tier=tier,
            parent_code=self.agency_code("parent_code"),
            address=self.text("address", AGENCY_LIMITS["address"]),
            phone=self.text("phone", AGENCY_LIMITS["phone"]),
            email=self.validated("email", self._email, "email"),
            website=self.validated("website", self._url, "url"),
            is_active=self.boolean("is_active"),
            valid_from=self.day("valid_from"),
            valid_to=self.day("valid_to"),
            successor_code=self.agency_code("successor_code"),
        )
        if row.valid_from and row.valid_to and row.valid_to < row.valid_from:
            self.error(
                "valid_to", "valid_range", to=format_date(row.valid_to), start=format_date(row.valid_from)
            )
        if row.code and row.successor_code == row.code:
            self.error("successor_code", "successor_self")
        return row

    def unit(self) -> UnitRow:
        if "unit_code" not in self.columns:
            self.errors.append(row_error(self.line, "unit_code", "required_column_unit"))
        return UnitRow(
            line=self.line,
            agency_code=self.agency_code("code", required=True),
            code=self.text("unit_code", UNIT_LIMITS["unit_code"], "unit_code" in self.columns),
            name=self.text("name", UNIT_LIMITS["name"], required=True),
            short_name=self.text("short_name", UNIT_LIMITS["short_name"]),
            kind=self.choice("unit_kind", KINDS, KIND_ALIASES, "department"),
            parent_code=self.text("parent_unit_code", UNIT_LIMITS["parent_unit_code"]),
            is_active=self.boolean("is_active"),
        )


def _read_header(cells: Sequence[Any], errors: list[RowError]) -> tuple[dict[int, str], list[str]]:
    positions: dict[int, str] = {}
    ignored: list[str] = []
    for index, raw in enumerate(cells):
        text = cell_text(raw)
        key = _HEADER_KEYS.get(_norm(text))
        if key is None:
            if text:
                ignored.append(text)
        elif key in positions.values():
            errors.append(RowError(1, text, "duplicate_column", str(MESSAGES["duplicate_column"])))
        else:
            positions[index] = key
    for key in REQUIRED_COLUMNS:
        if key not in positions.values():
            errors.append(row_error(1, key, "required_column", header=HEADER[key]))
    return positions, ignored


def parse(content: bytes, existing: Existing | None = None) -> ParsedFile:
    """Read and check a directory file; raise :class:`FileRejected` only when it cannot be read at all."""
    return parse_table(read_table(content), existing or Existing())


def parse_table(table: Sequence[tuple[int, Sequence[Any]]], existing: Existing) -> ParsedFile:
    """Check every row of ``table`` (line 1 the header); the result lists every error, in line order."""
    if not table:
        raise FileRejected(_("Tệp không có dòng tiêu đề."), "file_empty")
    errors: list[RowError] = []
    positions, ignored = _read_header(table[0][1], errors)
    columns = frozenset(positions.values())
    if errors:
        return ParsedFile([], [], errors, columns, ignored, 0)
    agencies: list[AgencyRow] = []
    units: list[UnitRow] = []
    count = 0
    for line, cells in table[1:]:
        if not any(cell_text(c) for c in cells):
            continue  # blank lines, often left at the end of a sheet
        count += 1
        values = {key: cells[i] if i < len(cells) else None for i, key in positions.items()}
        reader = _RowReader(line, values, columns, errors)
        kind = cell_text(values.get("record_type"))
        record_type = RECORD_TYPES.get(_norm(kind)) or kind
        if record_type == AGENCY:
            agencies.append(reader.agency())
        elif record_type == UNIT:
            units.append(reader.unit())
        else:
            reader.error("record_type", "record_type" if kind else "required", value=kind)
    _check_agency_references(agencies, columns, existing, errors)
    _check_unit_references(agencies, units, existing, errors)
    agencies = _order_agencies(agencies, existing, errors)
    units = _order_units(units, existing, errors)
    order = {c.header: i for i, c in enumerate(COLUMNS)}
    errors.sort(key=lambda e: (e.line, order.get(e.column, -1)))
    return ParsedFile(agencies, units, errors, columns, ignored, count)


def _check_agency_references(
    agencies: list[AgencyRow], columns: frozenset[str], existing: Existing, errors: list[RowError]
) -> None:
    first: dict[str, int] = {}
    for row in agencies:
        if row.code in first:
            errors.append(row_error(row.line, "code", "duplicate", code=row.code, line=first[row.code]))
        elif row.code:
            first[row.code] = row.line
    known = set(first) | set(existing.agency_parents)
    for row in agencies:
        if row.code and row.code not in existing.agency_parents:
            errors.extend(
                row_error(row.line, key, "required_column_new", code=row.code)
                for key in ("short_name", "tier")
                if key not in columns
            )
        for key, code in (("parent_code", row.parent_code), ("successor_code", row.successor_code)):
            if code and is_agency_code(code) and code not in known:
                errors.append(row_error(row.line, key, "unknown_agency", code=code))


def _check_unit_references(
    agencies: list[AgencyRow], units: list[UnitRow], existing: Existing, errors: list[RowError]
) -> None:
    known = {r.code for r in agencies} | set(existing.agency_parents)
    first: dict[tuple[str, str], int] = {}
    for unit in units:
        names = {"unit": unit.code, "code": unit.agency_code}
        if unit.key in first:
            errors.append(row_error(unit.line, "unit_code", "duplicate_unit", line=first[unit.key], **names))
        elif unit.code:
            first[unit.key] = unit.line
    known_units = set(first) | set(existing.unit_parents)
    for unit in units:
        if unit.agency_code and is_agency_code(unit.agency_code) and unit.agency_code not in known:
            errors.append(row_error(unit.line, "code", "unknown_unit_agency", code=unit.agency_code))
        if (
            unit.parent_code
            and is_agency_code(unit.agency_code)
            and (unit.agency_code, unit.parent_code) not in known_units
        ):
            errors.append(
                row_error(
                    unit.line,
                    "parent_unit_code",
                    "unknown_unit",
                    unit=unit.parent_code,
                    code=unit.agency_code,
                )
            )


# --- ordering: parents before children -----------------------------------------------------------------------


def _topological(keys: list[Any], edges: Mapping[Any, Iterable[Any]]) -> tuple[list[Any], list[Any]]:
    """Kahn's algorithm, stable in file order: the order, then the keys stuck in cycles (in file order)."""
    wanted = set(keys)
    waiting = {k: {d for d in edges.get(k, ()) if d in wanted and d != k} for k in keys}
    dependants: dict[Any, list[Any]] = {}
    for key, deps in waiting.items():
        for dep in deps:
            dependants.setdefault(dep, []).append(key)
    order = [k for k in keys if not waiting[k]]
    for key in order:  # the list grows while we walk it
        for child in dependants.get(key, ()):
            waiting[child].discard(key)
            if not waiting[child]:
                order.append(child)
    placed = set(order)
    return order, [k for k in keys if k not in placed]


def _cycles(starts: Iterable[Any], parent_of: Mapping[Any, Any]) -> list[list[Any]]:
    """Every cycle reachable from ``starts`` by following ``parent_of``, each reported once."""
    found: list[list[Any]] = []
    settled: set[Any] = set()
    for node in starts:
        path: list[Any] = []
        while node and node not in settled and node not in path:
            path.append(node)
            node = parent_of.get(node)
        if node in path:
            found.append(path[path.index(node) :])
        settled.update(path)
    return found


def _cycle_errors(cycles: list[list[Any]], lines: Mapping[Any, int], label: Any, key: str) -> list[RowError]:
    def name(k: Any) -> str:
        if k in lines:
            return _("dòng {line} ({code})").format(line=lines[k], code=label(k))
        return _("{code} (trong danh bạ)").format(code=label(k))

    return [
        row_error(
            min(lines[k] for k in c if k in lines), key, "cycle", chain=" → ".join(map(name, [*c, c[0]]))
        )
        for c in cycles
        if any(k in lines for k in c)
    ]


def _order_agencies(rows: list[AgencyRow], existing: Existing, errors: list[RowError]) -> list[AgencyRow]:
    by_code = {r.code: r for r in rows if r.code}
    parent_of = {**existing.agency_parents, **{r.code: r.parent_code for r in by_code.values()}}
    lines = {code: r.line for code, r in by_code.items()}
    errors.extend(_cycle_errors(_cycles(by_code, parent_of), lines, str, "parent_code"))
    keys = list(by_code)
    # Successors first too when possible, so a new agency is created with its successor in one step;
    # successors pointing at each other are allowed (importing sets them in a second pass).
    order, stuck = _topological(keys, {c: (r.parent_code, r.successor_code) for c, r in by_code.items()})
    if stuck:
        order, stuck = _topological(keys, {c: (r.parent_code,) for c, r in by_code.items()})
    return [by_code[c] for c in [*order, *stuck]]


def _order_units(rows: list[UnitRow], existing: Existing, errors: list[RowError]) -> list[UnitRow]:
    by_key = {r.key: r for r in rows if r.code}
    parent_of: dict[tuple[str, str], tuple[str, str] | None] = {
        k: (k[0], parent) if parent else None for k, parent in existing.unit_parents.items()
    }
    parent_of.update({k: (k[0], r.parent_code) if r.parent_code else None for k, r in by_key.items()})
    lines = {k: r.line for k, r in by_key.items()}
    errors.extend(
        _cycle_errors(_cycles(by_key, parent_of), lines, lambda k: f"{k[0]}/{k[1]}", "parent_unit_code")
    )
    order, stuck = _topological(list(by_key), {k: ((k[0], r.parent_code),) for k, r in by_key.items()})
    return [by_key[k] for k in [*order, *stuck]]
