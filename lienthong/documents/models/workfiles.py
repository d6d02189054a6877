"""Work files (hồ sơ công việc): documents of one agency grouped by topic and year, kept for a set period."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .choices import WorkFileStatus


class WorkFile(models.Model):
    """A work file. Its file code in the exchange format is ``{agency code}.{year}.{code}``."""

    agency = models.ForeignKey(
        "directory.Agency", verbose_name=_("Cơ quan"), on_delete=models.PROTECT, related_name="work_files"
    )
    year = models.PositiveSmallIntegerField(_("Năm"))
    code = models.CharField(_("Số, ký hiệu hồ sơ"), max_length=50)
    title = models.CharField(_("Tiêu đề hồ sơ"), max_length=500)
    description = models.TextField(_("Ghi chú"), blank=True)
    retention = models.ForeignKey(
        "documents.RetentionPeriod",
        verbose_name=_("Thời hạn bảo quản"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    responsible_unit = models.ForeignKey(
        "directory.Unit",
        verbose_name=_("Đơn vị lập hồ sơ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    responsible_person = models.ForeignKey(
        "directory.Person",
        verbose_name=_("Người lập hồ sơ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("Trạng thái"), max_length=10, choices=WorkFileStatus.choices, default=WorkFileStatus.OPEN
    )
    created_by = models.ForeignKey(
        "directory.Person", verbose_name=_("Người tạo"), on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("Mở lúc"))
    closed_at = models.DateTimeField(_("Đóng lúc"), null=True, blank=True)
    closed_by = models.ForeignKey(
        "directory.Person",
        verbose_name=_("Người đóng hồ sơ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("hồ sơ công việc")
        verbose_name_plural = pgettext_lazy("số nhiều", "hồ sơ công việc")
        ordering = ["agency__code", "-year", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "code"], name="documents_work_file_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}/{self.year} – {self.title[:80]}"

    @property
    def file_code(self) -> str:
        """File code as the exchange format names it: agency code, file catalogue (year), file notation."""
        return f"{self.agency.code}.{self.year}.{self.code}"


class WorkFileItem(models.Model):
    """One document (incoming or outgoing) in a work file, at its ordinal (số thứ tự trong hồ sơ)."""

    work_file = models.ForeignKey(WorkFile, on_delete=models.CASCADE, related_name="items")
    outgoing = models.ForeignKey(
        "documents.OutgoingDocument", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    incoming = models.ForeignKey(
        "documents.IncomingDocument", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ordinal = models.PositiveIntegerField(_("Số thứ tự trong hồ sơ"))
    added_by = models.ForeignKey(
        "directory.Person", verbose_name=_("Người thêm"), on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("Thêm lúc"))

    class Meta:
        verbose_name = _("văn bản trong hồ sơ")
        verbose_name_plural = pgettext_lazy("số nhiều", "văn bản trong hồ sơ")
        ordering = ["work_file", "ordinal", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(outgoing__isnull=False) & Q(incoming__isnull=True))
                | (Q(outgoing__isnull=True) & Q(incoming__isnull=False)),
                name="documents_item_one_document",
            ),
            models.UniqueConstraint(
                fields=["work_file", "outgoing"],
                condition=Q(outgoing__isnull=False),
                name="documents_item_outgoing_once",
            ),
            models.UniqueConstraint(
                fields=["work_file", "incoming"],
                condition=Q(incoming__isnull=False),
                name="documents_item_incoming_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.work_file_id}#{self.ordinal}"

    @property
    def document(self) -> object:
        return self.outgoing or self.incoming
