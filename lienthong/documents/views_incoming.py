"""Incoming documents' pages: the clerk registers a scan or a file; the document page shows the signature
check of the file as received, the assignment (leader: units or people, a deadline in working days or a date),
opinions and progress, completion, and the answers drafted to it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lienthong.core.errors import DomainError
from lienthong.directory.models import Person, Role, Unit

from . import page_selectors, selectors, services
from .forms import AssignForm, CompleteForm, IncomingForm, NoteForm, handler_choices, place_error
from .models import IncomingDocument, IncomingStatus
from .services.common import roles_in
from .services.handling import is_handler
from .views import officer, refusal, stored_pdf, timeliness_label

_INCOMING_FIELDS = {"pdf_base64": "pdf", "file_name": "pdf", "received_at": "document_date"}


@login_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """The clerk enters a document from a scan or a file in the incoming register."""
    person = officer(request)
    agencies = page_selectors.agencies_with(person, (Role.CLERK,))
    if not agencies.exists():
        return refusal(
            request,
            DomainError(
                message=_("Chỉ văn thư được vào sổ văn bản đến."), rule="clerk_role_required", status=403
            ),
        )
    status = 200
    duplicate = False
    if request.method == "POST":
        form = IncomingForm(request.POST, request.FILES, agencies=agencies)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            upload = data["pdf"]
            content = services.IncomingContent(
                issuer_name=data.get("issuer_name") or "",
                issuer_code=data.get("issuer_code") or "",
                number_notation=data.get("number_notation") or "",
                document_date=data["document_date"],
                document_type=data.get("document_type"),
                subject=data["subject"],
                summary=data.get("summary") or "",
                urgency=data["urgency"],
                secrecy=data["secrecy"],
                signer_name=data.get("signer_name") or "",
                signer_position=data.get("signer_position") or "",
                reply_due=data.get("reply_due"),
                pdf=upload.read(),
                file_name=upload.name or "",
            )
            try:
                document = services.register_incoming(
                    actor=person,
                    agency=data["agency"],
                    content=content,
                    confirm_duplicate=bool(data.get("confirm_duplicate")),
                )
            except DomainError as error:
                status = error.status
                duplicate = error.rule == "duplicate_incoming"
                place_error(form, error, _INCOMING_FIELDS)
            else:
                messages.success(
                    request,
                    _("Đã vào sổ văn bản đến, số đến %(number)02d.") % {"number": document.arrival_number},
                )
                return redirect("documents:incoming", pk=document.pk)
    else:
        form = IncomingForm(agencies=agencies)
    context = {"form": form, "duplicate": duplicate, "files_lost": bool(request.FILES) and status != 200}
    return render(request, "documents/incoming_form.html", context, status=status)


def _signatures(document: IncomingDocument) -> list[dict[str, Any]]:
    """The stored report of each signature, with its moments read back as datetimes for display."""
    rows = []
    for item in (document.signature_report or {}).get("signatures", []):
        row = dict(item)
        for key in ("signing_time", "timestamp_time"):
            row[key] = parse_datetime(item[key]) if item.get(key) else None
        rows.append(row)
    return rows


def _abilities(person: Person, document: IncomingDocument) -> dict[str, bool]:
    roles = roles_in(person, document.agency)
    open_ = document.status != IncomingStatus.COMPLETED
    leader = Role.LEADER in roles
    return {
        "assign": leader and open_,
        "note": open_ and (leader or is_handler(person, document)),
        "complete": document.status == IncomingStatus.ASSIGNED
        and is_handler(person, document, main_only=True),
        "reply": bool(roles & set(page_selectors.DRAFTER_ROLES)),
    }


def _assign_form(document: IncomingDocument, data: Any = None) -> AssignForm:
    choices = handler_choices(
        page_selectors.staff_of(document.agency), page_selectors.units_of(document.agency)
    )
    return AssignForm(data, choices=choices, prefix="assign")


def _forms(person: Person, document: IncomingDocument, able: dict[str, bool]) -> dict[str, forms.Form]:
    found: dict[str, forms.Form] = {}
    if able["assign"]:
        found["assign"] = _assign_form(document)
    if able["note"]:
        found["note"] = NoteForm(prefix="note")
    if able["complete"]:
        found["complete"] = CompleteForm(prefix="complete", replies=page_selectors.issued_replies(document))
    return found


def _context(
    person: Person, document: IncomingDocument, failed: str = "", bound: Any = None
) -> dict[str, Any]:
    able = _abilities(person, document)
    found = _forms(person, document, able)
    if failed in found and bound is not None:
        found[failed] = bound
    origin = (
        selectors.outgoing_documents(person).filter(pk=document.outgoing_id).first()
        if document.outgoing_id
        else None
    )
    return {
        "document": document,
        "able": able,
        "forms": found,
        "signatures": _signatures(document),
        "assignments": page_selectors.assignments_of(document),
        "notes": page_selectors.notes_of(document),
        "replies": page_selectors.replies_of(document, person),
        "origin": origin,
        "timeliness": timeliness_label(selectors.processing_timeliness(document)),
        "attachments": list(document.attachments.all()),
    }


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = officer(request)
    document = selectors.incoming_for(person, pk)
    return render(request, "documents/incoming_detail.html", _context(person, document))


def _handler(document: IncomingDocument, value: str) -> Person | Unit:
    kind, _sep, raw = value.partition(":")
    if kind == "u":
        unit = page_selectors.units_of(document.agency).filter(pk=int(raw)).first()
        if unit is not None:
            return unit
    elif kind == "p":
        found = page_selectors.staff_of(document.agency).filter(pk=int(raw)).first()
        if found is not None:
            return found
    raise DomainError(message=_("Người hoặc đơn vị xử lý không hợp lệ."), rule="type", field="main")


def _run(person: Person, document: IncomingDocument, action: str, data: dict[str, Any]) -> str:
    if action == "assign":
        services.assign_incoming(
            actor=person,
            document=document,
            main=_handler(document, data["main"]),
            cooperating=[_handler(document, v) for v in data.get("cooperating") or []],
            due_in_days=data.get("due_in_days"),
            due_date=data.get("due_date"),
            note=data.get("note") or "",
        )
        return _("Đã phân công xử lý.")
    if action == "note":
        services.add_note(actor=person, document=document, text=data["text"], kind=data["kind"])
        return _("Đã ghi ý kiến, tiến độ.")
    services.complete_incoming(
        actor=person, document=document, result_note=data.get("result_note") or "", reply=data.get("reply")
    )
    return _("Đã hoàn thành xử lý văn bản đến.")


@login_required
@require_POST
def act(request: HttpRequest, pk: int) -> HttpResponse:
    """Run one action (``action``: assign, note, complete) and come back to the document page."""
    person = officer(request)
    document = selectors.incoming_for(person, pk)
    action = request.POST.get("action", "")
    form: forms.Form
    if action == "assign":
        form = _assign_form(document, request.POST)
    elif action == "note":
        form = NoteForm(request.POST, prefix="note")
    elif action == "complete":
        form = CompleteForm(request.POST, prefix="complete", replies=page_selectors.issued_replies(document))
    else:
        raise Http404(_("Không có thao tác này."))
    status, refused = 400, _("Thao tác không hợp lệ; hãy tải lại trang.")
    if form.is_valid():
        try:
            message = _run(person, document, action, form.cleaned_data)
        except DomainError as error:
            status, refused = error.status, error.message
            document = selectors.incoming_for(person, pk)
            place_error(form, error)
        else:
            messages.success(request, message)
            return redirect("documents:incoming", pk=document.pk)
    context = _context(person, document, action, form)
    if context["forms"].get(action) is not form:
        context["refusal"] = refused  # the form is no longer offered: say why above everything
    return render(request, "documents/incoming_detail.html", context, status=status)


@login_required
@require_GET
def file(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.incoming_for(officer(request), pk)
    name = f"van-ban-den-{document.arrival_number:02d}.pdf"
    return stored_pdf(request, lambda: selectors.file_of(document), name, document)
