"""The dossier tracking register (Sổ theo dõi hồ sơ, form 06 of Circular 01/2018/TT-VPCP) as an XLSX workbook.

One register per receiving desk and period: one line per dossier the agency received in the period, with the
columns of the form — code, procedure, number of sets, applicant, address and phone, the agency that decides,
then the dates (received, appointment, handed to the deciding agency, result back from it, returned to the
applicant) and the applicant's signature on return. Dates are real Excel dates in Vietnam time, so the sheet
sorts and filters.

Text that the public typed (names, addresses) is written as text with Excel's quote prefix: a name such as
``=HYPERLINK(…)`` or ``+84…`` stays a string and never becomes a formula, even after someone edits the cell.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from lienthong.directory.models import Agency
from lienthong.directory.selectors import Principal, agency_for

from . import selectors
from .models import Dossier, DossierEvent, DossierStep, NationalStatus, ReturnMethod
from .timeliness import VN_TZ

#: The first header row: a column's own title, or the title of the group it belongs to (``None`` continues
#: the group on its left).
HEADER_GROUPS: tuple[str | None, ...] = (
    "STT",
    "Mã hồ sơ",
    "Tên thủ tục hành chính",
    "Số lượng hồ sơ (bộ)",
    "Tên cá nhân, tổ chức",
    "Địa chỉ, số điện thoại",
    "Cơ quan chủ trì giải quyết",
    "Ngày, tháng, năm",
    None,
    None,
    None,
    "Trả kết quả cho cá nhân, tổ chức",
    None,
    "Ghi chú",
)
#: The second header row, under the groups (``None``: the column's title spans both rows).
HEADER_DETAILS: tuple[str | None, ...] = (
    None,
    None,
    None,
    None,
    None,
    None,
    None,
    "Nhận hồ sơ",
    "Hẹn trả kết quả",
    "Chuyển hồ sơ đến cơ quan giải quyết",
    "Nhận kết quả từ cơ quan giải quyết",
    "Ngày, tháng, năm",
    "Ký nhận",
    None,
)
WIDTHS = (6, 26, 40, 9, 24, 30, 24, 16, 16, 16, 16, 16, 14, 30)
TITLE_ROW, HEADER_ROW, NUMBERS_ROW = 1, 5, 7
FIRST_DATA_ROW = NUMBERS_ROW + 1
DATE_FORMAT = "dd/mm/yyyy hh:mm"
#: Events that pass the dossier from the desk to whoever decides it, when no workflow step says so.
TRANSFER_ACTIONS = ("start_processing", "forward", "assign", "hand_over")
#: Characters that make a spreadsheet read a cell as a formula (OWASP's list for CSV/XLSX injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTRE = Alignment(wrap_text=True, horizontal="center", vertical="center")
_FONT = "Times New Roman"


def register_rows(
    principal: Principal, agency_code: str, date_from: date, date_to: date
) -> QuerySet[Dossier]:
    """The dossiers ``agency_code`` received from ``date_from`` to ``date_to`` (Vietnam dates, both included),
    among those ``principal`` may see; an agency outside the scope answers 404."""
    agency = agency_for(principal, agency_code)
    start = datetime.combine(date_from, time.min, tzinfo=VN_TZ)
    end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=VN_TZ)
    return (
        selectors.visible_dossiers(principal)
        .filter(agency=agency, received_at__gte=start, received_at__lt=end)
        .select_related("handling_agency")
        .prefetch_related(
            Prefetch("steps", queryset=DossierStep.objects.order_by("sequence")),
            Prefetch("events", queryset=DossierEvent.objects.order_by("at", "id")),
        )
        .order_by("received_at", "id")
    )


def _local(value: datetime | None) -> datetime | None:
    # Excel has no time zones: write the Vietnam wall-clock time.
    return value.astimezone(VN_TZ).replace(tzinfo=None) if value is not None else None


def _transferred_at(dossier: Dossier) -> datetime | None:
    steps = list(dossier.steps.all())
    if steps:
        return min(step.started_at for step in steps)
    moves = [event.at for event in dossier.events.all() if event.action in TRANSFER_ACTIONS]
    return min(moves) if moves else None


def _note(dossier: Dossier) -> str:
    parts = [str(NationalStatus(dossier.national_status).label)]
    if dossier.rescheduled_due_at is not None:
        local = dossier.rescheduled_due_at.astimezone(VN_TZ)
        parts.append(_("hẹn lại ngày trả kết quả: %(at)s") % {"at": f"{local:%d/%m/%Y %H:%M}"})
    if dossier.return_method:
        method = str(ReturnMethod(dossier.return_method).label)
        if dossier.tracking_number:
            method += _(", số hiệu bưu gửi %(number)s") % {"number": dossier.tracking_number}
        parts.append(method)
    reasons = [e.note for e in dossier.events.all() if e.action in ("refuse", "withdraw", "stop") and e.note]
    if reasons:
        parts.append(_("lý do: %(reason)s") % {"reason": reasons[-1]})
    return "; ".join(parts)


def register_line(number: int, dossier: Dossier) -> list[Any]:
    """The cells of one dossier's line, in the register's column order."""
    deciding = dossier.handling_agency or dossier.agency
    contact = ", ".join(part for part in (dossier.applicant_address, dossier.applicant_phone) if part)
    return [
        number,
        dossier.code,
        dossier.procedure.name,
        1,
        dossier.applicant_name,
        contact,
        deciding.name,
        _local(dossier.received_at),
        _local(dossier.due_at),
        _local(_transferred_at(dossier)),
        _local(dossier.finished_at),
        _local(dossier.returned_at),
        "",
        _note(dossier),
    ]


def _put(sheet: Worksheet, row: int, column: int, value: Any) -> None:
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str):
        # Always a string cell; the quote prefix keeps Excel from reading it as a formula after an edit.
        cell.data_type = "s"
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    elif isinstance(value, datetime):
        cell.number_format = DATE_FORMAT
    cell.border = _BOX
    cell.alignment = _CENTRE if isinstance(value, int | datetime) else _WRAP
    cell.font = Font(name=_FONT, size=11)


def _title(sheet: Worksheet, row: int, text: str, *, size: int, bold: bool = False) -> None:
    last = get_column_letter(len(HEADER_GROUPS))
    sheet.merge_cells(f"A{row}:{last}{row}")
    cell = sheet.cell(row=row, column=1, value=text)
    cell.data_type = "s"
    cell.font = Font(name=_FONT, size=size, bold=bold)
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _header(sheet: Worksheet) -> None:
    top, below = HEADER_ROW, HEADER_ROW + 1
    columns = len(HEADER_GROUPS)
    for column, (group, detail) in enumerate(zip(HEADER_GROUPS, HEADER_DETAILS, strict=True), start=1):
        for row, text in ((top, group), (below, detail), (NUMBERS_ROW, f"({column})")):
            cell = sheet.cell(row=row, column=column, value=text)
            cell.font = Font(name=_FONT, size=10 if row == NUMBERS_ROW else 11, bold=row != NUMBERS_ROW)
            cell.alignment = _CENTRE
            cell.border = _BOX
    # Merged after writing: the cells a merge covers cannot be written any more.
    for column, (group, detail) in enumerate(zip(HEADER_GROUPS, HEADER_DETAILS, strict=True), start=1):
        if detail is None:
            sheet.merge_cells(start_row=top, start_column=column, end_row=below, end_column=column)
        elif group is not None:
            end = column
            while end < columns and HEADER_GROUPS[end] is None:
                end += 1
            if end > column:
                sheet.merge_cells(start_row=top, start_column=column, end_row=top, end_column=end)


def tracking_register_xlsx(
    dossiers: Iterable[Dossier], agency: Agency, period_from: date, period_to: date
) -> bytes:
    """Form 06 for ``agency``'s desk over the period: a title, the two-row header, one line per dossier."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "So theo doi ho so"
    _title(sheet, TITLE_ROW, "SỔ THEO DÕI HỒ SƠ", size=14, bold=True)
    _title(
        sheet,
        TITLE_ROW + 1,
        f"Bộ phận tiếp nhận và trả kết quả – {agency.name} (mã định danh {agency.code})",
        size=12,
    )
    period = f"Từ ngày {period_from:%d/%m/%Y} đến ngày {period_to:%d/%m/%Y}"
    _title(sheet, TITLE_ROW + 2, period, size=12)
    _header(sheet)
    for column, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    row = FIRST_DATA_ROW
    for number, dossier in enumerate(dossiers, start=1):
        for column, value in enumerate(register_line(number, dossier), start=1):
            _put(sheet, row, column, value)
        row += 1
    sheet.freeze_panes = f"C{FIRST_DATA_ROW}"
    sheet.print_title_rows = f"{HEADER_ROW}:{NUMBERS_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
