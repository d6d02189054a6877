from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .record import FIELD_CODE_PATTERN, PROCEDURE_CODE_PATTERN


class OnlineLevel(models.TextChoices):
    FULL = "full", _("Toàn trình")
    PARTIAL = "partial", _("Một phần")
    INFO = "info", _("Cung cấp thông tin")


class Status(models.TextChoices):
    ACTIVE = "active", _("Đang áp dụng")
    SUSPENDED = "suspended", _("Tạm ngừng")
    CANCELLED = "cancelled", _("Đã bãi bỏ")


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("ngày làm việc")
    WORKING_HOURS = "working_hours", _("giờ làm việc")
    CALENDAR_DAYS = "calendar_days", _("ngày")


class Field(models.Model):
    """A field of administrative procedures (lĩnh vực), e.g. G03-GD10."""

    code = models.CharField(
        _("Mã lĩnh vực"), max_length=40, unique=True, validators=[RegexValidator(FIELD_CODE_PATTERN)]
    )
    name = models.CharField(_("Tên lĩnh vực"), max_length=300)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = pgettext_lazy("số nhiều", "lĩnh vực")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Procedure(models.Model):
    """An administrative procedure (thủ tục hành chính) by its national code.

    The content lives in versions; the columns here repeat the current version's searchable facts so lists and
    search need no JSON look-ups. A procedure that dossiers reference is never deleted: it is cancelled.
    """

    code = models.CharField(
        _("Mã thủ tục"), max_length=20, unique=True, validators=[RegexValidator(PROCEDURE_CODE_PATTERN)]
    )
    name = models.CharField(_("Tên thủ tục"), max_length=1000)
    field = models.ForeignKey(
        Field, verbose_name=_("Lĩnh vực"), on_delete=models.PROTECT, related_name="procedures"
    )
    online_level = models.CharField(_("Mức độ trực tuyến"), max_length=10, choices=OnlineLevel.choices)
    status = models.CharField(_("Trạng thái"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    tiers = models.JSONField(_("Cấp thực hiện"), default=list)
    processing_value = models.FloatField(_("Thời hạn giải quyết"))
    processing_unit = models.CharField(_("Đơn vị thời hạn"), max_length=15, choices=TimeUnit.choices)
    # Folded (no diacritics, lower case) name, code and field: what search matches, with a trigram index on
    # PostgreSQL. Folding in Python keeps one rule for both databases (core.text.fold).
    search_text = models.TextField(editable=False, default="")
    current_version = models.ForeignKey(
        "ProcedureVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("Cập nhật"), auto_now=True)

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = pgettext_lazy("số nhiều", "thủ tục hành chính")
        ordering = ["code"]
        indexes = [models.Index(fields=["status", "online_level"])]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"


class ProcedureVersion(models.Model):
    """One version of a procedure's content; dossiers point at the version they were submitted under."""

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("Phiên bản"))
    record = models.JSONField(_("Nội dung"))
    created_at = models.DateTimeField(_("Tạo lúc"), auto_now_add=True)
    created_by = models.CharField(_("Người tạo"), max_length=150, blank=True)
    source = models.CharField(_("Nguồn"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = pgettext_lazy("số nhiều", "phiên bản thủ tục")
        ordering = ["procedure", "number"]
        constraints = [models.UniqueConstraint(fields=["procedure", "number"], name="version_number_unique")]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.number}"


class ProcedureAgency(models.Model):
    """An agency implementing a procedure, with the code localised to it (``1.000656.000.00.00.H56``)."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="implementations")
    agency = models.ForeignKey("directory.Agency", on_delete=models.PROTECT, related_name="procedures")
    local_code = models.CharField(_("Mã thủ tục tại cơ quan"), max_length=40, unique=True)

    class Meta:
        verbose_name = _("cơ quan thực hiện")
        verbose_name_plural = pgettext_lazy("số nhiều", "cơ quan thực hiện")
        constraints = [models.UniqueConstraint(fields=["procedure", "agency"], name="implementation_unique")]

    def __str__(self) -> str:
        return self.local_code


class InternalProcess(models.Model):
    """The internal process (quy trình nội bộ) of a procedure in one agency: ordered steps with time allowances."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="internal_processes")
    agency = models.ForeignKey(
        "directory.Agency", on_delete=models.PROTECT, related_name="internal_processes"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("quy trình nội bộ")
        verbose_name_plural = pgettext_lazy("số nhiều", "quy trình nội bộ")
        constraints = [models.UniqueConstraint(fields=["procedure", "agency"], name="process_unique")]

    def __str__(self) -> str:
        return f"{self.procedure.code} @ {self.agency.code}"


class InternalStep(models.Model):
    process = models.ForeignKey(InternalProcess, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("Thứ tự"))
    title = models.CharField(_("Bước"), max_length=300)
    unit = models.ForeignKey(
        "directory.Unit", verbose_name=_("Đơn vị thực hiện"), null=True, blank=True, on_delete=models.PROTECT
    )
    role = models.CharField(_("Vai trò thực hiện"), max_length=20, blank=True)
    allowance_hours = models.DecimalField(_("Thời gian (giờ làm việc)"), max_digits=7, decimal_places=2)

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = pgettext_lazy("số nhiều", "bước xử lý")
        ordering = ["process", "order"]
        constraints = [models.UniqueConstraint(fields=["process", "order"], name="step_order_unique")]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class CatalogImport(models.Model):
    """One import of procedures: the dry-run report, and who applied it and when."""

    file_name = models.CharField(_("Tệp"), max_length=300)
    file_format = models.CharField(_("Định dạng"), max_length=10)
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()
    report = models.JSONField(_("Báo cáo chạy thử"), default=dict)
    created_at = models.DateTimeField(_("Tải lên lúc"), auto_now_add=True)
    created_by = models.CharField(_("Người tải lên"), max_length=150, blank=True)
    applied_at = models.DateTimeField(_("Áp dụng lúc"), null=True, blank=True)
    applied_by = models.CharField(_("Người áp dụng"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("lần nhập thủ tục")
        verbose_name_plural = pgettext_lazy("số nhiều", "lần nhập thủ tục")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%d/%m/%Y %H:%M})"
