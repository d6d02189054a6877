"""A dossier's slips through the API: ``GET /api/v1/dossiers/{code}/slips`` and ``…/slips/{form}`` (PDF).

Mounted inside the dossier router (:mod:`lienthong.onestop.api`). The caller sees only dossiers of its scope
(outside it → 404, like a dossier that does not exist). A form the dossier has not got yet → 409
``slip_not_available``; a form number that does not exist → 404 ``unknown_form``; both as problem documents.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema

from lienthong.directory.auth import api_auth

from . import selectors, slips
from .api import _principal

router = Router(auth=api_auth)

_PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "RFC 9457 problem details.",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string"},
                    "rule": {"type": "string"},
                    "message": {"type": "string"},
                },
            },
        },
    },
}


def _problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/problem+json": {"schema": _PROBLEM_SCHEMA}}}


class SlipOut(Schema):
    form: str = Field(description="Mẫu số (01–05, Thông tư 01/2018/TT-VPCP).")
    title: str = Field(description="Tên phiếu.")
    url: str = Field(description="Đường dẫn tải phiếu dạng PDF qua API.")


@router.get(
    "/{code}/slips",
    response=list[SlipOut],
    url_name="dossier_slips",
    summary="Các phiếu của hồ sơ",
    description=(
        "Các mẫu phiếu hồ sơ đã có: 01 (giấy tiếp nhận và hẹn trả) và 05 (phiếu kiểm soát) khi đã tiếp nhận; "
        "02 khi đã yêu cầu bổ sung; 03 khi bị từ chối tiếp nhận; 04 khi có phiếu xin lỗi đã được duyệt. "
        "Hồ sơ ngoài phạm vi của người gọi → 404."
    ),
)
def list_slips(request: HttpRequest, code: str) -> list[dict[str, str]]:
    dossier = selectors.dossier_for(_principal(request), code)
    # Relative to this very address, so the links hold wherever the router is mounted.
    base = request.path.rstrip("/")
    return [
        {"form": form, "title": str(slips.SLIP_FORMS[form]), "url": f"{base}/{form}"}
        for form in slips.available_slips(dossier)
    ]


@router.get(
    "/{code}/slips/{form}",
    response={200: None},
    url_name="dossier_slip",
    summary="Tải phiếu của hồ sơ (PDF)",
    description=(
        "Phiếu mẫu số `form` (01–05) của hồ sơ dạng PDF khổ A4, có mã QR dẫn tới trang tra cứu công khai. "
        "Dùng mẫu do quản trị sửa nếu có, nếu không dùng mẫu có sẵn. Mẫu số không tồn tại hoặc hồ sơ ngoài "
        "phạm vi → 404; hồ sơ chưa có phiếu này (vd. phiếu 02 khi chưa yêu cầu bổ sung) → 409 "
        "(slip_not_available)."
    ),
    openapi_extra={
        "responses": {
            200: {
                "description": "Phiếu dạng PDF.",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            },
            404: _problem(
                "Hồ sơ không tồn tại hoặc ngoài phạm vi; hoặc mẫu số không tồn tại (unknown_form)."
            ),
            409: _problem("Hồ sơ chưa có phiếu này (slip_not_available)."),
        }
    },
)
def slip(request: HttpRequest, code: str, form: str) -> HttpResponse:
    dossier = selectors.dossier_for(_principal(request), code)
    pdf = slips.render_slip_pdf(dossier, form)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{dossier.code}-mau-{form}.pdf"'
    return response
