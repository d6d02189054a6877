"""Outgoing documents (văn bản đi): the draft and its review, the leader's signature, the issued document and
where it went."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lienthong.documents.numbering import document_identifier, number_and_notation

from .choices import (
    AuthorityPrefix,
    OutgoingStatus,
    PdfSource,
    QueueStatus,
    Secrecy,
    StepDecision,
    StepStage,
    Urgency,
)


class OutgoingDocument(models.Model):
    """A document an agency issues, from the first draft to the copy that leaves with both signatures.

    Three files follow one another: the draft (uploaded or rendered), the copy the leader signed personally,
    and the issued copy with the number and date filled in and the agency's signature. Each is stored once by
    its SHA-256 in :mod:`lienthong.core.files`.

    ``number`` is written in exactly one place (:func:`lienthong.documents.services.issuing.issue_document`),
    after the personal signature; the database refuses a number on a row without ``personal_signed_at``.
    """

    agency = models.ForeignKey(
        "directory.Agency",
        verbose_name=_("Cơ quan ban hành"),
        on_delete=models.PROTECT,
        related_name="outgoing_documents",
    )
    drafting_unit = models.ForeignKey(
        "directory.Unit",
        verbose_name=_("Đơn vị soạn thảo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    drafter = models.ForeignKey(
        "directory.Person", verbose_name=_("Người soạn thảo"), on_delete=models.PROTECT, related_name="+"
    )
    document_type = models.ForeignKey(
        "documents.DocumentType", verbose_name=_("Loại văn bản"), on_delete=models.PROTECT, related_name="+"
    )
    subject = models.CharField(_("Trích yếu"), max_length=500)
    summary = models.TextField(_("Tóm tắt nội dung"), blank=True)
    body = models.TextField(_("Nội dung (khi hệ thống tạo tệp)"), blank=True)
    place = models.CharField(_("Địa danh"), max_length=100)
    notation_suffix = models.CharField(
        _("Viết tắt đơn vị soạn thảo trong ký hiệu"), max_length=30, blank=True
    )
    signer = models.ForeignKey(
        "directory.Person", verbose_name=_("Người ký"), on_delete=models.PROTECT, related_name="+"
    )
    signer_position = models.CharField(_("Chức vụ người ký"), max_length=150, blank=True)
    authority_prefix = models.CharField(
        _("Quyền hạn ký"), max_length=4, choices=AuthorityPrefix.choices, blank=True, default=""
    )
    authority_of = models.CharField(
        _("Ký thay mặt / thay cho"),
        max_length=150,
        blank=True,
        help_text=_("Sau tiền tố quyền hạn, ví dụ “Ủy ban nhân dân” trong TM. ỦY BAN NHÂN DÂN."),
    )
    urgency = models.CharField(_("Độ khẩn"), max_length=20, choices=Urgency.choices, default=Urgency.NORMAL)
    secrecy = models.CharField(_("Độ mật"), max_length=20, choices=Secrecy.choices, default=Secrecy.NONE)
    reply_due = models.DateField(_("Hạn trả lời"), null=True, blank=True)
    reply_to = models.ForeignKey(
        "documents.IncomingDocument",
        verbose_name=_("Trả lời văn bản đến"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replies",
    )
    completes_reply = models.BooleanField(
        _("Phát hành thì hoàn thành văn bản đến được trả lời"), default=True
    )
    status = models.CharField(
        _("Trạng thái"), max_length=20, choices=OutgoingStatus.choices, default=OutgoingStatus.DRAFT
    )
    # Every edit of the content increments it; review steps keep the version they saw.
    version = models.PositiveIntegerField(_("Phiên bản"), default=1)
    submitted_once = models.BooleanField(default=False)

    pdf_source = models.CharField(_("Nguồn tệp"), max_length=10, choices=PdfSource.choices)
    draft_sha256 = models.CharField(max_length=64)
    draft_storage_name = models.CharField(max_length=200)
    draft_size = models.PositiveBigIntegerField(default=0)
    page_count = models.PositiveIntegerField(_("Số trang"), default=1)
    # The designated places (so_ky_hieu, ngay_ban_hanh, signer, seal) in PDF points: see documents.layout.
    layout = models.JSONField(_("Vị trí số, ngày, chữ ký, con dấu"), default=dict)
    # The designated text fields (so_ky_hieu, ngay_ban_hanh) the uploaded PDF already carries: not added again.
    own_fields = models.JSONField(default=list, blank=True)

    signed_sha256 = models.CharField(max_length=64, blank=True)
    signed_storage_name = models.CharField(max_length=200, blank=True)
    personal_signed_at = models.DateTimeField(_("Lãnh đạo ký lúc"), null=True, blank=True)
    personal_certificate_sha256 = models.CharField(
        _("Chứng thư chữ ký cá nhân (SHA-256)"), max_length=64, blank=True
    )

    register = models.ForeignKey(
        "documents.Register",
        verbose_name=_("Sổ văn bản đi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outgoing_documents",
    )
    number = models.PositiveIntegerField(_("Số"), null=True, blank=True)
    notation = models.CharField(_("Ký hiệu"), max_length=60, blank=True)
    issue_date = models.DateField(_("Ngày ban hành"), null=True, blank=True)
    issued_at = models.DateTimeField(_("Phát hành lúc"), null=True, blank=True)
    issued_by = models.ForeignKey(
        "directory.Person",
        verbose_name=_("Văn thư phát hành"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_sha256 = models.CharField(max_length=64, blank=True)
    issued_storage_name = models.CharField(max_length=200, blank=True)
    issued_size = models.PositiveBigIntegerField(default=0)
    agency_certificate_sha256 = models.CharField(
        _("Chứng thư chữ ký cơ quan (SHA-256)"), max_length=64, blank=True
    )

    # Filled by a background task (pdftotext) for full-text search; empty until it ran.
    extracted_text = models.TextField(_("Nội dung trích từ tệp"), blank=True)
    text_extracted_at = models.DateTimeField(null=True, blank=True)
    # Number, notation, type, subject, agency and extracted text folded for search (documents.search).
    search_text = models.TextField(blank=True, default="", editable=False)

    created_at = models.DateTimeField(_("Tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("văn bản đi")
        verbose_name_plural = pgettext_lazy("số nhiều", "văn bản đi")
        ordering = ["-issued_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "status"], name="documents_out_agency_status"),
            models.Index(fields=["agency", "issue_date"], name="documents_out_agency_date"),
        ]
        constraints = [
            # Decree 30: the number comes after the personal signature, never before (documents.md).
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(personal_signed_at__isnull=False),
                name="documents_out_number_after_signature",
                violation_error_code="number_before_signature",
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True)
                | (Q(register__isnull=False) & Q(issue_date__isnull=False) & Q(number__gte=1)),
                name="documents_out_number_in_register",
            ),
            models.UniqueConstraint(fields=["register", "number"], name="documents_out_number_unique"),
        ]

    def __str__(self) -> str:
        if self.number is not None:
            return number_and_notation(self.number, self.notation)
        return f"{self.document_type.name if self.document_type_id else ''}: {self.subject[:80]}".strip(": ")

    @property
    def number_notation(self) -> str:
        """``05/QĐ-UBND`` once issued, else empty."""
        return number_and_notation(self.number, self.notation) if self.number is not None else ""

    @property
    def identifier(self) -> str:
        """``{agency code},{yyyy/MM/dd},{number}/{notation}`` once issued, else empty (the exchange's id)."""
        if self.number is None or self.issue_date is None:
            return ""
        return document_identifier(self.agency.code, self.issue_date, self.number, self.notation)

    @property
    def is_secret(self) -> bool:
        return self.secrecy != Secrecy.NONE

    def current_file(self) -> tuple[str, str]:
        """``(sha256, storage name)`` of the latest copy: issued, else signed, else the draft."""
        if self.issued_sha256:
            return self.issued_sha256, self.issued_storage_name
        if self.signed_sha256:
            return self.signed_sha256, self.signed_storage_name
        return self.draft_sha256, self.draft_storage_name


class OutgoingRecipient(models.Model):
    """A recipient (nơi nhận): an agency on the platform, or one outside it known by its code.

    ``agency`` is set when the code names an active agency of the directory and the drafter did not mark it
    external; it then receives the document at once as an incoming document (``incoming``). Otherwise the
    recipient waits in :class:`OutboundDelivery` for the exchange.
    """

    document = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE, related_name="recipients")
    position = models.PositiveSmallIntegerField(default=0)
    agency_code = models.CharField(_("Mã định danh"), max_length=13)
    name = models.CharField(_("Tên cơ quan nhận"), max_length=300)
    agency = models.ForeignKey(
        "directory.Agency",
        verbose_name=_("Cơ quan trên hệ thống"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_external = models.BooleanField(_("Gửi qua trục liên thông"), default=False)
    incoming = models.OneToOneField(
        "documents.IncomingDocument",
        verbose_name=_("Văn bản đến đã tạo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="delivered_from",
    )

    class Meta:
        verbose_name = _("nơi nhận")
        verbose_name_plural = pgettext_lazy("số nhiều", "nơi nhận")
        ordering = ["document", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["document", "agency_code"], name="documents_recipient_once"),
            models.CheckConstraint(
                condition=Q(is_external=True, agency__isnull=True)
                | Q(is_external=False, agency__isnull=False),
                name="documents_recipient_on_or_off_platform",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency_code})"


class OutboundDelivery(models.Model):
    """A recipient outside the platform waiting for the exchange (trục liên thông) to carry the document.

    Created ``waiting`` when the document is issued; the exchange app drains the queue and moves it on.
    Pages show ``waiting`` as "chờ gửi", never as sent.
    """

    recipient = models.OneToOneField(OutgoingRecipient, on_delete=models.PROTECT, related_name="delivery")
    status = models.CharField(
        _("Trạng thái gửi"), max_length=10, choices=QueueStatus.choices, default=QueueStatus.WAITING
    )
    enqueued_at = models.DateTimeField(_("Vào hàng đợi lúc"))
    attempts = models.PositiveIntegerField(_("Số lần thử"), default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(_("Đã gửi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("văn bản chờ gửi qua trục")
        verbose_name_plural = pgettext_lazy("số nhiều", "văn bản chờ gửi qua trục")
        ordering = ["enqueued_at", "id"]
        indexes = [
            models.Index(
                fields=["enqueued_at", "id"],
                condition=Q(status="waiting"),
                name="documents_outbound_waiting",
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient} – {self.get_status_display()}"


class OutgoingAttachment(models.Model):
    """A PDF attached in a separate file (phụ lục); issued with the agency's text signature on page one."""

    document = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE, related_name="attachments")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("Tên tài liệu"), max_length=300)
    file_name = models.CharField(_("Tên tệp"), max_length=255)
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField(default=0)
    issued_sha256 = models.CharField(max_length=64, blank=True)
    issued_storage_name = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("tệp đính kèm văn bản đi")
        verbose_name_plural = pgettext_lazy("số nhiều", "tệp đính kèm văn bản đi")
        ordering = ["document", "position", "id"]

    def __str__(self) -> str:
        return self.title


class ReviewStep(models.Model):
    """One step of review (thẩm định, by a unit head) or approval for signature (trình ký, by the signer)."""

    document = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE, related_name="steps")
    stage = models.CharField(_("Bước"), max_length=10, choices=StepStage.choices)
    assignee = models.ForeignKey(
        "directory.Person", verbose_name=_("Người xử lý"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_by = models.ForeignKey(
        "directory.Person", verbose_name=_("Người trình"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("Trình lúc"))
    document_version = models.PositiveIntegerField(_("Phiên bản dự thảo"))
    decision = models.CharField(
        _("Quyết định"), max_length=10, choices=StepDecision.choices, default=StepDecision.PENDING
    )
    note = models.TextField(_("Ý kiến"), blank=True)
    decided_at = models.DateTimeField(_("Xử lý lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("bước thẩm định, trình ký")
        verbose_name_plural = pgettext_lazy("số nhiều", "bước thẩm định, trình ký")
        ordering = ["document", "submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document"], condition=Q(decision="pending"), name="documents_one_pending_step"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} – {self.assignee} – {self.get_decision_display()}"
