"""The fixed vocabularies of official documents (Decree 30/2020/NĐ-CP) and of the documents app's states."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Direction(models.TextChoices):
    OUTGOING = "outgoing", _("Văn bản đi")
    INCOMING = "incoming", _("Văn bản đến")


class Urgency(models.TextChoices):
    """Độ khẩn. The exchange priority number of each level is data (:class:`ExchangePriority`)."""

    NORMAL = "normal", _("Thường")
    URGENT = "urgent", _("Khẩn")
    VERY_URGENT = "very_urgent", _("Thượng khẩn")
    FLASH = "flash", _("Hỏa tốc")
    FLASH_TIMED = "flash_timed", _("Hỏa tốc hẹn giờ")


class Secrecy(models.TextChoices):
    """Độ mật. Anything but ``none`` is numbered in the secret series and never leaves over the public axis."""

    NONE = "none", _("Thường")
    CONFIDENTIAL = "confidential", _("Mật")
    SECRET = "secret", _("Tối mật")
    TOP_SECRET = "top_secret", _("Tuyệt mật")


class AuthorityPrefix(models.TextChoices):
    """Quyền hạn ký on the signature block: on behalf of, acting, deputy, by order, by authorisation."""

    NONE = "", _("Ký trực tiếp")
    TM = "TM", _("TM. – thay mặt tập thể")
    Q = "Q", _("Q. – quyền")
    KT = "KT", _("KT. – ký thay người đứng đầu")
    TL = "TL", _("TL. – thừa lệnh")
    TUQ = "TUQ", _("TUQ. – thừa ủy quyền")


class OutgoingStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    IN_REVIEW = "in_review", _("Chờ thẩm định")
    AWAITING_SIGNATURE = "awaiting_signature", _("Chờ lãnh đạo ký")
    RETURNED = "returned", _("Trả lại để sửa")
    SIGNED = "signed", _("Đã ký, chờ phát hành")
    ISSUED = "issued", _("Đã phát hành")


class PdfSource(models.TextChoices):
    UPLOADED = "uploaded", _("Tệp PDF tải lên")
    RENDERED = "rendered", _("Hệ thống tạo từ biểu mẫu")


class StepStage(models.TextChoices):
    REVIEW = "review", _("Thẩm định")
    SIGNATURE = "signature", _("Trình ký")


class StepDecision(models.TextChoices):
    PENDING = "pending", _("Đang chờ")
    APPROVED = "approved", _("Đồng ý")
    RETURNED = "returned", _("Trả lại")
    SIGNED = "signed", _("Đã ký")


class QueueStatus(models.TextChoices):
    """A recipient outside the platform: waiting until the exchange sends it — never shown as sent before."""

    WAITING = "waiting", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi lỗi")


class IncomingSource(models.TextChoices):
    PLATFORM = "platform", _("Nhận trên hệ thống")
    MANUAL = "manual", _("Văn thư vào sổ từ bản quét hoặc tệp")
    EXCHANGE = "exchange", _("Nhận qua trục liên thông")


class IncomingStatus(models.TextChoices):
    REGISTERED = "registered", _("Đã vào sổ, chờ phân công")
    ASSIGNED = "assigned", _("Đang xử lý")
    COMPLETED = "completed", _("Đã hoàn thành")


class SignatureStatus(models.TextChoices):
    UNSIGNED = "unsigned", _("Không có chữ ký số")
    VALID_TRUSTED = "valid_trusted", _("Chữ ký hợp lệ, chứng thư tin cậy")
    VALID_UNTRUSTED = "valid_untrusted", _("Chữ ký toàn vẹn, chứng thư chưa được tin cậy")
    INVALID = "invalid", _("Chữ ký không hợp lệ")


class HandlerRole(models.TextChoices):
    MAIN = "main", _("Chủ trì")
    COOPERATING = "cooperating", _("Phối hợp")


class NoteKind(models.TextChoices):
    OPINION = "opinion", _("Ý kiến")
    PROGRESS = "progress", pgettext_lazy("handling note", "Tiến độ")


class WorkFileStatus(models.TextChoices):
    OPEN = "open", _("Đang mở")
    CLOSED = "closed", _("Đã đóng")
