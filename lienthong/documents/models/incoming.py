"""Incoming documents (văn bản đến): registration, the leader's assignment, opinions, progress, completion."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lienthong.documents.numbering import number_and_notation_text

from .choices import HandlerRole, IncomingSource, IncomingStatus, NoteKind, Secrecy, SignatureStatus, Urgency


class IncomingDocument(models.Model):
    """A document an agency received, entered in its incoming register with its own incoming number.

    It arrives from an agency on the platform (the issuing side creates it when it issues, ``outgoing`` set),
    from the exchange, or the clerk registers it from a scan or a file. The columns of the incoming register
    (documents.md) are all here: date received, incoming number, author, number and notation, document date,
    type and subject, who handles it (:class:`HandlingAssignment`).
    """

    agency = models.ForeignKey(
        "directory.Agency",
        verbose_name=_("Cơ quan nhận"),
        on_delete=models.PROTECT,
        related_name="incoming_documents",
    )
    register = models.ForeignKey(
        "documents.Register",
        verbose_name=_("Sổ văn bản đến"),
        on_delete=models.PROTECT,
        related_name="incoming_documents",
    )
    arrival_number = models.PositiveIntegerField(_("Số đến"))
    received_at = models.DateTimeField(_("Ngày đến"))
    source = models.CharField(_("Nguồn"), max_length=10, choices=IncomingSource.choices)
    registered_by = models.ForeignKey(
        "directory.Person",
        verbose_name=_("Người vào sổ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    issuer_code = models.CharField(_("Mã định danh cơ quan ban hành"), max_length=13, blank=True)
    issuer_name = models.CharField(_("Cơ quan ban hành"), max_length=300)
    issuer = models.ForeignKey(
        "directory.Agency",
        verbose_name=_("Cơ quan ban hành trên hệ thống"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source_number = models.CharField(_("Số (như in trên văn bản)"), max_length=20, blank=True)
    source_notation = models.CharField(_("Ký hiệu"), max_length=60, blank=True)
    document_date = models.DateField(_("Ngày văn bản"))
    document_type = models.ForeignKey(
        "documents.DocumentType",
        verbose_name=_("Loại văn bản"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject = models.CharField(_("Trích yếu"), max_length=500)
    summary = models.TextField(_("Tóm tắt"), blank=True)
    urgency = models.CharField(_("Độ khẩn"), max_length=20, choices=Urgency.choices, default=Urgency.NORMAL)
    secrecy = models.CharField(_("Độ mật"), max_length=20, choices=Secrecy.choices, default=Secrecy.NONE)
    signer_name = models.CharField(_("Người ký"), max_length=150, blank=True)
    signer_position = models.CharField(_("Chức vụ người ký"), max_length=150, blank=True)
    reply_due = models.DateField(_("Hạn trả lời do nơi gửi yêu cầu"), null=True, blank=True)
    outgoing = models.ForeignKey(
        "documents.OutgoingDocument",
        verbose_name=_("Văn bản đi gốc trên hệ thống"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("Bản khác của văn bản đến"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="copies",
    )

    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField(default=0)
    file_name = models.CharField(_("Tên tệp"), max_length=255, blank=True)
    page_count = models.PositiveIntegerField(_("Số trang"), default=1)
    signature_status = models.CharField(
        _("Chữ ký số"), max_length=20, choices=SignatureStatus.choices, default=SignatureStatus.UNSIGNED
    )
    # lienthong.signing.validation.PdfReport.as_dict() of the file as received.
    signature_report = models.JSONField(_("Kết quả kiểm tra chữ ký"), default=dict, blank=True)

    status = models.CharField(
        _("Trạng thái"), max_length=12, choices=IncomingStatus.choices, default=IncomingStatus.REGISTERED
    )
    processing_due = models.DateTimeField(_("Hạn xử lý"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("Phân công lúc"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        "directory.Person",
        verbose_name=_("Lãnh đạo phân công"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    completed_at = models.DateTimeField(_("Hoàn thành lúc"), null=True, blank=True)
    completed_by = models.ForeignKey(
        "directory.Person",
        verbose_name=_("Người hoàn thành"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    result_note = models.TextField(_("Kết quả xử lý"), blank=True)
    completed_by_reply = models.ForeignKey(
        "documents.OutgoingDocument",
        verbose_name=_("Văn bản trả lời"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="completed_incoming",
    )

    extracted_text = models.TextField(_("Nội dung trích từ tệp"), blank=True)
    text_extracted_at = models.DateTimeField(null=True, blank=True)
    # Number, notation, type, subject, issuer and extracted text folded for search (documents.search).
    search_text = models.TextField(blank=True, default="", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("văn bản đến")
        verbose_name_plural = pgettext_lazy("số nhiều", "văn bản đến")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "status"], name="documents_in_agency_status"),
            models.Index(fields=["agency", "issuer_code", "document_date"], name="documents_in_duplicate"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["register", "arrival_number"], name="documents_in_number_unique"),
            models.CheckConstraint(condition=Q(arrival_number__gte=1), name="documents_in_number_positive"),
        ]

    def __str__(self) -> str:
        printed = self.number_notation
        return f"Số đến {self.arrival_number:02d}: {printed or self.subject[:60]}"

    @property
    def number_notation(self) -> str:
        """``05/QĐ-UBND`` as printed on the document (empty when it has neither)."""
        return number_and_notation_text(self.source_number, self.source_notation)

    @property
    def is_secret(self) -> bool:
        return self.secrecy != Secrecy.NONE


class IncomingAttachment(models.Model):
    """A file that came with an incoming document (an issued attachment, or one the clerk uploaded)."""

    document = models.ForeignKey(IncomingDocument, on_delete=models.CASCADE, related_name="attachments")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("Tên tài liệu"), max_length=300)
    file_name = models.CharField(_("Tên tệp"), max_length=255)
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField(default=0)
    content_type = models.CharField(max_length=100, default="application/pdf")

    class Meta:
        verbose_name = _("tệp đính kèm văn bản đến")
        verbose_name_plural = pgettext_lazy("số nhiều", "tệp đính kèm văn bản đến")
        ordering = ["document", "position", "id"]

    def __str__(self) -> str:
        return self.title


class HandlingAssignment(models.Model):
    """A unit or a person a leader put on an incoming document, as the main handler or cooperating.

    A new assignment by the leader replaces the current one: earlier rows stay, inactive, as history.
    """

    document = models.ForeignKey(IncomingDocument, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(
        "directory.Unit",
        verbose_name=_("Đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    person = models.ForeignKey(
        "directory.Person",
        verbose_name=_("Cán bộ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    role = models.CharField(_("Vai trò"), max_length=12, choices=HandlerRole.choices)
    due_at = models.DateTimeField(_("Hạn xử lý"))
    note = models.TextField(_("Ý kiến chỉ đạo"), blank=True)
    assigned_by = models.ForeignKey(
        "directory.Person", verbose_name=_("Người phân công"), on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(_("Phân công lúc"))
    is_active = models.BooleanField(_("Đang hiệu lực"), default=True)

    class Meta:
        verbose_name = _("phân công xử lý")
        verbose_name_plural = pgettext_lazy("số nhiều", "phân công xử lý")
        ordering = ["document", "-is_active", "role", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False) | Q(person__isnull=False), name="documents_assignment_target"
            ),
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(is_active=True, role="main"),
                name="documents_one_main_handler",
            ),
        ]

    def __str__(self) -> str:
        who = self.person or self.unit
        return f"{who} – {self.get_role_display()}"


class HandlingNote(models.Model):
    """An opinion (ý kiến) or a progress note (tiến độ) on an incoming document."""

    document = models.ForeignKey(IncomingDocument, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(_("Loại"), max_length=10, choices=NoteKind.choices)
    author = models.ForeignKey(
        "directory.Person", verbose_name=_("Người viết"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("Nội dung"))
    at = models.DateTimeField(_("Lúc"))

    class Meta:
        verbose_name = _("ý kiến, tiến độ xử lý")
        verbose_name_plural = pgettext_lazy("số nhiều", "ý kiến, tiến độ xử lý")
        ordering = ["document", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.author}"
