"""Outgoing documents over the API: list, read, draft, submit, review, sign, issue."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from lienthong.directory.auth import api_auth
from lienthong.directory.selectors import agency_for

from .. import selectors, services
from ..models import OutgoingDocument
from ..services import DraftContent, RecipientInput
from .common import actor, decode, files, filtered_page, pdf_response, person_in, principal, unit_in
from .outputs import OutgoingOut, TypeOut, outgoing_out
from .schemas import DraftFields, DraftIn, DraftUpdateIn, IssueIn, ReviewIn, SignIn, SubmitIn

router = Router(auth=api_auth)


def _content(request: HttpRequest, agency: Any, payload: DraftFields) -> DraftContent:
    reply_to = selectors.incoming_for(principal(request), payload.reply_to) if payload.reply_to else None
    return DraftContent(
        document_type=payload.document_type,
        subject=payload.subject,
        body=payload.body,
        summary=payload.summary,
        signer=person_in(agency, payload.signer, "signer"),
        signer_position=payload.signer_position,
        authority_prefix=payload.authority_prefix,
        authority_of=payload.authority_of,
        recipients=[RecipientInput(r.agency_code, r.name, r.external) for r in payload.recipients],
        urgency=payload.urgency,
        secrecy=payload.secrecy,
        reply_due=payload.reply_due,
        reply_to=reply_to,
        completes_reply=payload.completes_reply,
        place=payload.place,
        notation_suffix=payload.notation_suffix,
        drafting_unit=unit_in(agency, payload.drafting_unit, "drafting_unit")
        if payload.drafting_unit
        else None,
        pdf=decode(payload.pdf_base64, "pdf_base64") if payload.pdf_base64 is not None else None,
        layout=payload.layout,
        attachments=files(payload.attachments, "attachments"),
    )


def _fresh(request: HttpRequest, pk: int) -> dict[str, Any]:
    return outgoing_out(selectors.outgoing_for(principal(request), pk))


@router.get("/types", response=list[TypeOut], url_name="documents_types", summary="Danh mục loại văn bản")
def types(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {"code": t.code, "name": t.name, "abbreviation": t.abbreviation} for t in selectors.document_types()
    ]


@router.get(
    "/outgoing",
    response=list[OutgoingOut],
    url_name="documents_outgoing_list",
    summary="Danh sách văn bản đi",
    description=(
        "Văn bản đi người gọi được xem, mới nhất trước. Lọc: agency (mã định danh), status (draft, in_review, "
        "awaiting_signature, returned, signed, issued); phân trang limit (≤ 200), offset."
    ),
)
def outgoing_list(
    request: HttpRequest,
    agency: str | None = None,
    status: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[dict[str, Any]]:
    found = selectors.outgoing_documents(principal(request))
    page = filtered_page(
        found, agency=agency, status=status, limit=limit, offset=offset, order=("-updated_at", "-id")
    )
    return [outgoing_out(d) for d in page]


@router.post(
    "/outgoing",
    response={201: OutgoingOut},
    url_name="documents_outgoing_create",
    summary="Soạn dự thảo văn bản đi",
    description=(
        "Tải lên PDF (pdf_base64, kiểm tra theo nội dung) hoặc để hệ thống tạo PDF theo thể thức. Văn bản mật "
        "gửi ra ngoài hệ thống → 400 secret_not_external; mã cơ quan sai dạng → 400 agency_code_shape."
    ),
)
def outgoing_create(request: HttpRequest, payload: DraftIn) -> Status[dict[str, Any]]:
    agency = agency_for(principal(request), payload.agency.strip())
    document = services.create_draft(
        actor=actor(request), agency=agency, content=_content(request, agency, payload)
    )
    return Status(201, _fresh(request, document.pk))


@router.get(
    "/outgoing/{pk}", response=OutgoingOut, url_name="documents_outgoing_detail", summary="Xem văn bản đi"
)
def outgoing_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _fresh(request, pk)


@router.get(
    "/outgoing/{pk}/file", url_name="documents_outgoing_file", summary="Tải tệp PDF mới nhất của văn bản đi"
)
def outgoing_file(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.outgoing_for(principal(request), pk)
    name = (document.number_notation or f"du-thao-{document.pk}").replace("/", "_")
    return pdf_response(selectors.file_of(document), f"{name}.pdf")


@router.put(
    "/outgoing/{pk}",
    response=OutgoingOut,
    url_name="documents_outgoing_update",
    summary="Sửa dự thảo",
    description="Chỉ người soạn, khi dự thảo mới hoặc bị trả lại; phiên bản tăng 1. Bỏ pdf_base64 để giữ tệp đã tải lên.",
)
def outgoing_update(request: HttpRequest, pk: int, payload: DraftUpdateIn) -> dict[str, Any]:
    document = selectors.outgoing_for(principal(request), pk)
    services.update_draft(
        actor=actor(request),
        document=document,
        content=_content(request, document.agency, payload),
        expected_version=payload.expected_version,
    )
    return _fresh(request, pk)


def _document(request: HttpRequest, pk: int) -> OutgoingDocument:
    return selectors.outgoing_for(principal(request), pk)


@router.post(
    "/outgoing/{pk}/submit",
    response=OutgoingOut,
    url_name="documents_outgoing_submit",
    summary="Trình dự thảo",
)
def outgoing_submit(request: HttpRequest, pk: int, payload: SubmitIn) -> dict[str, Any]:
    document = _document(request, pk)
    reviewer = person_in(document.agency, payload.reviewer, "reviewer") if payload.reviewer else None
    services.submit_draft(
        actor=actor(request), document=document, reviewer=reviewer, expected_version=payload.expected_version
    )
    return _fresh(request, pk)


@router.post(
    "/outgoing/{pk}/review",
    response=OutgoingOut,
    url_name="documents_outgoing_review",
    summary="Thẩm định: đồng ý hoặc trả lại",
)
def outgoing_review(request: HttpRequest, pk: int, payload: ReviewIn) -> dict[str, Any]:
    services.review_draft(
        actor=actor(request), document=_document(request, pk), decision=payload.decision, note=payload.note
    )
    return _fresh(request, pk)


@router.post(
    "/outgoing/{pk}/sign",
    response=OutgoingOut,
    url_name="documents_outgoing_sign",
    summary="Lãnh đạo ký số cá nhân",
    description="Chỉ người ký được chỉ định (403 not_designated_signer); sai mật khẩu → 400 wrong_secret.",
)
def outgoing_sign(request: HttpRequest, pk: int, payload: SignIn) -> dict[str, Any]:
    services.sign_document(
        actor=actor(request),
        document=_document(request, pk),
        secret=payload.secret,
        expected_version=payload.expected_version,
    )
    return _fresh(request, pk)


@router.post(
    "/outgoing/{pk}/issue",
    response=OutgoingOut,
    url_name="documents_outgoing_issue",
    summary="Văn thư phát hành: cấp số, ký số cơ quan, gửi",
    description=(
        "Chỉ sau chữ ký cá nhân (409 not_signed); phát hành hai lần → 409 already_issued. Lỗi chữ ký cơ quan thì "
        "không có gì được ghi và số không bị dùng."
    ),
)
def outgoing_issue(request: HttpRequest, pk: int, payload: IssueIn) -> dict[str, Any]:
    services.issue_document(actor=actor(request), document=_document(request, pk), secret=payload.secret)
    return _fresh(request, pk)
