"""Officer downloads: a dossier's slip as a PDF (forms 01–05) and the desk's tracking register (form 06, XLSX).

A dossier or an agency outside the officer's scope answers 404, like one that does not exist. A slip the
dossier has not got yet answers 409, a form number that does not exist 404, and bad register parameters 400 —
each on a page that names the field.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lienthong.core.errors import DomainError
from lienthong.directory.models import Role
from lienthong.directory.selectors import agency_for, roles_of, visible_agencies

from . import selectors, slips
from .register import register_rows, tracking_register_xlsx
from .timeliness import vietnam_date

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: The longest period one register covers: a year's book (a longer one is split).
MAX_PERIOD_DAYS = 366
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _problem(request: HttpRequest, error: DomainError) -> HttpResponse:
    return render(request, "onestop/officer/slip_problem.html", {"error": error}, status=error.status)


@login_required
@require_GET
def slip_pdf(request: HttpRequest, code: str, form: str) -> HttpResponse:
    """The slip ``form`` of the dossier as a PDF shown in the browser (``<code>-mau-<form>.pdf``)."""
    dossier = selectors.dossier_for(request.user, code)
    try:
        pdf = slips.render_slip_pdf(dossier, form)
    except DomainError as error:
        return _problem(request, error)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{dossier.code}-mau-{form}.pdf"'
    return response


def _date_param(request: HttpRequest, name: str, default: date) -> date:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return default
    try:
        if not _ISO_DATE.match(raw):
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise DomainError(
            message=_("Tham số “%(field)s” phải là một ngày dạng YYYY-MM-DD, ví dụ 2027-02-01.")
            % {"field": name},
            rule="date",
            field=name,
        ) from exc


def _default_agency(request: HttpRequest) -> str:
    """The first agency where the officer works at the one-stop desk, else the first one they may see."""
    desk = (
        roles_of(request.user)
        .filter(role=Role.ONESTOP_OFFICER)
        .values_list("agency__code", flat=True)
        .first()
    )
    code = desk or visible_agencies(request.user).order_by("code").values_list("code", flat=True).first()
    if code is None:
        raise DomainError(
            message=_("Hãy chọn cơ quan bằng tham số “co_quan” (mã định danh của cơ quan)."),
            rule="required",
            field="co_quan",
        )
    return code


def _period(request: HttpRequest) -> tuple[date, date]:
    today = vietnam_date(timezone.now())
    first = today.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    start = _date_param(request, "tu", first)
    end = _date_param(request, "den", last)
    if end < start:
        raise DomainError(
            message=_("Tham số “den” (đến ngày) không được trước “tu” (từ ngày)."),
            rule="after_start",
            field="den",
        )
    if (end - start).days >= MAX_PERIOD_DAYS:
        raise DomainError(
            message=_("Một sổ theo dõi chỉ gồm tối đa %(days)d ngày; hãy rút ngắn khoảng “tu” – “den”.")
            % {"days": MAX_PERIOD_DAYS},
            rule="max_period",
            field="den",
        )
    return start, end


@login_required
@require_GET
def register_xlsx(request: HttpRequest) -> HttpResponse:
    """Form 06 for one agency and period: ``?co_quan=<mã định danh>&tu=YYYY-MM-DD&den=YYYY-MM-DD``.

    Without ``co_quan`` the officer's own one-stop desk; without dates the current month (Vietnam time).
    """
    try:
        code = request.GET.get("co_quan", "").strip() or _default_agency(request)
        start, end = _period(request)
    except DomainError as error:
        return _problem(request, error)
    agency = agency_for(request.user, code)
    content = tracking_register_xlsx(register_rows(request.user, code, start, end), agency, start, end)
    response = HttpResponse(content, content_type=XLSX)
    name = f"so-theo-doi-{agency.code}-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
