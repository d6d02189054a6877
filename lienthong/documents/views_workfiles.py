"""Work files (hồ sơ công việc): the agency's list, opening one, putting a document in it, closing it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lienthong.core.errors import DomainError

from . import page_selectors, selectors, services
from .forms import AddDocumentForm, WorkFileForm, place_error
from .models import IncomingDocument, OutgoingDocument, WorkFile, WorkFileStatus
from .services.workfiles import STAFF_ROLES
from .views import officer


@login_required
@require_http_methods(["GET", "POST"])
def work_files(request: HttpRequest) -> HttpResponse:
    """The work files the person may see, and the form to open one."""
    person = officer(request)
    agencies = page_selectors.agencies_with(person, STAFF_ROLES)
    form = WorkFileForm(agencies=agencies)
    status = 200
    if request.method == "POST":
        form = WorkFileForm(request.POST, agencies=agencies)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = services.create_work_file(
                    actor=person,
                    agency=data["agency"],
                    year=data["year"],
                    code=data["code"],
                    title=data["title"],
                    retention=data["retention"],
                    description=data.get("description") or "",
                )
            except DomainError as error:
                status = error.status
                place_error(form, error)
            else:
                messages.success(request, _("Đã lập hồ sơ %(code)s.") % {"code": created.code})
                return redirect("documents:work_file", pk=created.pk)
    rows = selectors.work_files(person).order_by("-year", "code")[:200]
    context = {"form": form, "rows": rows, "can_create": agencies.exists(), "section": "work_files"}
    return render(request, "documents/work_files.html", context, status=status)


def _choices(work_file: WorkFile, person: Any) -> list[tuple[str, Any]]:
    outgoing, incoming = page_selectors.work_file_candidates(work_file, person)
    return [
        (
            str(_("Văn bản đi")),
            [(f"out:{d.pk}", f"{d.number_notation} – {d.subject[:80]}") for d in outgoing],
        ),
        (
            str(_("Văn bản đến")),
            [(f"in:{d.pk}", f"{_('Số đến')} {d.arrival_number:02d} – {d.subject[:80]}") for d in incoming],
        ),
    ]


def _context(work_file: WorkFile, person: Any, form: AddDocumentForm | None = None) -> dict[str, Any]:
    items = list(work_file.items.select_related("outgoing", "incoming", "added_by").order_by("ordinal"))
    is_open = work_file.status == WorkFileStatus.OPEN
    return {
        "work_file": work_file,
        "items": items,
        "is_open": is_open,
        "section": "work_files",
        "form": form or (AddDocumentForm(choices=_choices(work_file, person)) if is_open else None),
    }


@login_required
@require_http_methods(["GET", "POST"])
def work_file(request: HttpRequest, pk: int) -> HttpResponse:
    """One work file; POST puts a document in it (``out:ID`` or ``in:ID``)."""
    person = officer(request)
    found = selectors.work_file_for(person, pk)
    if request.method == "GET":
        return render(request, "documents/work_file.html", _context(found, person))
    form = AddDocumentForm(request.POST, choices=_choices(found, person))
    status = 400
    if form.is_valid():
        kind, _sep, raw = form.cleaned_data["document"].partition(":")
        document: OutgoingDocument | IncomingDocument = (
            selectors.outgoing_for(person, int(raw))
            if kind == "out"
            else selectors.incoming_for(person, int(raw))
        )
        try:
            services.add_to_work_file(actor=person, work_file=found, document=document)
        except DomainError as error:
            status = error.status
            place_error(form, error)
        else:
            messages.success(request, _("Đã thêm văn bản vào hồ sơ."))
            return redirect("documents:work_file", pk=found.pk)
    return render(request, "documents/work_file.html", _context(found, person, form), status=status)


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    person = officer(request)
    found = selectors.work_file_for(person, pk)
    try:
        services.close_work_file(actor=person, work_file=found)
    except DomainError as error:
        context = _context(found, person)
        context["refusal"] = error.message
        return render(request, "documents/work_file.html", context, status=error.status)
    messages.success(request, _("Đã đóng hồ sơ."))
    return redirect("documents:work_file", pk=found.pk)


@login_required
@require_POST
def remove(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    """Take one document out of an open work file (the document itself stays as it is)."""
    person = officer(request)
    found = selectors.work_file_for(person, pk)
    entry = get_object_or_404(found.items.select_related("outgoing", "incoming"), pk=item)
    document: OutgoingDocument | IncomingDocument = entry.outgoing or entry.incoming  # type: ignore[assignment]
    try:
        services.remove_from_work_file(actor=person, work_file=found, document=document)
    except DomainError as error:
        context = _context(found, person)
        context["refusal"] = error.message
        return render(request, "documents/work_file.html", context, status=error.status)
    messages.success(request, _("Đã bỏ văn bản khỏi hồ sơ."))
    return redirect("documents:work_file", pk=found.pk)
