"""Outgoing documents' pages: the draft form (new, or editing a draft that is with its drafter), the document
page with only the actions this person may take, the leader's signing page (built for a phone), the files.

A refusal of a service is shown on the form that caused it, with the page's fresh state and the refusal's
status (400 input, 403 role, 409 state); a document outside what the person may see is 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lienthong.core.errors import DomainError
from lienthong.directory.models import Person, Role

from . import page_selectors, selectors, services
from .files import read_pdf
from .forms import DraftForm, ReviewForm, SecretForm, SubmitForm, place_error
from .models import IncomingDocument, OutgoingDocument, OutgoingStatus, QueueStatus, StepStage
from .services.common import check_version, roles_in
from .views import officer, refusal, stored_pdf

_DRAFT_FIELDS = {"drafting_unit": "agency", "pdf_base64": "pdf"}


# --- the draft form ----------------------------------------------------------------------------------------


def _draft_form(person: Person, data: Any = None, files: Any = None, **kwargs: Any) -> DraftForm:
    agencies = page_selectors.agencies_with(person, page_selectors.DRAFTER_ROLES)
    replies = selectors.incoming_documents(person).filter(agency__in=agencies)
    return DraftForm(
        data,
        files,
        agencies=agencies,
        signers=page_selectors.leaders_of(agencies),
        # An agency does not send to itself; with several agencies the service says which one is wrong.
        recipients=page_selectors.platform_agencies(agencies[0] if len(agencies) == 1 else None),
        replies=replies,
        **kwargs,
    )


def _content(form: DraftForm) -> services.DraftContent:
    data = form.cleaned_data
    upload = data.get("pdf")
    return services.DraftContent(
        document_type=data["document_type"],
        subject=data["subject"],
        summary=data.get("summary") or "",
        body=data.get("body") or "",
        signer=data["signer"],
        signer_position=data.get("signer_position") or None,
        authority_prefix=data.get("authority_prefix") or "",
        authority_of=data.get("authority_of") or "",
        recipients=form.recipient_inputs(),
        urgency=data["urgency"],
        secrecy=data["secrecy"],
        reply_due=data.get("reply_due"),
        reply_to=data.get("reply_to"),
        completes_reply=bool(data.get("completes_reply")),
        pdf=upload.read() if upload else None,
        attachments=[
            services.AttachmentInput(f.name.rsplit(".", 1)[0] or f.name, f.name, f.read())
            for f in data.get("attachments") or []
        ]
        or None,
    )


def _place_draft_error(form: DraftForm, error: DomainError) -> None:
    names = dict(_DRAFT_FIELDS)
    for problem in error.problems or []:
        field = problem.field or ""
        if field.startswith("recipients["):
            index = int(field[len("recipients[") :].split("]", 1)[0])
            names[field] = form.recipient_field(index)
        elif field.startswith("attachments"):
            names[field] = "attachments"
    place_error(form, error, names)


def _initial_for(document: OutgoingDocument) -> dict[str, Any]:
    recipients = list(document.recipients.all())
    return {
        "agency": document.agency,
        "document_type": document.document_type.code,
        "subject": document.subject,
        "summary": document.summary,
        "body": document.body,
        "signer": document.signer,
        "signer_position": document.signer_position,
        "authority_prefix": document.authority_prefix,
        "authority_of": document.authority_of,
        "platform_recipients": [r.agency_code for r in recipients if not r.is_external],
        "outside_recipients": "\n".join(f"{r.agency_code} {r.name}" for r in recipients if r.is_external),
        "urgency": document.urgency,
        "secrecy": document.secrecy,
        "reply_due": document.reply_due,
        "reply_to": document.reply_to,
        "completes_reply": document.completes_reply,
    }


def _reply_initial(request: HttpRequest, person: Person) -> dict[str, Any]:
    """Drafting an answer (``?tra-loi=ID``): the reply links to the incoming document and goes to its issuer."""
    raw = request.GET.get("tra-loi", "")
    if not raw.isdigit():
        return {}
    incoming = selectors.incoming_for(person, int(raw))
    initial: dict[str, Any] = {
        "reply_to": incoming,
        "agency": incoming.agency,
        "subject": _("Trả lời văn bản số %(number)s") % {"number": incoming.number_notation}
        if incoming.number_notation
        else "",
    }
    if incoming.issuer is not None and incoming.issuer.is_active:
        initial["platform_recipients"] = [incoming.issuer.code]
    elif incoming.issuer_code:
        initial["outside_recipients"] = f"{incoming.issuer_code} {incoming.issuer_name}"
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def draft_new(request: HttpRequest) -> HttpResponse:
    person = officer(request)
    if not page_selectors.agencies_with(person, page_selectors.DRAFTER_ROLES).exists():
        return refusal(
            request,
            DomainError(
                message=_("Chỉ chuyên viên, trưởng đơn vị hoặc lãnh đạo được soạn văn bản đi."),
                rule="drafter_role_required",
                status=403,
            ),
        )
    status = 200
    if request.method == "POST":
        form = _draft_form(person, request.POST, request.FILES)
        status = 400
        if form.is_valid():
            try:
                document = services.create_draft(
                    actor=person, agency=form.cleaned_data["agency"], content=_content(form)
                )
            except DomainError as error:
                status = error.status
                _place_draft_error(form, error)
            else:
                messages.success(request, _("Đã lưu dự thảo. Kiểm tra tệp rồi trình thẩm định."))
                return redirect("documents:outgoing", pk=document.pk)
    else:
        form = _draft_form(person, initial=_reply_initial(request, person))
    reply_to = form["reply_to"].value()
    context = {
        "form": form,
        "document": None,
        "reply_to": _reply_target(person, reply_to),
        "files_lost": bool(request.FILES) and status != 200,
    }
    return render(request, "documents/outgoing_form.html", context, status=status)


def _reply_target(person: Person, value: Any) -> IncomingDocument | None:
    if isinstance(value, IncomingDocument):
        return value
    if value and str(value).isdigit():
        return selectors.incoming_documents(person).filter(pk=int(value)).first()
    return None


@login_required
@require_http_methods(["GET", "POST"])
def draft_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The drafter changes a draft that is with them (new or returned); the uploaded file is kept unless a
    new one is given."""
    person = officer(request)
    document = selectors.outgoing_for(person, pk)
    if document.drafter_id != person.pk or document.status not in (
        OutgoingStatus.DRAFT,
        OutgoingStatus.RETURNED,
    ):
        return refusal(
            request,
            DomainError(
                message=_("Chỉ người soạn thảo được sửa, khi dự thảo chưa trình hoặc bị trả lại."),
                rule="not_editable",
                status=409,
            ),
        )
    status = 200
    if request.method == "POST":
        form = _draft_form(person, request.POST, request.FILES)
        status = 400
        if form.is_valid():
            try:
                services.update_draft(
                    actor=person,
                    document=document,
                    content=_content(form),
                    expected_version=_int(request.POST.get("version")),
                )
            except DomainError as error:
                status = error.status
                _place_draft_error(form, error)
            else:
                messages.success(request, _("Đã lưu dự thảo (phiên bản mới)."))
                return redirect("documents:outgoing", pk=document.pk)
    else:
        form = _draft_form(person, initial=_initial_for(document))
    context = {
        "form": form,
        "document": document,
        "reply_to": document.reply_to,
        "files_lost": bool(request.FILES) and status != 200,
    }
    return render(request, "documents/outgoing_form.html", context, status=status)


def _int(value: Any) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() else None


# --- the document page -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Abilities:
    edit: bool
    submit: bool
    review: bool
    sign: bool
    give_back: bool  # the signer returns the draft instead of signing
    issue: bool

    @property
    def any(self) -> bool:
        return any((self.edit, self.submit, self.review, self.sign, self.give_back, self.issue))


def abilities(person: Person, document: OutgoingDocument) -> Abilities:
    """What the page offers ``person``; the services decide again when it is done."""
    own_draft = document.drafter_id == person.pk and document.status in (
        OutgoingStatus.DRAFT,
        OutgoingStatus.RETURNED,
    )
    step = page_selectors.pending_step(document)
    mine = step is not None and step.assignee_id == person.pk
    signing = mine and step is not None and step.stage == StepStage.SIGNATURE
    return Abilities(
        edit=own_draft,
        submit=own_draft,
        review=mine and step is not None and step.stage == StepStage.REVIEW,
        sign=signing and document.signer_id == person.pk,
        give_back=signing,
        issue=document.status == OutgoingStatus.SIGNED and Role.CLERK in roles_in(person, document.agency),
    )


_WAITING = {
    str(QueueStatus.WAITING): gettext_lazy("Đang chờ gửi qua trục liên thông"),
    str(QueueStatus.SENDING): gettext_lazy("Đang gửi qua trục liên thông"),
}


def recipient_rows(document: OutgoingDocument) -> list[dict[str, Any]]:
    rows = []
    for recipient in document.recipients.select_related("delivery", "agency").order_by("position", "id"):
        code, label = selectors.recipient_state(recipient)
        # Outside recipients are "waiting" until the exchange reports; never shown as sent before.
        label = str(_WAITING.get(code, label))
        rows.append({"recipient": recipient, "state": code, "label": label})
    return rows


def _forms(
    person: Person, document: OutgoingDocument, able: Abilities, failed: str = "", bound: Any = None
) -> dict[str, forms.Form]:
    initial = {"version": document.version}
    found: dict[str, forms.Form] = {}
    if able.submit:
        found["submit"] = SubmitForm(
            initial=initial, reviewers=page_selectors.reviewers_of(document.agency, besides=person)
        )
    if able.review or able.give_back:
        found["review"] = ReviewForm(initial={**initial, "decision": "return"})
    if able.sign:
        found["sign"] = SecretForm(initial=initial)
    if able.issue:
        found["issue"] = SecretForm(initial=initial)
    if failed in found and bound is not None:
        found[failed] = bound
    return found


def _detail_context(
    person: Person, document: OutgoingDocument, failed: str = "", bound: Any = None
) -> dict[str, Any]:
    able = abilities(person, document)
    return {
        "document": document,
        "able": able,
        "forms": _forms(person, document, able, failed, bound),
        "steps": page_selectors.steps_of(document),
        "pending": page_selectors.pending_step(document),
        "recipients": recipient_rows(document),
        "attachments": list(document.attachments.all()),
        "reply_to": document.reply_to
        if document.reply_to_id
        and selectors.incoming_documents(person).filter(pk=document.reply_to_id).exists()
        else None,
        "roles": roles_in(person, document.agency),
    }


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = officer(request)
    document = selectors.outgoing_for(person, pk)
    return render(request, "documents/outgoing_detail.html", _detail_context(person, document))


@login_required
@require_GET
def sign_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The leader's signing page: one column, the file, the secret, two large buttons — usable on a phone."""
    person = officer(request)
    document = selectors.outgoing_for(person, pk)
    return render(request, "documents/outgoing_sign.html", _detail_context(person, document))


_ACTIONS = ("submit", "review", "sign", "issue")


def _bound(person: Person, document: OutgoingDocument, action: str, data: Any) -> forms.Form:
    if action == "submit":
        return SubmitForm(data, reviewers=page_selectors.reviewers_of(document.agency, besides=person))
    if action == "review":
        return ReviewForm(data)
    return SecretForm(data)


def _run(person: Person, document: OutgoingDocument, action: str, data: dict[str, Any]) -> str:
    version = data["version"]
    if action == "submit":
        services.submit_draft(
            actor=person, document=document, reviewer=data.get("reviewer"), expected_version=version
        )
        return _("Đã trình dự thảo.")
    if action == "review":
        check_version(document, version)  # the reviewer judged the version on their page
        services.review_draft(actor=person, document=document, decision=data["decision"], note=data["note"])
        return _("Đã đồng ý, chuyển trình ký.") if data["decision"] == "approve" else _("Đã trả lại dự thảo.")
    if action == "sign":
        services.sign_document(
            actor=person, document=document, secret=data.get("secret") or None, expected_version=version
        )
        return _("Đã ký số văn bản. Văn thư sẽ cấp số và phát hành.")
    issued = services.issue_document(actor=person, document=document, secret=data.get("secret") or None)
    return _("Đã phát hành văn bản số %(number)s.") % {"number": issued.number_notation}


@login_required
@require_POST
def act(request: HttpRequest, pk: int) -> HttpResponse:
    """Run one action (``action``: submit, review, sign, issue) and come back to the document page."""
    person = officer(request)
    document = selectors.outgoing_for(person, pk)
    action = request.POST.get("action", "")
    if action not in _ACTIONS:
        raise Http404(_("Không có thao tác này."))
    template = (
        "documents/outgoing_sign.html"
        if request.POST.get("page") == "ky"
        else "documents/outgoing_detail.html"
    )
    form = _bound(person, document, action, request.POST)
    status, refused = 400, _("Thao tác không hợp lệ; hãy tải lại trang.")
    if form.is_valid():
        try:
            message = _run(person, document, action, form.cleaned_data)
        except DomainError as error:
            status, refused = error.status, error.message
            document = selectors.outgoing_for(person, pk)
            place_error(form, error)
        else:
            messages.success(request, message)
            return redirect("documents:outgoing", pk=document.pk)
    context = _detail_context(person, document, action, form)
    if context["forms"].get(action) is not form:
        context["refusal"] = refused  # the form is no longer offered: say why above everything
    return render(request, template, context, status=status)


# --- files -------------------------------------------------------------------------------------------------


def _name(document: OutgoingDocument) -> str:
    return (document.number_notation or f"du-thao-{document.pk}").replace("/", "_") + ".pdf"


@login_required
@require_GET
def file(request: HttpRequest, pk: int) -> HttpResponse:
    """The latest copy: issued, else signed, else the draft."""
    document = selectors.outgoing_for(officer(request), pk)
    return stored_pdf(request, lambda: selectors.file_of(document), _name(document), document)


@login_required
@require_GET
def attachment(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    document = selectors.outgoing_for(officer(request), pk)
    row = document.attachments.filter(pk=item).first()
    if row is None:
        raise Http404(_("Không có tệp đính kèm này."))
    if row.issued_sha256:
        name, sha256 = row.issued_storage_name, row.issued_sha256
    else:
        name, sha256 = row.storage_name, row.sha256
    return stored_pdf(request, lambda: read_pdf(name, sha256), row.file_name, row)
