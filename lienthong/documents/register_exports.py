"""Registers (sổ đăng ký văn bản đi / đến, appendix of Decree 30/2020/NĐ-CP) printed as XLSX and PDF.

One register is one agency's book for one year and one direction (secret documents have their own). An export
covers the whole year or a period inside it, one line per document in number order, with the columns of the
decree's forms:

* outgoing — number and notation; date; type and subject; signer; recipients; unit or person keeping the
  file copy; number of copies; date sent; receiver's signature; notes;
* incoming — arrival date; arrival number; author (issuing agency); number and notation; date; type and
  subject; unit or person receiving; date handed over; receiver's signature; notes. ``documents.md`` lists
  "date handed over" in the incoming register: it is kept, so both registers have ten columns.

Choices made for electronic documents: "number of copies" of an outgoing document is the number of its
recipients (one electronic copy each); "date sent" is the issue moment (recipients on the platform receive it in
the same transaction); the "signature" columns stay empty for a handwritten signature on paper.

Who may print a register: the agency's leaders and clerks (the keepers of its books) every register, secret ones
included; other officers of the agency the ordinary outgoing register (its lines are the issued, non-secret
documents they already see); an API credential its agency's ordinary registers; a system administrator all.
Anything else is 404, like a register that does not exist.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from lienthong.core.errors import DomainError, FieldProblem
from lienthong.directory.models import ApiCredential, Person, Role, RoleAssignment
from lienthong.directory.selectors import NOT_VISIBLE, Principal

from .models import (
    Direction,
    HandlerRole,
    HandlingAssignment,
    IncomingDocument,
    OutgoingDocument,
    Register,
    Secrecy,
    Urgency,
)

OUTGOING_COLUMNS: tuple[str, ...] = (
    "Số, ký hiệu văn bản",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung văn bản",
    "Người ký",
    "Nơi nhận văn bản",
    "Đơn vị, người nhận bản lưu",
    "Số lượng bản",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
)
INCOMING_COLUMNS: tuple[str, ...] = (
    "Ngày đến",
    "Số đến",
    "Tác giả",
    "Số, ký hiệu",
    "Ngày tháng",
    "Tên loại và trích yếu nội dung",
    "Đơn vị hoặc người nhận",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
)
OUTGOING_TYPE_COLUMN, INCOMING_TYPE_COLUMN = 2, 5
OUTGOING_WIDTHS = (15, 14, 40, 18, 30, 20, 10, 14, 10, 14)
INCOMING_WIDTHS = (14, 8, 26, 16, 14, 40, 22, 14, 10, 14)
#: Characters that make a spreadsheet read a cell as a formula (names typed by people can start with them).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER_ROW, NUMBERS_ROW = 5, 6
DATE_FORMAT = "dd/mm/yyyy"
_KEEPERS = (Role.LEADER, Role.CLERK)
_FONT = "Times New Roman"
_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


# --- who sees which register -----------------------------------------------------------------------------


def visible_registers(principal: Principal) -> QuerySet[Register]:
    """The registers ``principal`` may print (see the module's rules), by agency, newest year first."""
    base = Register.objects.select_related("agency").order_by("agency__code", "-year", "direction", "secret")
    if isinstance(principal, ApiCredential):
        if not principal.is_active:
            return base.none()
        return base.filter(agency_id=principal.agency_id, secret=False)
    if not isinstance(principal, Person) or not principal.is_authenticated or not principal.is_active:
        return base.none()
    if principal.is_superuser:
        return base
    roles = RoleAssignment.objects.filter(person=principal, is_active=True, agency__is_active=True)
    keeper_agencies = roles.filter(role__in=_KEEPERS).values("agency_id")
    member_agencies = roles.values("agency_id")
    return base.filter(
        Q(agency_id__in=keeper_agencies)
        | Q(agency_id__in=member_agencies, direction=Direction.OUTGOING, secret=False)
    )


def register_for(principal: Principal, pk: int) -> Register:
    found = visible_registers(principal).filter(pk=pk).first()
    if found is None:
        raise Http404(NOT_VISIBLE)
    return found


# --- the period --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end``, both included, inside one register's year."""

    start: date
    end: date

    @property
    def is_whole_year(self) -> bool:
        return (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31)


def period_of(register: Register, date_from: date | None = None, date_to: date | None = None) -> Period:
    """The period to print: the register's whole year unless narrowed; outside the year is refused."""
    first, last = date(register.year, 1, 1), date(register.year, 12, 31)
    start, end = date_from or first, date_to or last
    problems: list[FieldProblem] = []
    for name, value in (("date_from", start), ("date_to", end)):
        if not first <= value <= last:
            problems.append(
                FieldProblem(
                    name,
                    "period_outside_year",
                    _("Ngày %(day)s nằm ngoài năm %(year)s của sổ.")
                    % {"day": f"{value:%d/%m/%Y}", "year": register.year},
                )
            )
    if not problems and start > end:
        problems.append(
            FieldProblem("date_to", "period_order", _("Ngày kết thúc phải sau hoặc bằng ngày bắt đầu."))
        )
    if problems:
        raise DomainError(message=problems[0].message, rule=problems[0].rule, problems=problems)
    return Period(start, end)


# --- the lines ---------------------------------------------------------------------------------------------


def _local_day(moment: datetime | None) -> date | None:
    return timezone.localdate(moment) if moment is not None else None


def _bounds(period: Period) -> tuple[datetime, datetime]:
    zone = timezone.get_default_timezone()
    start = timezone.make_aware(datetime.combine(period.start, time.min), zone)
    end = timezone.make_aware(datetime.combine(period.end + timedelta(days=1), time.min), zone)
    return start, end


def _marks(urgency: str, secrecy: str) -> list[str]:
    marks = []
    if urgency != Urgency.NORMAL:
        marks.append(str(Urgency(urgency).label))
    if secrecy != Secrecy.NONE:
        marks.append(str(Secrecy(secrecy).label))
    return marks


def outgoing_lines(register: Register, period: Period) -> list[list[Any]]:
    """One line per document issued in ``period``, in number order, in :data:`OUTGOING_COLUMNS` order."""
    rows = (
        OutgoingDocument.objects.filter(
            register=register,
            number__isnull=False,
            issue_date__gte=period.start,
            issue_date__lte=period.end,
        )
        .select_related("document_type", "signer", "drafting_unit", "drafter")
        .prefetch_related("recipients")
        .defer("search_text", "extracted_text", "body")
        .order_by("number")
    )
    lines: list[list[Any]] = []
    for doc in rows:
        recipients = [r.name for r in doc.recipients.all()]
        keeper = doc.drafting_unit.name if doc.drafting_unit is not None else doc.drafter.full_name
        lines.append(
            [
                doc.number_notation,
                doc.issue_date,
                (doc.document_type.name, doc.subject),
                doc.signer.full_name,
                "; ".join(recipients),
                _("Văn thư; %(keeper)s") % {"keeper": keeper},
                len(recipients),
                _local_day(doc.issued_at),
                "",
                "; ".join(_marks(doc.urgency, doc.secrecy)),
            ]
        )
    return lines


def _handler(document: IncomingDocument) -> str:
    active = [a for a in document.assignments.all() if a.is_active]
    main = [a for a in active if a.role == HandlerRole.MAIN]
    names = []
    for item in main + [a for a in active if a.role != HandlerRole.MAIN]:
        who = item.person.full_name if item.person is not None else item.unit.name if item.unit else ""
        names.append(who if item.role == HandlerRole.MAIN else _("%(who)s (phối hợp)") % {"who": who})
    return "; ".join(names)


def incoming_lines(register: Register, period: Period) -> list[list[Any]]:
    """One line per document received in ``period``, by arrival number, in :data:`INCOMING_COLUMNS` order."""
    start, end = _bounds(period)
    assignments = HandlingAssignment.objects.filter(is_active=True).select_related("unit", "person")
    rows = (
        IncomingDocument.objects.filter(register=register, received_at__gte=start, received_at__lt=end)
        .select_related("document_type", "duplicate_of")
        .prefetch_related(Prefetch("assignments", queryset=assignments))
        .defer("search_text", "extracted_text", "signature_report")
        .order_by("arrival_number")
    )
    lines: list[list[Any]] = []
    for doc in rows:
        notes = _marks(doc.urgency, doc.secrecy)
        if doc.duplicate_of is not None:
            notes.append(_("bản khác của số đến %(number)s") % {"number": doc.duplicate_of.arrival_number})
        lines.append(
            [
                _local_day(doc.received_at),
                doc.arrival_number,
                doc.issuer_name,
                doc.number_notation,
                doc.document_date,
                (doc.document_type.name if doc.document_type else "", doc.subject),
                _handler(doc),
                _local_day(doc.assigned_at),
                "",
                "; ".join(notes),
            ]
        )
    return lines


@dataclass(frozen=True)
class RegisterSheet:
    """Everything a printed register shows: plain values, no model objects (the PDF template sees only this)."""

    agency_name: str
    parent_name: str
    title: str
    #: The name an administrator gave the register, if any (the default name only repeats the title).
    register_name: str
    year: int
    period: Period
    columns: Sequence[str]
    widths: Sequence[int]
    lines: list[list[Any]]

    @property
    def type_column(self) -> int:
        """The 1-based column holding ``(type name, subject)``."""
        return (OUTGOING_TYPE_COLUMN if self.columns == OUTGOING_COLUMNS else INCOMING_TYPE_COLUMN) + 1

    @property
    def percent_widths(self) -> list[float]:
        total = sum(self.widths)
        return [round(100 * width / total, 2) for width in self.widths]

    @property
    def year_text(self) -> str:
        year = _("Năm %(year)s") % {"year": self.year}
        return f"{year} – {self.register_name}" if self.register_name else year

    @property
    def period_text(self) -> str:
        return _("Từ ngày %(start)s đến ngày %(end)s") % {
            "start": f"{self.period.start:%d/%m/%Y}",
            "end": f"{self.period.end:%d/%m/%Y}",
        }


def register_sheet(register: Register, period: Period) -> RegisterSheet:
    outgoing = register.direction == Direction.OUTGOING
    with translation.override("vi"):  # a register is a legal form: always Vietnamese
        title = _("Sổ đăng ký văn bản đi") if outgoing else _("Sổ đăng ký văn bản đến")
        if register.secret:
            title = _("%(title)s (mật)") % {"title": title}
        lines = outgoing_lines(register, period) if outgoing else incoming_lines(register, period)
        return RegisterSheet(
            agency_name=register.agency.name,
            parent_name=register.agency.parent.name if register.agency.parent is not None else "",
            title=title,
            register_name=register.name,
            year=register.year,
            period=period,
            columns=OUTGOING_COLUMNS if outgoing else INCOMING_COLUMNS,
            widths=OUTGOING_WIDTHS if outgoing else INCOMING_WIDTHS,
            lines=lines,
        )


def file_name(register: Register, period: Period, extension: str) -> str:
    kind = "di" if register.direction == Direction.OUTGOING else "den"
    secret = "-mat" if register.secret else ""
    span = str(register.year) if period.is_whole_year else f"{period.start:%Y%m%d}-{period.end:%Y%m%d}"
    return f"so-van-ban-{kind}{secret}-{register.agency.code}-{span}.{extension}"


# --- XLSX ----------------------------------------------------------------------------------------------------


def _text_cell(cell: Any, value: str) -> None:
    cell.value = value
    # Always text; the quote prefix keeps Excel from reading "=…" or "+84…" as a formula after an edit.
    cell.data_type = "s"
    if value.startswith(FORMULA_STARTS):
        cell.quotePrefix = True


def register_xlsx(sheet: RegisterSheet) -> bytes:
    """The register as a workbook: agency, title, year and period on top, the decree's columns, one line each."""
    with translation.override("vi"):
        return _workbook(sheet)


def _workbook(sheet: RegisterSheet) -> bytes:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "So van ban"
    count = len(sheet.columns)
    last = get_column_letter(count)
    heads = (
        (1, sheet.agency_name.upper(), 12),
        (2, sheet.title.upper(), 14),
        (3, sheet.year_text, 12),
        (4, sheet.period_text, 12),
    )
    for row, text, size in heads:
        ws.merge_cells(f"A{row}:{last}{row}")
        cell = ws.cell(row=row, column=1)
        _text_cell(cell, text)
        cell.font = Font(name=_FONT, size=size, bold=row <= 2)
        cell.alignment = Alignment(horizontal="center")
    for index, (title, width) in enumerate(zip(sheet.columns, sheet.widths, strict=True), start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
        head = ws.cell(row=HEADER_ROW, column=index)
        _text_cell(head, title)
        head.font = Font(name=_FONT, size=11, bold=True)
        head.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        head.border = _BOX
        numbered = ws.cell(row=NUMBERS_ROW, column=index, value=f"({index})")
        numbered.font = Font(name=_FONT, size=10, italic=True)
        numbered.alignment = Alignment(horizontal="center")
        numbered.border = _BOX
    for offset, line in enumerate(sheet.lines, start=NUMBERS_ROW + 1):
        for index, value in enumerate(line, start=1):
            cell = ws.cell(row=offset, column=index)
            if isinstance(value, tuple):
                _text_cell(cell, "\n".join(part for part in value if part))
            elif isinstance(value, date):
                cell.value = value
                cell.number_format = DATE_FORMAT
            elif isinstance(value, int):
                cell.value = value
            else:
                _text_cell(cell, str(value))
            cell.font = Font(name=_FONT, size=11)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.border = _BOX
    ws.freeze_panes = f"A{NUMBERS_ROW + 1}"
    ws.print_title_rows = f"{HEADER_ROW}:{NUMBERS_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    if ws.sheet_properties.pageSetUpPr is not None:
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- PDF -------------------------------------------------------------------------------------------------------


class _NoFetching(URLFetcher):
    """The register template needs nothing from outside; refuse every URL (no file on disk, no network)."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data",), allow_redirects=False)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        raise ValueError(f"registers render no outside resource: {url[:80]}")


def _printable(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return value


def register_pdf(sheet: RegisterSheet) -> bytes:
    """The register on A4 landscape pages (WeasyPrint, Liberation Serif), the header repeated on every page."""
    lines = [[_printable(value) for value in line] for line in sheet.lines]
    with translation.override("vi"):
        html = render_to_string("documents/pdf/register.html", {"sheet": sheet, "lines": lines})
    pdf = HTML(string=html, base_url=None, url_fetcher=_NoFetching()).write_pdf()
    assert isinstance(pdf, bytes)
    return pdf
