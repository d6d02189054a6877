"""Public catalogue pages under ``/thu-tuc/`` (no sign-in): search, a procedure, its history and diffs.

Cancelled procedures have left the portal: their search entry and procedure page answer 404. Their history
and diffs remain readable by signed-in officers (dossiers keep pointing at their versions); anonymous
visitors get 404 there too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lienthong.core.errors import NotFound

from . import selectors
from .models import OnlineLevel, Procedure, Status
from .record import TIERS, ProcedureRecord


def _public(code: str, *, include_cancelled: bool = False) -> Procedure:
    try:
        return selectors.procedure_by_code(code, include_cancelled=include_cancelled)
    except NotFound as error:
        raise Http404(error.message) from error


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Search box and filters (field, agency, tier, online level) as GET parameters; 20 results a page."""
    q = request.GET.get("q", "").strip()[: selectors.MAX_QUERY_LENGTH]
    filters = selectors.clean_filters(request.GET.dict())
    rows = selectors.search_procedures(
        q, field=filters["field"], agency=filters["agency"], tier=filters["tier"], level=filters["level"]
    )
    page = selectors.page_of(rows, request.GET.get("page"))
    keep = request.GET.copy()
    keep.pop("page", None)
    context = {
        "q": q,
        "filters": filters,
        "searched": bool(q or any(filters.values())),
        "page": page,
        "total": page.paginator.count,
        "results": [_result(p) for p in page.object_list],
        "query_string": keep.urlencode(),
        "fields": selectors.fields_in_use(),
        "agencies": selectors.agencies_in_use(),
        "tiers": [(t, selectors.TIER_LABELS[t]) for t in TIERS],
        "levels": OnlineLevel.choices,
    }
    return render(request, "catalog/public/search.html", context)


@dataclass(frozen=True)
class Result:
    procedure: Procedure
    processing: str
    suspended: bool


def _result(procedure: Procedure) -> Result:
    return Result(
        procedure,
        selectors.processing_time_text(procedure.processing_value, procedure.processing_unit),
        procedure.status == Status.SUSPENDED,
    )


@dataclass(frozen=True)
class FeeRow:
    case: str
    kind: str
    amount: str


def _fees(record: ProcedureRecord) -> list[FeeRow]:
    return [
        FeeRow(
            fee.case,
            fee.kind,
            selectors.format_vnd(fee.amount) if fee.amount else _("Không thu"),
        )
        for fee in record.fees
    ]


@dataclass(frozen=True)
class ComponentRow:
    name: str
    originals: int
    copies: int
    required: bool
    file_types: str
    template_url: str  # "" unless a web address or a path on this site


def _safe_url(url: str) -> str:
    """Only http(s) addresses and paths of this site become links (never ``javascript:`` and the like)."""
    url = url.strip()
    if url.startswith(("https://", "http://")) or (url.startswith("/") and not url.startswith("//")):
        return url
    return ""


def _components(record: ProcedureRecord) -> list[ComponentRow]:
    return [
        ComponentRow(
            c.name,
            c.originals,
            c.copies,
            c.required,
            ", ".join(t.upper() for t in c.file_types),
            _safe_url(c.template_url),
        )
        for c in record.components
    ]


@require_GET
def detail(request: HttpRequest, code: str) -> HttpResponse:
    """Everything a citizen needs to prepare and submit a dossier, and the appointment they would get now."""
    procedure = _public(code)
    record = selectors.current_record(procedure)
    fees = _fees(record)
    suspended = procedure.status == Status.SUSPENDED
    appointment = None if suspended else selectors.appointment_for(procedure)
    context: dict[str, Any] = {
        "procedure": procedure,
        "record": record,
        "version": procedure.current_version,
        "suspended": suspended,
        "level_label": OnlineLevel(procedure.online_level).label,
        "tiers": ", ".join(str(selectors.TIER_LABELS.get(t, t)) for t in record.tiers),
        "processing": selectors.processing_time_text(record.processing_value, record.processing_unit),
        "calendar_days": record.processing_unit == "calendar_days",
        "fees": fees,
        "components": _components(record),
        "single_fee": fees[0] if len(fees) == 1 and not fees[0].case else None,
        "receiving_name": selectors.agency_name(record.receiving_agency),
        "implementations": selectors.implementations_of(procedure),
        "appointment": appointment,
        "appointment_text": selectors.format_moment(appointment.due) if appointment else "",
    }
    return render(request, "catalog/public/detail.html", context)


def _for_history(request: HttpRequest, code: str) -> Procedure:
    procedure = _public(code, include_cancelled=True)
    if not selectors.history_visible_to(request.user, procedure):
        raise Http404(_("Thủ tục này đã bãi bỏ."))
    return procedure


@require_GET
def history(request: HttpRequest, code: str) -> HttpResponse:
    """The versions of a procedure, newest first, with the fields each one changed."""
    procedure = _for_history(request, code)
    entries = selectors.history_of(procedure)
    return render(
        request,
        "catalog/public/history.html",
        {
            "procedure": procedure,
            "entries": entries,
            "cancelled": procedure.status == Status.CANCELLED,
            "numbers": [e.version.number for e in reversed(entries)],
        },
    )


def _version_number(raw: str | None, default: int) -> int:
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise Http404(_("Số phiên bản phải là một số nguyên.")) from error


@require_GET
def diff(request: HttpRequest, code: str) -> HttpResponse:
    """Two versions compared field by field: ``?tu=1&den=3`` (default: the one before the current, and it)."""
    procedure = _for_history(request, code)
    numbers = [v.number for v in selectors.versions_of(procedure)]
    latest = numbers[-1] if numbers else 1
    a = _version_number(request.GET.get("tu"), max(latest - 1, 1))
    b = _version_number(request.GET.get("den"), latest)
    try:
        result = selectors.version_diff(procedure, a, b)
    except NotFound as error:
        raise Http404(error.message) from error
    return render(
        request,
        "catalog/public/diff.html",
        {
            "procedure": procedure,
            "diff": result,
            "numbers": numbers,
            "a": a,
            "b": b,
            "cancelled": procedure.status == Status.CANCELLED,
        },
    )
