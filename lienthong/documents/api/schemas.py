"""Schemas of the documents API (inputs checked by ninja, then by the services; outputs documented)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict

UrgencyValue = Literal["normal", "urgent", "very_urgent", "flash", "flash_timed"]
SecrecyValue = Literal["none", "confidential", "secret", "top_secret"]
PrefixValue = Literal["", "TM", "Q", "KT", "TL", "TUQ"]

_URGENCY = "Độ khẩn: normal (thường), urgent (khẩn), very_urgent (thượng khẩn), flash (hỏa tốc), flash_timed (hỏa tốc hẹn giờ)."
_SECRECY = "Độ mật: none, confidential (mật), secret (tối mật), top_secret (tuyệt mật). Văn bản mật có sổ riêng và không gửi qua trục."
_VERSION = "Phiên bản dự thảo người gọi đã thấy; nếu đã đổi → 409 stale_version."
_LAYOUT = (
    'Vị trí trên tệp tải lên, điểm PDF (gốc dưới trái, trang đánh số từ 0 hoặc "first"/"last"): '
    '{"so_ky_hieu": {"page": 0, "x1": …, "y1": …, "x2": …, "y2": …}, "ngay_ban_hanh": {…}, "signer": {…}, '
    '"seal": {…} (không bắt buộc)}. Bỏ trống: dùng trường có sẵn trong PDF, vị trí mặc định của loại văn bản, '
    "rồi mặc định của hệ thống. Không dùng với tệp do hệ thống tạo."
)


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class RecipientIn(Strict):
    agency_code: str = Field(max_length=20, description="Mã định danh cơ quan nhận (NNN.NN.NN.XNN).")
    name: str = Field("", max_length=300, description="Tên cơ quan; bắt buộc khi mã không có trong danh bạ.")
    external: bool = Field(
        False,
        description="true: gửi qua trục liên thông dù mã có trên hệ thống (cơ quan dùng phần mềm khác).",
    )


class FileIn(Strict):
    title: str = Field(max_length=300, description="Tên tài liệu.")
    file_name: str = Field(max_length=255, description="Tên tệp.")
    content_base64: str = Field(description="Nội dung tệp, base64. Phụ lục văn bản đi phải là PDF.")


class DraftFields(Strict):
    document_type: str = Field(max_length=20, description="Mã loại văn bản (GET /types), ví dụ QĐ, CV, TB.")
    subject: str = Field(max_length=500, description="Trích yếu (tối đa 500 ký tự).")
    body: str = Field(
        "", max_length=100_000, description="Nội dung, mỗi dòng một đoạn (khi hệ thống tạo tệp)."
    )
    summary: str = Field("", max_length=100_000, description="Tóm tắt nội dung.")
    signer: str = Field(max_length=150, description="Tên đăng nhập của lãnh đạo ký văn bản.")
    signer_position: str | None = Field(
        None, max_length=150, description="Chức vụ in ở khối chữ ký; mặc định chức vụ của người ký."
    )
    authority_prefix: PrefixValue = Field("", description="Quyền hạn ký: TM, Q, KT, TL, TUQ hoặc rỗng.")
    authority_of: str = Field(
        "", max_length=150, description="Sau quyền hạn ký, ví dụ “Giám đốc” trong KT. GIÁM ĐỐC."
    )
    recipients: list[RecipientIn] = Field(default_factory=list, max_length=200, description="Nơi nhận.")
    urgency: UrgencyValue = Field("normal", description=_URGENCY)
    secrecy: SecrecyValue = Field("none", description=_SECRECY)
    reply_due: date | None = Field(None, description="Hạn trả lời đề nghị nơi nhận (YYYY-MM-DD).")
    reply_to: int | None = Field(None, description="Mã văn bản đến mà văn bản này trả lời.")
    completes_reply: bool = Field(True, description="Phát hành thì hoàn thành văn bản đến được trả lời.")
    place: str = Field(
        "", max_length=100, description="Địa danh ở dòng ngày tháng; mặc định lấy từ tên cơ quan."
    )
    notation_suffix: str | None = Field(
        None,
        max_length=30,
        description="Viết tắt đơn vị soạn thảo trong ký hiệu; mặc định: với công văn là đơn vị soạn.",
    )
    drafting_unit: str | None = Field(
        None, max_length=30, description="Mã đơn vị soạn thảo; mặc định đơn vị của người soạn."
    )
    pdf_base64: str | None = Field(
        None,
        description="Tệp PDF của văn bản (base64). Bỏ trống: hệ thống tạo PDF theo thể thức Nghị định 30.",
    )
    layout: dict[str, Any] | None = Field(None, description=_LAYOUT)
    attachments: list[FileIn] | None = Field(
        None, max_length=20, description="Phụ lục trong tệp riêng (PDF). Khi sửa: bỏ trống để giữ nguyên."
    )


class DraftIn(DraftFields):
    agency: str = Field(
        max_length=20, description="Mã định danh cơ quan ban hành (nơi người gọi có vai trò soạn thảo)."
    )


class DraftUpdateIn(DraftFields):
    expected_version: int | None = Field(None, ge=1, description=_VERSION)


class SubmitIn(Strict):
    reviewer: str | None = Field(
        None,
        max_length=150,
        description="Tên đăng nhập trưởng đơn vị thẩm định; bỏ trống để trình thẳng người ký.",
    )
    expected_version: int | None = Field(None, ge=1, description=_VERSION)


class ReviewIn(Strict):
    decision: Literal["approve", "return"] = Field(
        description="approve (đồng ý, chuyển trình ký) hoặc return (trả lại)."
    )
    note: str = Field("", max_length=4000, description="Ý kiến; bắt buộc khi trả lại.")


class SignIn(Strict):
    secret: str | None = Field(
        None, max_length=200, description="Mật khẩu tệp khóa, mã PIN thiết bị hoặc OTP ký từ xa."
    )
    expected_version: int | None = Field(None, ge=1, description=_VERSION)


class IssueIn(Strict):
    secret: str | None = Field(
        None,
        max_length=200,
        description="Bí mật của khóa cơ quan; bỏ trống khi máy chủ đọc từ biến môi trường.",
    )


class IncomingIn(Strict):
    agency: str = Field(max_length=20, description="Mã định danh cơ quan nhận (nơi người gọi là văn thư).")
    issuer_code: str = Field("", max_length=20, description="Mã định danh cơ quan ban hành, nếu có.")
    issuer_name: str = Field(
        "", max_length=300, description="Tên cơ quan ban hành (bắt buộc khi mã không có trong danh bạ)."
    )
    number_notation: str = Field(
        "", max_length=80, description="Số, ký hiệu như in trên văn bản, ví dụ 05/QĐ-UBND."
    )
    document_date: date = Field(description="Ngày của văn bản.")
    document_type: str | None = Field(None, max_length=20, description="Mã loại văn bản.")
    subject: str = Field(max_length=500, description="Trích yếu.")
    summary: str = Field("", max_length=100_000, description="Tóm tắt.")
    urgency: UrgencyValue = Field("normal", description=_URGENCY)
    secrecy: SecrecyValue = Field("none", description=_SECRECY)
    signer_name: str = Field("", max_length=150, description="Người ký.")
    signer_position: str = Field("", max_length=150, description="Chức vụ người ký.")
    reply_due: date | None = Field(None, description="Hạn trả lời nơi gửi yêu cầu.")
    received_at: datetime | None = Field(None, description="Ngày giờ đến; mặc định lúc gọi.")
    file_name: str = Field("", max_length=255, description="Tên tệp.")
    pdf_base64: str = Field(
        description="Bản quét hoặc tệp PDF (base64); ảnh PNG/JPEG bị từ chối (pdf_required)."
    )
    attachments: list[FileIn] = Field(default_factory=list, max_length=20, description="Tệp kèm theo.")
    confirm_duplicate: bool = Field(
        False, description="Xác nhận đây là một bản khác của văn bản đã vào sổ (khi không, trùng → 409)."
    )


class HandlerIn(Strict):
    person: str | None = Field(None, max_length=150, description="Tên đăng nhập cán bộ.")
    unit: str | None = Field(None, max_length=30, description="Mã đơn vị.")


class AssignIn(Strict):
    main: HandlerIn = Field(description="Người hoặc đơn vị chủ trì.")
    cooperating: list[HandlerIn] = Field(
        default_factory=list, max_length=50, description="Người, đơn vị phối hợp."
    )
    due_in_days: int | None = Field(None, description="Hạn xử lý: số ngày làm việc kể từ lúc giao (1–365).")
    due_date: date | None = Field(None, description="Hoặc hạn xử lý là một ngày cụ thể.")
    note: str = Field("", max_length=4000, description="Ý kiến chỉ đạo.")


class NoteIn(Strict):
    kind: Literal["opinion", "progress"] = Field(
        "opinion", description="opinion (ý kiến) hoặc progress (tiến độ)."
    )
    text: str = Field(max_length=4000, description="Nội dung.")


class CompleteIn(Strict):
    result_note: str = Field(
        "", max_length=4000, description="Kết quả xử lý; bắt buộc khi không gắn văn bản trả lời."
    )
    reply: int | None = Field(None, description="Mã văn bản đi đã phát hành trả lời văn bản này.")


class WorkFileIn(Strict):
    agency: str = Field(max_length=20, description="Mã định danh cơ quan.")
    year: int = Field(description="Năm của hồ sơ.")
    code: str = Field(max_length=50, description="Số, ký hiệu hồ sơ trong danh mục hồ sơ của cơ quan.")
    title: str = Field(max_length=500, description="Tiêu đề hồ sơ.")
    retention: str = Field(
        max_length=100,
        description="Thời hạn bảo quản, theo tên trong danh mục (ví dụ “10 năm”, “Vĩnh viễn”).",
    )
    responsible_unit: str | None = Field(None, max_length=30, description="Mã đơn vị lập hồ sơ.")
    responsible_person: str | None = Field(
        None, max_length=150, description="Tên đăng nhập người lập hồ sơ; mặc định người gọi."
    )
    description: str = Field("", max_length=4000, description="Ghi chú.")


class ItemIn(Strict):
    kind: Literal["outgoing", "incoming"] = Field(
        description="outgoing (văn bản đi) hoặc incoming (văn bản đến)."
    )
    id: int = Field(description="Mã văn bản.")


class Ref(Schema):
    code: str
    name: str


class PersonRef(Schema):
    username: str
    full_name: str


class Label(Schema):
    code: str
    label: str
