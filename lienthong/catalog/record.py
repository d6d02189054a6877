"""A procedure record (one version of an administrative procedure) as plain, typed data — no Django.

Imports (national JSON, XLSX), the demo catalogue and the pages all speak this shape; a version stores it as
JSON, so two versions compare field by field with :func:`diff`.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any, Literal

PROCEDURE_CODE_PATTERN = r"^[1-3]\.[0-9]{6}$"
_PROCEDURE_CODE = re.compile(PROCEDURE_CODE_PATTERN)
FIELD_CODE_PATTERN = r"^[A-Z0-9]{1,10}(-[A-Z0-9]{1,12})*$"
_FIELD_CODE = re.compile(FIELD_CODE_PATTERN)

TimeUnit = Literal["working_days", "working_hours", "calendar_days"]
TIME_UNITS: tuple[str, ...] = ("working_days", "working_hours", "calendar_days")
OnlineLevel = Literal["full", "partial", "info"]
ONLINE_LEVELS: tuple[str, ...] = ("full", "partial", "info")
TIERS: tuple[str, ...] = ("central", "province", "commune", "district")
STATUSES: tuple[str, ...] = ("active", "suspended", "cancelled")
RESULT_KINDS: tuple[str, ...] = ("paper", "electronic")


def is_procedure_code(value: str) -> bool:
    """National procedure code: a digit 1–3, a dot, six digits (``1.001193``)."""
    return bool(_PROCEDURE_CODE.fullmatch(value))


def is_field_code(value: str) -> bool:
    """Field (lĩnh vực) code such as ``G03-GD10`` or ``H99-XD01``."""
    return bool(_FIELD_CODE.fullmatch(value))


def local_code(procedure_code: str, agency_code: str) -> str:
    """The code localised to an implementing agency: ``1.000656.000.00.00.H56``."""
    return f"{procedure_code}.{agency_code}"


@dataclass(frozen=True)
class Fee:
    case: str  # "" for a single fixed amount; otherwise which case this amount applies to
    amount: int  # VND
    kind: str = "lệ phí"  # lệ phí (fee) or phí (charge)


@dataclass(frozen=True)
class Component:
    """One paper of the dossier (thành phần hồ sơ)."""

    name: str
    originals: int = 1
    copies: int = 0
    required: bool = True
    template_url: str = ""
    file_types: tuple[str, ...] = ("pdf",)


@dataclass(frozen=True)
class Result:
    name: str
    kind: str = "paper"  # paper | electronic


@dataclass(frozen=True)
class LegalBasis:
    number: str
    title: str


@dataclass(frozen=True)
class ProcedureRecord:
    code: str
    name: str
    field_code: str
    field_name: str
    processing_value: float
    processing_unit: str = "working_days"
    processing_note: str = ""
    tiers: tuple[str, ...] = ("province",)
    agencies: tuple[str, ...] = ()  # implementing agency codes
    receiving_agency: str = ""
    fees: tuple[Fee, ...] = ()
    components: tuple[Component, ...] = ()
    steps: str = ""
    eligibility: str = ""
    results: tuple[Result, ...] = ()
    legal_basis: tuple[LegalBasis, ...] = ()
    online_level: str = "partial"
    status: str = "active"
    effective_from: date | None = None
    effective_to: date | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form; tuples become lists and dates ISO text."""
        data = asdict(self)
        for key in ("effective_from", "effective_to"):
            value = data[key]
            data[key] = value.isoformat() if value else None
        return _listify(data)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ProcedureRecord:
        """Read back what :meth:`as_dict` wrote (not for untrusted input: importers validate first)."""
        values = dict(data)
        values["tiers"] = tuple(values.get("tiers") or ())
        values["agencies"] = tuple(values.get("agencies") or ())
        values["fees"] = tuple(Fee(**f) for f in values.get("fees") or ())
        values["components"] = tuple(
            Component(**{**c, "file_types": tuple(c.get("file_types") or ())})
            for c in values.get("components") or ()
        )
        values["results"] = tuple(Result(**r) for r in values.get("results") or ())
        values["legal_basis"] = tuple(LegalBasis(**b) for b in values.get("legal_basis") or ())
        for key in ("effective_from", "effective_to"):
            raw = values.get(key)
            values[key] = date.fromisoformat(raw) if raw else None
        return cls(**values)

    def problems(self) -> list[tuple[str, str, str]]:
        """``(field, rule, message)`` for every rule this record breaks; empty when it is valid."""
        found: list[tuple[str, str, str]] = []
        if not is_procedure_code(self.code):
            found.append(("code", "procedure_code_shape", f"Mã thủ tục '{self.code}' phải có dạng 1.001193."))
        if not self.name.strip():
            found.append(("name", "required", "Tên thủ tục không được để trống."))
        if not is_field_code(self.field_code):
            found.append(("field_code", "field_code_shape", f"Mã lĩnh vực '{self.field_code}' không hợp lệ."))
        if self.processing_unit not in TIME_UNITS:
            found.append(
                ("processing_unit", "choice", f"Đơn vị thời gian phải là một trong {', '.join(TIME_UNITS)}.")
            )
        if not self.processing_value >= 0:
            found.append(("processing_value", "min", "Thời hạn giải quyết không được âm."))
        if self.online_level not in ONLINE_LEVELS:
            found.append(
                ("online_level", "choice", f"Mức độ trực tuyến phải là một trong {', '.join(ONLINE_LEVELS)}.")
            )
        if self.status not in STATUSES:
            found.append(("status", "choice", f"Trạng thái phải là một trong {', '.join(STATUSES)}."))
        for tier in self.tiers:
            if tier not in TIERS:
                found.append(("tiers", "choice", f"Cấp thực hiện '{tier}' không hợp lệ."))
        for index, fee in enumerate(self.fees):
            if fee.amount < 0:
                found.append((f"fees[{index}].amount", "min", "Mức phí, lệ phí không được âm."))
        for index, component in enumerate(self.components):
            if not component.name.strip():
                found.append(
                    (f"components[{index}].name", "required", "Tên thành phần hồ sơ không được để trống.")
                )
            if component.originals < 0 or component.copies < 0:
                found.append((f"components[{index}]", "min", "Số bản chính, bản sao không được âm."))
        for index, result in enumerate(self.results):
            if result.kind not in RESULT_KINDS:
                found.append(
                    (f"results[{index}].kind", "choice", "Loại kết quả phải là paper hoặc electronic.")
                )
        if self.effective_from and self.effective_to and self.effective_to < self.effective_from:
            found.append(("effective_to", "valid_range", "Ngày hết hiệu lực trước ngày có hiệu lực."))
        return found

    def processing_hours(self, hours_per_day: float = 8.0) -> float | None:
        """The legal time in working hours, or ``None`` for calendar-day deadlines."""
        if self.processing_unit == "working_days":
            return self.processing_value * hours_per_day
        if self.processing_unit == "working_hours":
            return self.processing_value
        return None


def _listify(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _listify(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_listify(v) for v in value]
    return value


def diff(old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """``{field: (old, new)}`` for every top-level field whose value differs (``old`` None: all of ``new``)."""
    before = old or {}
    return {key: (before.get(key), new.get(key)) for key in new if before.get(key) != new.get(key)}
