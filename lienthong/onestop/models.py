from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class NationalStatus(models.IntegerChoices):
    """The national status codes of a dossier (onestop.md); every dossier maps to exactly one."""

    SUBMITTED = 1, _("Mới đăng ký, chưa tiếp nhận")
    ACCEPTED = 2, _("Đã tiếp nhận")
    REFUSED = 3, _("Không tiếp nhận")
    PROCESSING = 4, _("Đang xử lý")
    SUPPLEMENT_REQUESTED = 5, _("Yêu cầu bổ sung hồ sơ")
    AWAITING_PAYMENT = 6, _("Chờ thực hiện nghĩa vụ tài chính")
    WITHDRAWN = 7, _("Rút hồ sơ theo yêu cầu")
    STOPPED = 8, _("Dừng xử lý")
    FINISHED = 9, _("Đã xử lý xong")
    RETURNED = 10, _("Đã trả kết quả")


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("Cá nhân")
    ORGANISATION = "organisation", _("Tổ chức")


class Channel(models.TextChoices):
    ONLINE = "online", _("Trực tuyến")
    DESK = "desk", _("Trực tiếp")
    POSTAL = "postal", _("Bưu chính công ích")


class ReturnMethod(models.TextChoices):
    """How the result goes back to the applicant (onestop.md, Channels)."""

    DESK = "desk", _("Trả trực tiếp tại bộ phận một cửa")
    ELECTRONIC = "electronic", _("Trả trực tuyến")
    POSTAL = "postal", _("Trả qua bưu chính công ích")


class Dossier(models.Model):
    """A dossier (hồ sơ) received by the one-stop desk of an agency for one administrative procedure."""

    code = models.CharField(_("Mã hồ sơ"), max_length=40, unique=True)
    procedure = models.ForeignKey(
        "catalog.Procedure", verbose_name=_("Thủ tục"), on_delete=models.PROTECT, related_name="dossiers"
    )
    # The version the dossier was submitted under: later versions of the procedure never change it.
    procedure_version = models.ForeignKey(
        "catalog.ProcedureVersion",
        verbose_name=_("Phiên bản thủ tục"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    agency = models.ForeignKey(
        "directory.Agency",
        verbose_name=_("Cơ quan tiếp nhận"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    applicant_kind = models.CharField(_("Loại người nộp"), max_length=12, choices=ApplicantKind.choices)
    applicant_name = models.CharField(_("Tên người nộp"), max_length=300)
    applicant_id_number = models.CharField(_("Số định danh / mã số thuế"), max_length=20)
    applicant_date_of_birth = models.DateField(_("Ngày sinh"), null=True, blank=True)
    applicant_address = models.CharField(_("Địa chỉ"), max_length=500, blank=True)
    applicant_phone = models.CharField(_("Điện thoại"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("Thư điện tử"), blank=True)
    representative = models.JSONField(_("Người đại diện"), null=True, blank=True)
    channel = models.CharField(_("Hình thức nộp"), max_length=10, choices=Channel.choices)
    received_at = models.DateTimeField(_("Nhận lúc"))
    accepted_at = models.DateTimeField(_("Tiếp nhận lúc"), null=True, blank=True)
    due_at = models.DateTimeField(_("Hẹn trả kết quả"), null=True, blank=True)
    national_status = models.PositiveSmallIntegerField(
        _("Trạng thái"), choices=NationalStatus.choices, default=NationalStatus.SUBMITTED
    )
    paused_at = models.DateTimeField(_("Tạm dừng từ"), null=True, blank=True)
    # Working time (not wall time) the clock was stopped, in seconds; the appointment moves by it.
    paused_seconds = models.PositiveBigIntegerField(_("Thời gian tạm dừng (giây làm việc)"), default=0)
    # When processing finished (status 9): its Vietnam date against due_at's decides early / on time / late.
    finished_at = models.DateTimeField(_("Hoàn thành lúc"), null=True, blank=True)
    returned_at = models.DateTimeField(_("Trả kết quả lúc"), null=True, blank=True)
    return_method = models.CharField(
        _("Hình thức trả kết quả"), max_length=12, choices=ReturnMethod.choices, blank=True
    )
    tracking_number = models.CharField(_("Số hiệu bưu gửi"), max_length=40, blank=True)
    # Optimistic concurrency: every change increments it; an action may state the version it saw.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = pgettext_lazy("số nhiều", "hồ sơ")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "national_status"], name="dossier_agency_status"),
            models.Index(fields=["due_at"], name="dossier_due_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(national_status__gte=1, national_status__lte=10),
                name="dossier_national_status_range",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class DossierCodeCounter(models.Model):
    """The last sequence number handed out for one receiving agency on one day (gap-free allocation)."""

    agency = models.ForeignKey("directory.Agency", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("bộ đếm mã hồ sơ")
        verbose_name_plural = pgettext_lazy("số nhiều", "bộ đếm mã hồ sơ")
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="dossier_counter_unique")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day:%d/%m/%Y}: {self.last_number}"


class DossierEvent(models.Model):
    """One line of a dossier's timeline: who did what, and the status before and after."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(_("Thời điểm"))
    actor = models.CharField(_("Người thực hiện"), max_length=150)
    action = models.CharField(_("Thao tác"), max_length=40)
    from_status = models.PositiveSmallIntegerField(
        _("Trạng thái trước"), choices=NationalStatus.choices, null=True, blank=True
    )
    to_status = models.PositiveSmallIntegerField(
        _("Trạng thái sau"), choices=NationalStatus.choices, null=True, blank=True
    )
    note = models.TextField(_("Ghi chú"), blank=True)

    class Meta:
        verbose_name = _("diễn biến hồ sơ")
        verbose_name_plural = pgettext_lazy("số nhiều", "diễn biến hồ sơ")
        ordering = ["dossier", "at", "id"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.action} {self.at:%d/%m/%Y %H:%M}"
