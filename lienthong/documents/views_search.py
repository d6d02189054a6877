"""The search page (Tra cứu văn bản) and the registers page (Sổ văn bản) with their XLSX and PDF downloads.

Reads only: criteria are checked by :mod:`.search` (a bad field gives the page back with the message next to
the field, status 400), rows come from the scoped selectors, registers from :mod:`.register_exports`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lienthong.core.errors import DomainError

from . import register_exports
from .models import Direction, IncomingStatus, OutgoingStatus, Register
from .search import (
    MAX_QUERY_LENGTH,
    SearchCriteria,
    SearchPage,
    criteria_from,
    search_documents,
)
from .selectors import document_types

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORM_FIELDS = ("direction", "q", "document_type", "date_from", "date_to", "status")
#: The periods offered for each register besides the whole year (quarters, as offices report).
QUARTERS = ((1, 3, 31), (4, 6, 30), (7, 9, 30), (10, 12, 31))


def _page_link(request: HttpRequest, page: int) -> str:
    values = {name: request.GET.get(name, "") for name in _FORM_FIELDS if request.GET.get(name)}
    values["page"] = str(page)
    return "?" + urlencode(values)


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """The search form and, once something was asked, one page of results newest first."""
    asked = any(request.GET.get(name) for name in (*_FORM_FIELDS, "page"))
    errors: dict[str, str] = {}
    found: SearchPage | None = None
    criteria = SearchCriteria()
    status = 200
    if asked:
        try:
            criteria = criteria_from(request.GET)
            found = search_documents(request.user, criteria)
        except DomainError as error:
            errors = {problem.field: problem.message for problem in error.problems}
            status = 400
    direction = request.GET.get("direction") or Direction.INCOMING
    context: dict[str, Any] = {
        "values": {name: request.GET.get(name, "") for name in _FORM_FIELDS},
        "direction": direction if direction in (Direction.INCOMING, Direction.OUTGOING) else "",
        "directions": Direction.choices,
        "types": document_types(),
        "incoming_statuses": IncomingStatus.choices,
        "outgoing_statuses": OutgoingStatus.choices,
        "errors": errors,
        "found": found,
        "asked": asked,
        "max_length": MAX_QUERY_LENGTH,
        "previous_link": _page_link(request, criteria.page - 1) if found and found.has_previous else "",
        "next_link": _page_link(request, criteria.page + 1) if found and found.has_next else "",
    }
    return render(request, "documents/search.html", context, status=status)


def _periods(register: Register) -> list[dict[str, str]]:
    periods = [{"label": _("Cả năm %(year)s") % {"year": register.year}, "query": ""}]
    for number, (first, last, day) in enumerate(QUARTERS, start=1):
        query = urlencode(
            {
                "date_from": date(register.year, first, 1).isoformat(),
                "date_to": date(register.year, last, day).isoformat(),
            }
        )
        periods.append({"label": _("Quý %(number)s") % {"number": number}, "query": "?" + query})
    return periods


@login_required
@require_GET
def registers(request: HttpRequest) -> HttpResponse:
    """The registers the officer may print, each with its whole year and its quarters as PDF and XLSX."""
    rows = [
        {"register": register, "periods": _periods(register)}
        for register in register_exports.visible_registers(request.user)
    ]
    return render(request, "documents/registers.html", {"rows": rows})


def _parsed_day(request: HttpRequest, name: str) -> date | None:
    value = request.GET.get(name, "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DomainError(
            message=_("Ngày phải có dạng năm-tháng-ngày, ví dụ 2026-12-31."), rule="date_format", field=name
        ) from None


def _export(request: HttpRequest, pk: int, extension: str) -> HttpResponse:
    register = register_exports.register_for(request.user, pk)
    try:
        period = register_exports.period_of(
            register, _parsed_day(request, "date_from"), _parsed_day(request, "date_to")
        )
    except DomainError as error:
        context = {"rows": [], "refusal": error.message, "field": error.field or ""}
        return render(request, "documents/registers.html", context, status=400)
    sheet = register_exports.register_sheet(register, period)
    if extension == "xlsx":
        data, content_type = register_exports.register_xlsx(sheet), XLSX_TYPE
    else:
        data, content_type = register_exports.register_pdf(sheet), "application/pdf"
    response = HttpResponse(data, content_type=content_type)
    name = register_exports.file_name(register, period, extension)
    response["Content-Disposition"] = content_disposition_header(extension == "xlsx", name) or ""
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def register_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    return _export(request, pk, "xlsx")


@login_required
@require_GET
def register_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _export(request, pk, "pdf")
