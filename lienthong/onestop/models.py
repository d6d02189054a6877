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

    # Unique through Meta.constraints, not unique=True: the field option would add a second (LIKE) index that no
    # query uses, written on every intake.
    code = models.CharField(_("Mã hồ sơ"), max_length=40)
    procedure = models.ForeignKey(
        "catalog.Procedure", verbose_name=_("Thủ tục"), on_delete=models.PROTECT, related_name="dossiers"
    )
    # The version the dossier was submitted under: later versions of the procedure never change it. No index of
    # its own: no page or report looks dossiers up by version (only deleting a version would), and every intake
    # would write it.
    procedure_version = models.ForeignKey(
        "catalog.ProcedureVersion",
        verbose_name=_("Phiên bản thủ tục"),
        on_delete=models.PROTECT,
        related_name="dossiers",
        db_index=False,
    )
    agency = models.ForeignKey(
        "directory.Agency",
        verbose_name=_("Cơ quan tiếp nhận"),
        on_delete=models.PROTECT,
        related_name="dossiers",
        db_index=False,  # dossier_agency_status (agency, national_status) serves every look-up by agency
    )
    # The agency holding the dossier now: the receiving agency, or another one it was handed over to for an
    # interconnected procedure (một cửa liên thông). The history stays on this one dossier.
    handling_agency = models.ForeignKey(
        "directory.Agency",
        verbose_name=_("Cơ quan đang giải quyết"),
        on_delete=models.PROTECT,
        related_name="handled_dossiers",
        null=True,
        blank=True,
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
    # A new appointment promised in an approved apology slip (form 04); due_at still decides statistics.
    rescheduled_due_at = models.DateTimeField(_("Hẹn lại ngày trả kết quả"), null=True, blank=True)
    # Money as integer VND: what the applicant owes (fees, charges, obligations) and what was paid.
    fee_due = models.PositiveBigIntegerField(_("Phí, lệ phí phải nộp (đồng)"), default=0)
    fee_paid = models.PositiveBigIntegerField(_("Đã nộp (đồng)"), default=0)
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
            # No index on due_at alone: the queues that sort by it read the partial indexes below.
            # One partial index per officer queue, in the queue's order, so a page of 50 is read straight off
            # the index instead of sorting every open dossier of the agency (bench/README.md, queue page).
            models.Index(
                fields=["handling_agency", "due_at", "id"],
                condition=models.Q(national_status__in=[2, 4]),
                name="dossier_queue_running",
            ),
            models.Index(
                fields=["handling_agency", "due_at", "id"],
                condition=models.Q(national_status__in=[5, 6, 8]),
                name="dossier_queue_paused",
            ),
            models.Index(
                fields=["agency", "received_at", "id"],
                condition=models.Q(national_status=1),
                name="dossier_queue_receive",
            ),
            models.Index(
                fields=["agency", "finished_at", "id"],
                condition=models.Q(national_status=9),
                name="dossier_queue_to_return",
            ),
            # The same queues across every agency (a province administrator's view): read in order off these
            # instead of sorting the open dossiers of all agencies (bench/README.md, queue page).
            models.Index(
                fields=["due_at", "id"],
                condition=models.Q(national_status__in=[2, 4, 5, 6, 8]),
                name="dossier_open_due_all",
            ),
            models.Index(
                fields=["finished_at", "id"],
                condition=models.Q(national_status=9),
                name="dossier_to_return_all",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="dossier_code_unique"),
            models.CheckConstraint(
                condition=models.Q(national_status__gte=1, national_status__lte=10),
                name="dossier_national_status_range",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class IntakeKey(models.Model):
    """An ``Idempotency-Key`` sent with an API intake, and the dossier it created.

    A caller that did not get the answer (a timeout, a dropped connection) sends the same intake again with the
    same key and gets the same dossier back instead of a second one. Keys belong to one caller (an API
    credential or a person), so two systems cannot collide; ``body_sha256`` tells a retry from a different
    intake that reuses a key by mistake.
    """

    caller = models.CharField(_("Bên gọi"), max_length=40)
    key = models.CharField(_("Khóa chống gửi trùng"), max_length=255)
    body_sha256 = models.CharField(max_length=64)
    dossier = models.OneToOneField(
        Dossier, on_delete=models.CASCADE, related_name="+", verbose_name=_("Hồ sơ")
    )
    created_at = models.DateTimeField(_("Nhận lúc"))

    class Meta:
        verbose_name = _("khóa chống gửi trùng")
        verbose_name_plural = pgettext_lazy("số nhiều", "khóa chống gửi trùng")
        constraints = [models.UniqueConstraint(fields=["caller", "key"], name="intake_key_unique")]

    def __str__(self) -> str:
        return f"{self.caller} {self.key}"


class DossierCodeCounter(models.Model):
    """The last sequence number handed out for one receiving agency on one day (gap-free allocation)."""

    # The unique (agency, day) index serves lookups by agency too; a second index would be written for nothing.
    agency = models.ForeignKey("directory.Agency", on_delete=models.PROTECT, related_name="+", db_index=False)
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


class StepOutcome(models.TextChoices):
    OPEN = "open", _("Đang xử lý")
    FORWARDED = "forwarded", _("Đã chuyển bước sau")
    SENT_BACK = "sent_back", _("Trả lại bước trước")
    HANDED_OVER = "handed_over", _("Chuyển cơ quan khác")
    FINISHED = "finished", _("Hoàn thành")
    CLOSED = "closed", _("Đóng (hồ sơ dừng hoặc rút)")


class DossierStep(models.Model):
    """One visit of a dossier to a step of an agency's internal process (a line of the control slip, form 05).

    Sending a dossier back opens the earlier step again as a new row, so the slip shows every hand-over in
    order and each visit is judged against its own allowance.
    """

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="steps")
    sequence = models.PositiveSmallIntegerField(_("Lượt"))
    # The order of the step in the agency's internal process (1 when the agency has none).
    step_order = models.PositiveSmallIntegerField(_("Bước số"))
    title = models.CharField(_("Bước"), max_length=300)
    agency = models.ForeignKey("directory.Agency", verbose_name=_("Cơ quan"), on_delete=models.PROTECT)
    unit = models.ForeignKey(
        "directory.Unit", verbose_name=_("Đơn vị"), null=True, blank=True, on_delete=models.PROTECT
    )
    role = models.CharField(_("Vai trò thực hiện"), max_length=20, blank=True)
    assignee = models.ForeignKey(
        "directory.Person",
        verbose_name=_("Người xử lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossier_steps",
    )
    allowance_hours = models.DecimalField(
        _("Thời gian cho phép (giờ làm việc)"), max_digits=7, decimal_places=2
    )
    started_at = models.DateTimeField(_("Bắt đầu"))
    due_at = models.DateTimeField(_("Hạn của bước"))
    finished_at = models.DateTimeField(_("Kết thúc"), null=True, blank=True)
    outcome = models.CharField(
        _("Kết quả"), max_length=12, choices=StepOutcome.choices, default=StepOutcome.OPEN
    )
    approved_by = models.CharField(_("Người phê duyệt"), max_length=150, blank=True)
    note = models.TextField(_("Ghi chú"), blank=True)

    class Meta:
        verbose_name = _("bước xử lý hồ sơ")
        verbose_name_plural = pgettext_lazy("số nhiều", "bước xử lý hồ sơ")
        ordering = ["dossier", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "sequence"], name="dossier_step_sequence_unique"),
            # At most one open step per dossier: the dossier is in one place at a time.
            models.UniqueConstraint(
                fields=["dossier"], condition=models.Q(outcome="open"), name="dossier_one_open_step"
            ),
        ]
        indexes = [
            models.Index(
                fields=["assignee", "dossier"],
                condition=models.Q(outcome="open"),
                name="dossier_step_open_assignee",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} #{self.sequence} {self.title}"


class FileKind(models.TextChoices):
    COMPONENT = "component", _("Thành phần hồ sơ")
    SUPPLEMENT = "supplement", _("Hồ sơ bổ sung")
    RESULT = "result", _("Kết quả giải quyết")


class DossierFile(models.Model):
    """A file of the dossier, stored once by its SHA-256 (the same bytes twice share one stored file)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="files")
    kind = models.CharField(_("Loại"), max_length=12, choices=FileKind.choices)
    title = models.CharField(_("Tên giấy tờ"), max_length=300)
    file_name = models.CharField(_("Tên tệp"), max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField(_("Dung lượng (byte)"))
    # Found from the bytes, never from the name or the sender's claim.
    content_type = models.CharField(_("Kiểu nội dung"), max_length=100)
    storage_name = models.CharField(max_length=200)
    uploaded_at = models.DateTimeField(_("Tải lên lúc"))
    uploaded_by = models.CharField(_("Người tải lên"), max_length=150)
    signed_by = models.CharField(_("Người ký"), max_length=150, blank=True)
    signed_at = models.DateTimeField(_("Ký lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("tệp hồ sơ")
        verbose_name_plural = pgettext_lazy("số nhiều", "tệp hồ sơ")
        ordering = ["dossier", "id"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.title}"


class ApologyStatus(models.TextChoices):
    DRAFT = "draft", _("Chờ lãnh đạo duyệt")
    APPROVED = "approved", _("Đã duyệt")
    REJECTED = "rejected", _("Không duyệt")


class Apology(models.Model):
    """An apology slip (form 04): drafted by the late unit, approved by a leader, with a new appointment."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="apologies")
    agency = models.ForeignKey("directory.Agency", verbose_name=_("Cơ quan"), on_delete=models.PROTECT)
    unit = models.ForeignKey(
        "directory.Unit", verbose_name=_("Đơn vị chậm"), null=True, blank=True, on_delete=models.PROTECT
    )
    reason = models.TextField(_("Lý do chậm"))
    new_due_at = models.DateTimeField(_("Hẹn lại ngày trả kết quả"))
    # The appointment the dossier had when the apology was drafted (printed on the slip).
    previous_due_at = models.DateTimeField(_("Ngày hẹn trước đó"))
    status = models.CharField(
        _("Trạng thái"), max_length=10, choices=ApologyStatus.choices, default=ApologyStatus.DRAFT
    )
    drafted_by = models.CharField(_("Người soạn"), max_length=150)
    drafted_at = models.DateTimeField(_("Soạn lúc"))
    decided_by = models.CharField(_("Người duyệt"), max_length=150, blank=True)
    decided_at = models.DateTimeField(_("Duyệt lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("phiếu xin lỗi và hẹn lại")
        verbose_name_plural = pgettext_lazy("số nhiều", "phiếu xin lỗi và hẹn lại")
        ordering = ["dossier", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"], condition=models.Q(status="draft"), name="apology_one_draft"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.new_due_at:%d/%m/%Y}"


class SlipTemplate(models.Model):
    """An administrator's version of a slip's HTML template (forms 01–05); without one the built-in is used."""

    form = models.CharField(_("Mẫu số"), max_length=2, unique=True)
    title = models.CharField(_("Tên mẫu"), max_length=300)
    body = models.TextField(_("Nội dung (HTML, cú pháp mẫu Django)"))
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.CharField(_("Người sửa"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("mẫu phiếu")
        verbose_name_plural = pgettext_lazy("số nhiều", "mẫu phiếu")
        ordering = ["form"]

    def __str__(self) -> str:
        return f"{self.form} {self.title}"
