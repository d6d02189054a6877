"""Internal-process pages (quy trình nội bộ): the ordered steps an agency follows for a procedure.

Only the agency's administrators and system administrators see them. The scoping is the directory's
(:func:`lienthong.directory.selectors.agency_for_change`): an agency outside the person's scope, or a procedure
the agency does not implement, answers 404; an officer of the agency without the administrator role gets a 403
page. Saving goes through :func:`services.set_internal_process`, which refuses steps that do not fit the legal
time and says by how many hours.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lienthong.core.errors import DomainError, PermissionDenied
from lienthong.directory import selectors as directory
from lienthong.directory.models import Agency, Person

from . import selectors, services
from .forms import StepFormSet
from .models import Procedure, ProcedureAgency
from .selectors import format_number, processing_time_text


def _actor(request: HttpRequest) -> Person | None:
    return request.user if isinstance(request.user, Person) else None


def _forbidden(request: HttpRequest, error: DomainError) -> HttpResponse:
    return render(request, "catalog/process/forbidden.html", {"message": error.message}, status=403)


def _implementation(agency: Agency, code: str) -> ProcedureAgency:
    """The agency's implementation of procedure ``code``; 404 when the agency does not implement it."""
    found = selectors.implementation_of(agency, code)
    if found is None:
        raise Http404(directory.NOT_VISIBLE)
    return found


def _plain(value: Decimal) -> Decimal:
    """``Decimal("28.50")`` → ``Decimal("28.5")``, ``Decimal("40.00")`` → ``Decimal("40")`` (for the inputs)."""
    return Decimal(f"{value.normalize():f}")


def _hours(value: Decimal) -> str:
    return format_number(float(value))


def _legal_text(procedure: Procedure) -> str:
    text = processing_time_text(procedure.processing_value, procedure.processing_unit)
    if procedure.processing_unit == "working_hours":
        return text
    return _("%(time)s = %(hours)s giờ làm việc") % {
        "time": text,
        "hours": _hours(services.legal_hours(procedure)),
    }


@login_required
def process_list(request: HttpRequest, agency_code: str) -> HttpResponse:
    """The procedures an agency implements, each with its internal process (or none yet)."""
    try:
        agency = directory.agency_for_change(request.user, agency_code)
    except PermissionDenied as error:
        return _forbidden(request, error)
    q = request.GET.get("q", "").strip()[:200]
    processes = selectors.processes_of(agency)
    items: list[dict[str, Any]] = []
    for row in selectors.implemented_by(agency, q):
        process = processes.get(row.procedure_id)
        items.append(
            {
                "procedure": row.procedure,
                "local_code": row.local_code,
                "time": processing_time_text(row.procedure.processing_value, row.procedure.processing_unit),
                "steps": process.step_count if process else 0,
                "total": _hours(process.total_hours) if process else "",
            }
        )
    context = {"agency": agency, "items": items, "q": q, "with_process": len(processes)}
    return render(request, "catalog/process/list.html", context)


@login_required
def process_edit(request: HttpRequest, code: str, agency_code: str) -> HttpResponse:
    """Edit the ordered steps of ``agency_code``'s internal process for procedure ``code``."""
    try:
        agency = directory.agency_for_change(request.user, agency_code)
    except PermissionDenied as error:
        return _forbidden(request, error)
    implementation = _implementation(agency, code)
    procedure = implementation.procedure
    updated_at, saved = selectors.internal_steps(procedure, agency)
    initial = [
        {"title": s.title, "unit": s.unit_id, "role": s.role, "allowance_hours": _plain(s.allowance_hours)}
        for s in saved
    ]
    formset = StepFormSet(
        request.POST if request.method == "POST" else None,
        initial=initial,
        form_kwargs={"agency": agency},
        prefix="buoc",
    )
    if request.method == "POST" and formset.is_valid():
        try:
            services.set_internal_process(
                actor=_actor(request), procedure=procedure, agency=agency, steps=formset.steps()
            )
        except DomainError as error:
            formset.add_domain_error(error)
        else:
            messages.success(request, _("Đã lưu quy trình nội bộ."))
            return redirect("catalog:process_edit", code=procedure.code, agency_code=agency.code)
    limit = services.legal_hours(procedure)
    total = formset.total_hours()
    context = {
        "agency": agency,
        "procedure": procedure,
        "local_code": implementation.local_code,
        "updated_at": updated_at,
        "formset": formset,
        "legal_text": _legal_text(procedure),
        "calendar_days": procedure.processing_unit == "calendar_days",
        "limit": _hours(limit),
        "total": _hours(total),
        "over": _hours(total - limit) if total > limit else "",
        "spare": _hours(limit - total) if total <= limit else "",
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "catalog/process/edit.html", context, status=status)
