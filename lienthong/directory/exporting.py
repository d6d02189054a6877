"""Exporting the agency directory as CSV or XLSX, in the format :mod:`.tabular` reads back.

The read is scoped by :func:`.selectors.visible_agencies`: a system administrator (or the system itself,
``viewer=None``) gets every agency; any other officer the agencies where they hold an active role, with their
units. Each agency row
is followed by the rows of its units, so the sheet reads like the directory it is.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from django.db.models import QuerySet

from lienthong.core.spreadsheet import Format

from .models import Agency, Person, Unit
from .selectors import visible_agencies
from .tabular import (
    AGENCY,
    COLUMNS,
    FORMULA_START,
    KINDS,
    TIERS,
    UNIT,
    AgencyRow,
    UnitRow,
    format_date,
)

Record = AgencyRow | UnitRow
CONTENT_TYPES: dict[Format, str] = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def exportable_agencies(viewer: Person | None) -> QuerySet[Agency]:
    """Every agency for the system itself (``None``, the command line); else what ``viewer`` may see."""
    return Agency.objects.all() if viewer is None else visible_agencies(viewer)


def agency_row(agency: Agency, code_by_id: dict[int, str], line: int = 0) -> AgencyRow:
    """``agency`` as a file row; ``code_by_id`` gives parent and successor codes without a query each."""
    return AgencyRow(
        line=line,
        code=agency.code,
        name=agency.name,
        short_name=agency.short_name,
        tier=agency.tier,
        parent_code=code_by_id.get(agency.parent_id or 0, ""),
        address=agency.address,
        phone=agency.phone,
        email=agency.email,
        website=agency.website,
        is_active=agency.is_active,
        valid_from=agency.valid_from,
        valid_to=agency.valid_to,
        successor_code=code_by_id.get(agency.successor_id or 0, ""),
    )


def unit_row(unit: Unit, agency_code: str, unit_code_by_id: dict[int, str], line: int = 0) -> UnitRow:
    return UnitRow(
        line=line,
        agency_code=agency_code,
        code=unit.code,
        name=unit.name,
        short_name=unit.short_name,
        kind=unit.kind,
        parent_code=unit_code_by_id.get(unit.parent_id or 0, ""),
        is_active=unit.is_active,
    )


def directory_records(*, viewer: Person | None) -> list[Record]:
    """Every agency ``viewer`` may see, each followed by its units; three queries whatever the size."""
    agencies = list(exportable_agencies(viewer).order_by("code"))
    code_by_id = dict(Agency.objects.values_list("pk", "code"))
    units_by_agency: dict[int, list[Unit]] = {}
    unit_code_by_id: dict[int, str] = {}
    for unit in Unit.objects.filter(agency__in=[a.pk for a in agencies]).order_by("code"):
        units_by_agency.setdefault(unit.agency_id, []).append(unit)
        unit_code_by_id[unit.pk] = unit.code
    records: list[Record] = []
    for agency in agencies:
        records.append(agency_row(agency, code_by_id))
        records.extend(unit_row(u, agency.code, unit_code_by_id) for u in units_by_agency.get(agency.pk, []))
    return records


def export_directory(*, viewer: Person | None, fmt: Format) -> bytes:
    """The directory ``viewer`` may see as the bytes of a CSV or XLSX file."""
    records = directory_records(viewer=viewer)
    return write_xlsx(records) if fmt == "xlsx" else write_csv(records)


# --- writing (pure) ------------------------------------------------------------------------------------------


def cells_of(record: Record) -> dict[str, Any]:
    """The file values of a record by column key; dates stay dates (each writer formats them)."""
    active = "có" if record.is_active else "không"
    if isinstance(record, AgencyRow):
        return {
            "record_type": AGENCY, "code": record.code, "unit_code": "", "name": record.name,
            "short_name": record.short_name, "tier": TIERS.get(record.tier, record.tier),
            "parent_code": record.parent_code, "parent_unit_code": "", "address": record.address,
            "phone": record.phone, "email": record.email, "website": record.website, "is_active": active,
            "valid_from": record.valid_from, "valid_to": record.valid_to,
            "successor_code": record.successor_code, "unit_kind": "",
        }  # fmt: skip
    return {
        "record_type": UNIT, "code": record.agency_code, "unit_code": record.code, "name": record.name,
        "short_name": record.short_name, "tier": "", "parent_code": "", "parent_unit_code": record.parent_code,
        "address": "", "phone": "", "email": "", "website": "", "is_active": active, "valid_from": None,
        "valid_to": None, "successor_code": "", "unit_kind": KINDS.get(record.kind, record.kind),
    }  # fmt: skip


def _lines(records: Iterable[Record]) -> Iterator[list[Any]]:
    for record in records:
        cells = cells_of(record)
        yield [cells[c.key] for c in COLUMNS]


def _csv_safe(value: Any) -> str:
    if isinstance(value, date):
        return format_date(value)
    text = "" if value is None else str(value)
    # A spreadsheet would evaluate text that starts like a formula; the reader strips this guard again.
    return f"'{text}" if text.startswith(FORMULA_START) else text


def write_csv(records: Iterable[Record], delimiter: str = ",") -> bytes:
    """UTF-8 with a byte-order mark, so Excel shows Vietnamese letters correctly when it opens the file."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([c.header for c in COLUMNS])
    writer.writerows([_csv_safe(v) for v in line] for line in _lines(records))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_xlsx(records: Iterable[Record], sheet_title: str = "Danh bạ") -> bytes:
    """One sheet, header on row 1 (bold, frozen), text kept as text, dates as real date cells."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    sheet.freeze_panes = "A2"
    widths = {"name": 48, "address": 40, "record_type": 12}
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = widths.get(column.key, 18)
    bold = Font(bold=True)
    header = [WriteOnlyCell(sheet, value=c.header) for c in COLUMNS]
    for cell in header:
        cell.font = bold
    sheet.append(header)
    for values in _lines(records):
        row: list[Any] = []
        for value in values:
            if value is None or value == "":
                row.append(None)
                continue
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, date):
                cell.number_format = "DD/MM/YYYY"
            else:
                cell.data_type = "s"  # never a formula, even when the text starts with '='
                cell.number_format = "@"
            row.append(cell)
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
