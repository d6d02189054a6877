"""Incoming documents over the API: list, read, register (clerk), assign (leader), notes, complete."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from lienthong.directory.auth import api_auth
from lienthong.directory.models import Agency, Person, Unit
from lienthong.directory.selectors import agency_for

from .. import selectors, services
from ..services import IncomingContent, IncomingFile
from .common import actor, decode, filtered_page, pdf_response, person_in, principal, unit_in
from .outputs import IncomingOut, incoming_out
from .schemas import AssignIn, CompleteIn, HandlerIn, IncomingIn, NoteIn

router = Router(auth=api_auth)


def _fresh(request: HttpRequest, pk: int) -> dict[str, Any]:
    return incoming_out(selectors.incoming_for(principal(request), pk))


@router.get(
    "/incoming",
    response=list[IncomingOut],
    url_name="documents_incoming_list",
    summary="Danh sách văn bản đến",
    description="Văn bản đến người gọi được xem, mới nhất trước. Lọc: agency, status (registered, assigned, completed).",
)
def incoming_list(
    request: HttpRequest,
    agency: str | None = None,
    status: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[dict[str, Any]]:
    found = selectors.incoming_documents(principal(request))
    page = filtered_page(
        found, agency=agency, status=status, limit=limit, offset=offset, order=("-received_at", "-id")
    )
    return [incoming_out(d) for d in page]


@router.post(
    "/incoming",
    response={201: IncomingOut},
    url_name="documents_incoming_register",
    summary="Văn thư vào sổ văn bản đến từ bản quét hoặc tệp",
    description=(
        "Cấp số đến từ sổ văn bản đến; kiểm tra chữ ký số (bản quét không có chữ ký vẫn nhận). Ảnh → 400 "
        "pdf_required. Cùng cơ quan ban hành, số ký hiệu và ngày đã vào sổ năm nay → 409 duplicate_incoming, "
        "trừ khi confirm_duplicate."
    ),
)
def incoming_register(request: HttpRequest, payload: IncomingIn) -> Status[dict[str, Any]]:
    agency = agency_for(principal(request), payload.agency.strip())
    content = IncomingContent(
        issuer_name=payload.issuer_name,
        issuer_code=payload.issuer_code,
        number_notation=payload.number_notation,
        document_date=payload.document_date,
        document_type=payload.document_type,
        subject=payload.subject,
        summary=payload.summary,
        urgency=payload.urgency,
        secrecy=payload.secrecy,
        signer_name=payload.signer_name,
        signer_position=payload.signer_position,
        reply_due=payload.reply_due,
        received_at=payload.received_at,
        file_name=payload.file_name,
        pdf=decode(payload.pdf_base64, "pdf_base64"),
        attachments=[
            IncomingFile(f.title, f.file_name, decode(f.content_base64, f"attachments[{i}].content_base64"))
            for i, f in enumerate(payload.attachments)
        ],
    )
    document = services.register_incoming(
        actor=actor(request), agency=agency, content=content, confirm_duplicate=payload.confirm_duplicate
    )
    return Status(201, _fresh(request, document.pk))


@router.get(
    "/incoming/{pk}", response=IncomingOut, url_name="documents_incoming_detail", summary="Xem văn bản đến"
)
def incoming_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _fresh(request, pk)


@router.get("/incoming/{pk}/file", url_name="documents_incoming_file", summary="Tải tệp PDF của văn bản đến")
def incoming_file(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.incoming_for(principal(request), pk)
    return pdf_response(selectors.file_of(document), f"van-ban-den-{document.arrival_number:02d}.pdf")


def _handler(agency: Agency, value: HandlerIn, field: str) -> Person | Unit:
    if bool(value.person) == bool(value.unit):
        from lienthong.core.errors import DomainError

        raise DomainError(
            message="Ghi một người (person) hoặc một đơn vị (unit).", rule="one_of", field=field
        )
    if value.person:
        return person_in(agency, value.person, f"{field}.person")
    return unit_in(agency, value.unit or "", f"{field}.unit")


@router.post(
    "/incoming/{pk}/assign",
    response=IncomingOut,
    url_name="documents_incoming_assign",
    summary="Lãnh đạo phân công xử lý",
    description="Một người/đơn vị chủ trì, các người/đơn vị phối hợp, hạn xử lý theo ngày làm việc hoặc một ngày cụ thể.",
)
def incoming_assign(request: HttpRequest, pk: int, payload: AssignIn) -> dict[str, Any]:
    document = selectors.incoming_for(principal(request), pk)
    services.assign_incoming(
        actor=actor(request),
        document=document,
        main=_handler(document.agency, payload.main, "main"),
        cooperating=[
            _handler(document.agency, h, f"cooperating[{i}]") for i, h in enumerate(payload.cooperating)
        ],
        due_in_days=payload.due_in_days,
        due_date=payload.due_date,
        note=payload.note,
    )
    return _fresh(request, pk)


@router.post(
    "/incoming/{pk}/notes",
    response=IncomingOut,
    url_name="documents_incoming_note",
    summary="Ghi ý kiến, tiến độ",
)
def incoming_note(request: HttpRequest, pk: int, payload: NoteIn) -> dict[str, Any]:
    services.add_note(
        actor=actor(request),
        document=selectors.incoming_for(principal(request), pk),
        text=payload.text,
        kind=payload.kind,
    )
    return _fresh(request, pk)


@router.post(
    "/incoming/{pk}/complete",
    response=IncomingOut,
    url_name="documents_incoming_complete",
    summary="Hoàn thành xử lý",
    description="Người/đơn vị chủ trì; ghi kết quả hoặc gắn văn bản đi đã phát hành trả lời văn bản này.",
)
def incoming_complete(request: HttpRequest, pk: int, payload: CompleteIn) -> dict[str, Any]:
    document = selectors.incoming_for(principal(request), pk)
    reply = selectors.outgoing_for(principal(request), payload.reply) if payload.reply else None
    services.complete_incoming(
        actor=actor(request), document=document, result_note=payload.result_note, reply=reply
    )
    return _fresh(request, pk)
