"""The internal workflow through the API: steps, assignment, approval, the result, hand-over, payment and
the apology slip. Same rules as :mod:`.api_actions`: thin endpoints, the dossier found in the caller's scope,
refusals as problem documents naming the field and the rule. Mounted inside the dossier router.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router
from ninja.errors import HttpError

from lienthong.directory.auth import api_auth
from lienthong.directory.models import Person

from . import apology, fees, selectors, workflow
from .api import DossierOut, _principal
from .api_actions import ActionIn, ReasonIn, _act
from .files import Upload, read_file

router = Router(auth=api_auth)


class NoteIn(ActionIn):
    note: str = Field("", max_length=2000, description="Ghi chú (không bắt buộc).")


class ForwardIn(NoteIn):
    assignee: str | None = Field(
        None, max_length=150, description="Tên đăng nhập của người xử lý bước sau (không bắt buộc)."
    )


class AssignIn(ActionIn):
    assignee: str = Field(
        max_length=150, description="Tên đăng nhập của cán bộ được giao xử lý bước hiện tại."
    )


class ResultIn(ActionIn):
    title: str = Field(max_length=300, description="Tên kết quả (vd. Giấy chứng nhận …).")
    file_name: str = Field(max_length=255, description="Tên tệp.")
    content_base64: str = Field(
        description="Nội dung tệp kết quả, mã hóa base64 (kiểu tệp xác định theo nội dung)."
    )


class HandOverIn(ActionIn):
    to_agency: str = Field(max_length=40, description="Mã định danh của cơ quan nhận hồ sơ liên thông.")
    reason: str = Field("", max_length=2000, description="Nội dung chuyển (không bắt buộc).")


class PaymentRequestIn(ReasonIn):
    amount: int = Field(gt=0, description="Số tiền phải nộp thêm (đồng).")


class PaymentIn(ActionIn):
    amount: int = Field(gt=0, description="Số tiền đã nộp (đồng); phải đúng số còn phải nộp.")
    receipt: str = Field("", max_length=2000, description="Số biên lai hoặc mã giao dịch (không bắt buộc).")


class ApologyIn(ReasonIn):
    new_due_at: datetime = Field(description="Ngày giờ hẹn mới (kèm múi giờ), sau ngày hẹn hiện tại.")


class ApologyDecisionIn(ActionIn):
    approve: bool = Field(
        description="true: duyệt phiếu xin lỗi; false: không duyệt (phải nêu lý do ở note)."
    )
    note: str = Field("", max_length=2000, description="Ý kiến của lãnh đạo.")


def _person(username: str | None, field: str) -> Person | None:
    return selectors.person_named(username, field) if username else None


def _doc(summary: str, description: str, name: str) -> dict[str, Any]:
    return {
        "response": DossierOut,
        "url_name": f"dossier_{name}",
        "summary": summary,
        "description": description,
    }


@router.post(
    "/{code}/actions/forward",
    **_doc(
        "Chuyển bước xử lý tiếp theo",
        "Chuyển hồ sơ (trạng thái 4) từ bước đang mở sang bước sau của quy trình nội bộ. Người được giao bước, "
        "trưởng đơn vị hoặc lãnh đạo (403 assignee_only). Bước cuối → 409 (last_step).",
        "forward",
    ),
)
def forward(request: HttpRequest, code: str, payload: ForwardIn) -> dict[str, Any]:
    assignee = _person(payload.assignee, "assignee")
    return _act(request, code, workflow.forward, payload, note=payload.note, assignee=assignee)


@router.post(
    "/{code}/actions/send-back",
    **_doc(
        "Trả lại bước trước",
        "Trả hồ sơ về bước trước của quy trình, nêu lý do. Bước đầu → 409 (first_step).",
        "send_back",
    ),
)
def send_back(request: HttpRequest, code: str, payload: ReasonIn) -> dict[str, Any]:
    return _act(request, code, workflow.send_back, payload, reason=payload.reason)


@router.post(
    "/{code}/actions/assign",
    **_doc(
        "Phân công xử lý",
        "Giao bước đang mở cho một cán bộ của cơ quan đang giải quyết. Cần trưởng đơn vị hoặc lãnh đạo (403).",
        "assign",
    ),
)
def assign(request: HttpRequest, code: str, payload: AssignIn) -> dict[str, Any]:
    return _act(request, code, workflow.assign, payload, assignee=_person(payload.assignee, "assignee"))


@router.post(
    "/{code}/actions/approve",
    **_doc(
        "Lãnh đạo phê duyệt",
        "Lãnh đạo phê duyệt kết quả của bước đang mở; hồ sơ sang bước sau nếu có. Cần vai trò lãnh đạo (403).",
        "approve",
    ),
)
def approve(request: HttpRequest, code: str, payload: NoteIn) -> dict[str, Any]:
    return _act(request, code, workflow.approve, payload, note=payload.note)


@router.post(
    "/{code}/actions/attach-result",
    **_doc(
        "Đính kèm kết quả giải quyết",
        "Tải lên tệp kết quả (base64). Kết quả phải được lãnh đạo ký trước khi kết thúc xử lý.",
        "attach_result",
    ),
)
def attach_result(request: HttpRequest, code: str, payload: ResultIn) -> dict[str, Any]:
    upload = Upload.from_mapping(payload.model_dump(), "result")
    return _act(request, code, workflow.attach_result, payload, result=upload)


@router.post(
    "/{code}/actions/sign-result",
    **_doc(
        "Lãnh đạo ký kết quả",
        "Lãnh đạo ký các tệp kết quả chưa ký (ghi nhận đúng nội dung theo băm SHA-256). Không có tệp chờ ký → 409.",
        "sign_result",
    ),
)
def sign_result(request: HttpRequest, code: str, payload: ActionIn | None = None) -> dict[str, Any]:
    return _act(request, code, workflow.sign_result, payload)


@router.post(
    "/{code}/actions/hand-over",
    **_doc(
        "Chuyển cơ quan liên thông",
        "Chuyển hồ sơ sang cơ quan khác cùng giải quyết thủ tục liên thông (hoặc trả về cơ quan tiếp nhận). "
        "Hồ sơ giữ mã và lịch sử. Cơ quan không tham gia thủ tục → 400 (agency_not_implementing).",
        "hand_over",
    ),
)
def hand_over(request: HttpRequest, code: str, payload: HandOverIn) -> dict[str, Any]:
    target = selectors.agency_named(payload.to_agency, "to_agency")
    return _act(request, code, workflow.hand_over, payload, to_agency=target, reason=payload.reason)


@router.post(
    "/{code}/actions/request-payment",
    **_doc(
        "Yêu cầu thực hiện nghĩa vụ tài chính",
        "Trạng thái 4 → 6: thời gian giải quyết tạm dừng đến khi người nộp nộp đủ tiền.",
        "request_payment",
    ),
)
def request_payment(request: HttpRequest, code: str, payload: PaymentRequestIn) -> dict[str, Any]:
    return _act(request, code, fees.request_payment, payload, amount=payload.amount, reason=payload.reason)


@router.post(
    "/{code}/actions/record-payment",
    **_doc(
        "Ghi nhận đã nộp tiền",
        "Trạng thái 6 → 4; số tiền phải đúng số còn phải nộp (400 amount_mismatch). Bấm hai lần → 409.",
        "record_payment",
    ),
)
def record_payment(request: HttpRequest, code: str, payload: PaymentIn) -> dict[str, Any]:
    return _act(request, code, fees.record_payment, payload, amount=payload.amount, receipt=payload.receipt)


@router.post(
    "/{code}/actions/draft-apology",
    **_doc(
        "Soạn phiếu xin lỗi và hẹn lại (mẫu 04)",
        "Đơn vị chậm soạn phiếu xin lỗi với lý do và ngày hẹn mới; lãnh đạo duyệt bằng decide-apology.",
        "draft_apology",
    ),
)
def draft_apology(request: HttpRequest, code: str, payload: ApologyIn) -> dict[str, Any]:
    return _act(
        request, code, apology.draft_apology, payload, reason=payload.reason, new_due_at=payload.new_due_at
    )


@router.post(
    "/{code}/actions/decide-apology",
    **_doc(
        "Lãnh đạo duyệt phiếu xin lỗi",
        "Duyệt (ngày hẹn mới có hiệu lực với người nộp; ngày hẹn gốc vẫn dùng để tính đúng hạn) hoặc không duyệt.",
        "decide_apology",
    ),
)
def decide_apology(request: HttpRequest, code: str, payload: ApologyDecisionIn) -> dict[str, Any]:
    return _act(request, code, apology.decide_apology, payload, approve=payload.approve, note=payload.note)


@router.get(
    "/{code}/files/{file_id}",
    url_name="dossier_file",
    summary="Tải tệp của hồ sơ",
    description="Nội dung tệp, đã kiểm tra khớp băm SHA-256 lúc nhận. Tệp hay hồ sơ ngoài phạm vi → 404.",
    response={200: None},
    openapi_extra={
        "responses": {"200": {"description": "Nội dung tệp", "content": {"application/octet-stream": {}}}}
    },
)
def download(request: HttpRequest, code: str, file_id: int) -> HttpResponse:
    dossier = selectors.dossier_for(_principal(request), code)
    row = selectors.file_of(dossier, file_id)
    try:
        data = read_file(row)
    except FileNotFoundError:
        raise HttpError(410, "Tệp không còn trong kho lưu trữ.") from None
    response = HttpResponse(data, content_type=row.content_type)
    response["Content-Disposition"] = f'attachment; filename="{row.sha256[:12]}"'
    return response
