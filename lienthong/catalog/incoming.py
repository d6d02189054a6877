"""What the procedure importers share: problems named by record and field, parsed records, value readers.

Pure: no database. :mod:`lienthong.catalog.national` (national JSON) and :mod:`lienthong.catalog.xlsx` (a sheet
that clerks fill in) both produce a :class:`ParseResult`; :mod:`lienthong.catalog.importing` compares it with
the catalogue. The readers accept the spellings clerks and national files use ("Ngày làm việc", "Cấp Tỉnh",
"50.000 đồng", "Toàn trình" or "4") and answer ``None`` for anything else, so the caller names the field.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _

from lienthong.core.text import fold

from .record import ProcedureRecord

NAME_LIMIT, FIELD_NAME_LIMIT = 1000, 300  # the models' max_length, repeated so this module needs no database


class ImportFileError(Exception):
    """The file as a whole cannot be read (malformed JSON, no list of records, too large, empty)."""

    def __init__(self, message: str, rule: str) -> None:
        super().__init__(message)
        self.message, self.rule = message, rule


@dataclass(frozen=True)
class RecordProblem:
    """One broken rule (or warning) in one record: ``where`` is "Bản ghi 12" or "Dòng 5"."""

    where: str
    code: str
    field: str
    rule: str
    message: str

    @property
    def text(self) -> str:
        head = f"{self.where} ({self.code or _('không có mã')})"
        return f"{head}: {self.field}: {self.message}" if self.field else f"{head}: {self.message}"

    def __str__(self) -> str:
        return self.text

    def as_dict(self) -> dict[str, str]:
        return {
            "where": self.where,
            "code": self.code,
            "field": self.field,
            "rule": self.rule,
            "message": self.message,
            "text": self.text,
        }


_FIELD_PATH = re.compile(r"^(?P<field>[a-z_]+)(\[(?P<index>[0-9]+)\])?")

# Component attributes a source may leave unsaid; the import then keeps what the catalogue has.
COMPONENT_OPTIONAL = frozenset({"required", "template_url", "file_types"})


@dataclass(frozen=True)
class ParsedRecord:
    """A record read from the file. ``provided`` lists the record fields the file actually gave; the others
    keep the catalogue's current values (or the defaults for a new procedure). ``unspecified`` says, for each
    component, which of its optional attributes the file left unsaid."""

    where: str
    record: ProcedureRecord
    provided: frozenset[str]
    unspecified: tuple[frozenset[str], ...] = ()
    agency_labels: tuple[str, ...] = ()  # agency codes (or names, when the file gave no code), as written

    @property
    def code(self) -> str:
        return self.record.code


@dataclass
class ParseResult:
    format: str  # "national", "xlsx" or "csv"
    records: list[ParsedRecord] = field(default_factory=list)
    errors: list[RecordProblem] = field(default_factory=list)
    warnings: list[RecordProblem] = field(default_factory=list)
    codes: set[str] = field(default_factory=set)  # every code in the file, even of records with errors
    record_count: int = 0
    labels: Mapping[str, str] = field(default_factory=dict)  # record field → how the file calls it

    def label(self, record_field: str) -> str:
        """The file's name for a record field path: ``components[0].name`` → "THANHPHANHOSO.GIAYTO, mục 1"."""
        found = _FIELD_PATH.match(record_field)
        if found is None or found["field"] not in self.labels:
            return record_field
        base = self.labels[found["field"]]
        return (
            base
            if found["index"] is None
            else _("%(base)s, mục %(n)d") % {"base": base, "n": int(found["index"]) + 1}
        )


# --- value readers --------------------------------------------------------------

_NUMBER = re.compile(r"^[0-9]+([.,][0-9]+)?$")
_MONEY_SUFFIX = re.compile(r"\s*(vnđ|vnd|đồng|dong|đ)\.?$", re.IGNORECASE)
_MONEY = re.compile(r"^[0-9]{1,3}([.,  ][0-9]{3})+$|^[0-9]+$")
_FREE = {"mien phi", "khong", "khong thu", "khong co", "khong quy dinh", "-", ""}
_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%Y%m%d", "%Y%m%d%H%M%S", "%d/%m/%Y %H:%M:%S")


def number_of(value: Any) -> float | None:
    """A non-negative number from a JSON number or text such as ``15`` or ``0,5``; ``None`` if it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) and value >= 0 else None
    if isinstance(value, str) and _NUMBER.match(value.strip()):
        return float(value.strip().replace(",", "."))
    return None


def money_of(value: Any) -> int | None:
    """Whole đồng from ``50000``, ``"50.000"``, ``"50,000 đồng"`` or ``"Miễn phí"`` (0); ``None`` otherwise."""
    if isinstance(value, bool) or value is None:
        return 0 if value is None else None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float):
        return int(value) if math.isfinite(value) and value >= 0 and value == int(value) else None
    if not isinstance(value, str):
        return None
    text = _MONEY_SUFFIX.sub("", value.strip())
    if fold(text) in _FREE:
        return 0
    if not _MONEY.match(text):
        return None
    return int(re.sub(r"[.,  ]", "", text))


def time_unit_of(value: Any) -> str | None:
    """``working_days`` for "Ngày làm việc", ``working_hours`` for "Giờ", ``calendar_days`` for "Ngày"."""
    words = fold(str(value or "")).replace("_", " ")
    if words in {"working days", "ngay lam viec", "ngay lv"} or words.startswith("ngay lam viec"):
        return "working_days"
    if words in {"working hours", "gio", "gio lam viec", "gio lv"} or words.startswith("gio lam viec"):
        return "working_hours"
    if words in {"calendar days", "ngay", "ngay lich", "ngay theo lich"} or words.startswith("ngay ("):
        return "calendar_days"
    return None


def online_level_of(value: Any) -> str | None:
    """``full`` (toàn trình, mức 4), ``partial`` (một phần, mức 3) or ``info`` (cung cấp thông tin, mức 1–2)."""
    words = fold(str(value if value is not None else ""))
    if words in {"full", "partial", "info"}:
        return words
    if "toan trinh" in words:
        return "full"
    if "mot phan" in words:
        return "partial"
    if "thong tin" in words:
        return "info"
    digits = re.findall(r"[0-9]+", words)
    if len(digits) == 1 and words.replace(digits[0], "").strip() in {"", "muc", "muc do", "dvc muc"}:
        return {"4": "full", "3": "partial", "2": "info", "1": "info"}.get(digits[0])
    return None


def tier_of(value: Any) -> str | None:
    """``province`` (Cấp tỉnh), ``commune`` (Cấp xã, phường, đặc khu), ``district`` (Cấp huyện), ``central``."""
    words = fold(str(value or "")).replace("_", " ")
    if words in {"central", "province", "district", "commune"}:
        return words
    tokens = set(words.split())
    if "tinh" in tokens:
        return "province"
    if tokens & {"xa", "phuong", "thi tran"} or "dac khu" in words:
        return "commune"
    if "huyen" in tokens:
        return "district"
    if "bo" in tokens or "trung uong" in words or "nganh" in tokens:
        return "central"
    return None


def status_of(value: Any) -> str | None:
    words = fold(str(value if value is not None else ""))
    if words in {"active", "suspended", "cancelled"}:
        return words
    if words in {"", "1", "dang ap dung", "con hieu luc", "hieu luc", "dang hieu luc", "ap dung"}:
        return "active"
    if "tam ngung" in words or "tam dung" in words:
        return "suspended"
    if words in {"0", "bai bo", "da bai bo", "het hieu luc", "huy", "da huy"} or "bai bo" in words:
        return "cancelled"
    return None


def date_of(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def dedupe(items: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(dict.fromkeys(items))
