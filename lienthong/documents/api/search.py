"""Document search and printed registers over the API: ``GET /search``, ``GET /registers``,
``GET /registers/{id}.xlsx`` and ``.pdf``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from lienthong.directory.auth import api_auth

from .. import register_exports
from ..models import Direction, IncomingDocument, IncomingStatus, OutgoingDocument, OutgoingStatus, Register
from ..search import MAX_PAGE, MAX_QUERY_LENGTH, PAGE_SIZE, SearchCriteria, search_documents
from .common import principal
from .schemas import Label, Ref

router = Router(auth=api_auth)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SearchIn(Schema):
    direction: str = Field(
        Direction.INCOMING, description="incoming (văn bản đến, mặc định) hoặc outgoing (văn bản đi)."
    )
    q: str = Field(
        "",
        description=(
            f"Cụm từ (tối đa {MAX_QUERY_LENGTH} ký tự), không phân biệt dấu và hoa thường, tìm trong số ký hiệu, "
            "loại, trích yếu, cơ quan ban hành và nội dung trích từ tệp PDF. Một chữ được tìm cả trong chữ dài hơn "
            "(“UBND” thấy “123/QĐ-UBND”); nhiều chữ là một cụm: các chữ trọn vẹn, liền nhau, đúng thứ tự "
            "(ví dụ “ke hoach phong chong”)."
        ),
    )
    document_type: str = Field("", description="Mã loại văn bản (xem GET /types), ví dụ QĐ, CV.")
    date_from: date | None = Field(
        None, description="Từ ngày (văn bản đến: ngày đến; văn bản đi: ngày phát hành, dự thảo: ngày tạo)."
    )
    date_to: date | None = Field(None, description="Đến ngày (tính cả ngày này).")
    status: str = Field(
        "",
        description=(
            "Trạng thái. Văn bản đến: "
            + ", ".join(IncomingStatus.values)
            + ". Văn bản đi: "
            + ", ".join(OutgoingStatus.values)
            + "."
        ),
    )
    page: int = Field(1, description=f"Trang, từ 1 đến {MAX_PAGE}; mỗi trang {PAGE_SIZE} văn bản.")


class HitOut(Schema):
    id: int
    direction: str
    number_notation: str = Field(description="Số, ký hiệu như in (rỗng với dự thảo).")
    document_date: date | None = Field(description="Ngày văn bản (văn bản đi: ngày ban hành).")
    moment: datetime = Field(
        description="Thời điểm sắp xếp: ngày đến; ngày phát hành (dự thảo: lúc tạo). Mới nhất trước."
    )
    arrival_number: int | None = Field(description="Số đến (văn bản đến).")
    agency: Ref = Field(description="Cơ quan giữ văn bản (cơ quan nhận hoặc cơ quan ban hành văn bản đi).")
    issuer: str = Field(description="Cơ quan ban hành.")
    document_type: Label | None
    subject: str
    status: Label
    url: str = Field(description="Đường dẫn API xem chi tiết.")


class SearchOut(Schema):
    page: int
    page_size: int
    has_next: bool
    items: list[HitOut]


class RegisterOut(Schema):
    id: int
    agency: Ref
    year: int
    direction: str
    secret: bool
    name: str
    last_number: int
    xlsx_url: str
    pdf_url: str


def hit(document: OutgoingDocument | IncomingDocument) -> dict[str, Any]:
    """A search result as the API answers it."""
    kind = document.document_type
    common = {
        "id": document.pk,
        "number_notation": document.number_notation,
        "agency": {"code": document.agency.code, "name": document.agency.name},
        "document_type": {"code": kind.code, "label": kind.name} if kind is not None else None,
        "subject": document.subject,
    }
    if isinstance(document, OutgoingDocument):
        return common | {
            "direction": Direction.OUTGOING,
            "document_date": document.issue_date,
            "moment": document.issued_at or document.created_at,
            "arrival_number": None,
            "issuer": document.agency.name,
            "status": {"code": document.status, "label": str(OutgoingStatus(document.status).label)},
            "url": reverse("api:documents_outgoing_detail", kwargs={"pk": document.pk}),
        }
    return common | {
        "direction": Direction.INCOMING,
        "document_date": document.document_date,
        "moment": document.received_at,
        "arrival_number": document.arrival_number,
        "issuer": document.issuer_name,
        "status": {"code": document.status, "label": str(IncomingStatus(document.status).label)},
        "url": reverse("api:documents_incoming_detail", kwargs={"pk": document.pk}),
    }


@router.get(
    "/search",
    response=SearchOut,
    url_name="documents_search",
    summary="Tra cứu văn bản",
    description=(
        "Văn bản người gọi được xem, khớp cụm từ (không phân biệt dấu) và các bộ lọc, mới nhất trước, mỗi trang "
        f"{PAGE_SIZE}. Điều kiện sai → 400 nêu trường và quy tắc (direction_choice, q_length, q_too_short, "
        "status_choice, unknown_document_type, period_order, page_range)."
    ),
)
def search(request: HttpRequest, filters: Query[SearchIn]) -> dict[str, Any]:
    criteria = SearchCriteria(
        direction=filters.direction.strip(),
        q=filters.q,
        document_type=filters.document_type.strip(),
        date_from=filters.date_from,
        date_to=filters.date_to,
        status=filters.status.strip(),
        page=filters.page,
    )
    found = search_documents(principal(request), criteria)
    return {
        "page": criteria.page,
        "page_size": PAGE_SIZE,
        "has_next": found.has_next,
        "items": [hit(d) for d in found.items],
    }


def register_out(register: Register) -> dict[str, Any]:
    return {
        "id": register.pk,
        "agency": {"code": register.agency.code, "name": register.agency.name},
        "year": register.year,
        "direction": register.direction,
        "secret": register.secret,
        "name": str(register),
        "last_number": register.last_number,
        "xlsx_url": reverse("api:documents_register_xlsx", kwargs={"register_id": register.pk}),
        "pdf_url": reverse("api:documents_register_pdf", kwargs={"register_id": register.pk}),
    }


@router.get(
    "/registers",
    response=list[RegisterOut],
    url_name="documents_registers",
    summary="Sổ văn bản được in",
    description=(
        "Lãnh đạo, văn thư: mọi sổ của cơ quan, kể cả sổ mật; cán bộ khác: sổ văn bản đi thường; khóa API: các "
        "sổ thường của cơ quan mình."
    ),
)
def registers(request: HttpRequest) -> list[dict[str, Any]]:
    return [register_out(r) for r in register_exports.visible_registers(principal(request))]


def _sheet(request: HttpRequest, register_id: int, date_from: date | None, date_to: date | None) -> Any:
    register = register_exports.register_for(principal(request), register_id)
    period = register_exports.period_of(register, date_from, date_to)
    return register, period, register_exports.register_sheet(register, period)


def _download(data: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


PERIOD_HELP = (
    "Cả năm của sổ, hoặc từ date_from đến date_to (tính cả hai ngày, trong năm của sổ; ngoài năm → 400 "
    "period_outside_year). Sổ không được xem → 404."
)


@router.get(
    "/registers/{register_id}.xlsx",
    url_name="documents_register_xlsx",
    summary="In sổ văn bản (XLSX)",
    description="Sổ đăng ký văn bản đi hoặc đến theo các cột của Nghị định 30/2020/NĐ-CP. " + PERIOD_HELP,
)
def register_xlsx(
    request: HttpRequest, register_id: int, date_from: date | None = None, date_to: date | None = None
) -> HttpResponse:
    register, period, sheet = _sheet(request, register_id, date_from, date_to)
    name = register_exports.file_name(register, period, "xlsx")
    return _download(register_exports.register_xlsx(sheet), XLSX_TYPE, name)


@router.get(
    "/registers/{register_id}.pdf",
    url_name="documents_register_pdf",
    summary="In sổ văn bản (PDF)",
    description="Sổ đăng ký văn bản đi hoặc đến, khổ A4 ngang, phông Liberation Serif. " + PERIOD_HELP,
)
def register_pdf(
    request: HttpRequest, register_id: int, date_from: date | None = None, date_to: date | None = None
) -> HttpResponse:
    register, period, sheet = _sheet(request, register_id, date_from, date_to)
    name = register_exports.file_name(register, period, "pdf")
    return _download(register_exports.register_pdf(sheet), "application/pdf", name)
