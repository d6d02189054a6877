from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .codes import AGENCY_CODE_PATTERN

agency_code_validator = RegexValidator(
    AGENCY_CODE_PATTERN,
    _("Mã định danh phải có dạng NNN.NN.NN.XNN, ví dụ 000.00.00.H56."),
    code="agency_code_shape",
)


class Tier(models.TextChoices):
    CENTRAL = "central", _("Trung ương")
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện (trước 7/2025)")
    COMMUNE = "commune", _("Cấp xã")


class Agency(models.Model):
    """A state body with an electronic identification code (cơ quan, đơn vị có mã định danh)."""

    code = models.CharField(_("Mã định danh"), max_length=13, unique=True, validators=[agency_code_validator])
    name = models.CharField(_("Tên đầy đủ"), max_length=300)
    short_name = models.CharField(
        _("Tên viết tắt"), max_length=30, help_text=_("Dùng trong ký hiệu văn bản, ví dụ UBND, SNV.")
    )
    tier = models.CharField(_("Cấp"), max_length=10, choices=Tier.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("Cơ quan cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    address = models.CharField(_("Địa chỉ"), max_length=300, blank=True)
    phone = models.CharField(_("Điện thoại"), max_length=50, blank=True)
    email = models.EmailField(_("Thư điện tử"), blank=True)
    website = models.URLField(_("Trang thông tin"), blank=True)
    is_active = models.BooleanField(_("Đang hoạt động"), default=True)
    valid_from = models.DateField(_("Hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("Hiệu lực đến"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("Cơ quan kế thừa"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
        help_text=_("Cơ quan tiếp nhận chức năng khi cơ quan này chấm dứt (sáp nhập)."),
    )

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = pgettext_lazy("số nhiều", "cơ quan")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="agency_valid_range",
                violation_error_code="valid_range",
                violation_error_message=_(
                    "Ngày hết hiệu lực (valid_to) không được trước ngày bắt đầu hiệu lực (valid_from)."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")),
                name="agency_not_own_parent",
                violation_error_code="own_parent",
                violation_error_message=_("Cơ quan không thể là cơ quan cấp trên của chính nó."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class UnitKind(models.TextChoices):
    OFFICE = "office", _("Văn phòng")
    DEPARTMENT = "department", _("Phòng")
    BOARD = "board", _("Ban")
    ONESTOP = "onestop", _("Bộ phận một cửa")
    OTHER = "other", _("Khác")


class Unit(models.Model):
    """A unit inside an agency: a phòng, a ban, the one-stop desk."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("Cơ quan"), on_delete=models.PROTECT, related_name="units"
    )
    code = models.CharField(_("Mã đơn vị"), max_length=30)
    name = models.CharField(_("Tên đơn vị"), max_length=300)
    short_name = models.CharField(_("Tên viết tắt"), max_length=30, blank=True)
    kind = models.CharField(_("Loại"), max_length=12, choices=UnitKind.choices, default=UnitKind.DEPARTMENT)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("Đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_active = models.BooleanField(_("Đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = pgettext_lazy("số nhiều", "đơn vị")
        ordering = ["agency__code", "code"]
        constraints = [models.UniqueConstraint(fields=["agency", "code"], name="unit_code_unique_in_agency")]

    def __str__(self) -> str:
        return f"{self.name} – {self.agency.short_name}"


class Position(models.Model):
    """A title held by a person (chức vụ): Chủ tịch, Giám đốc, Phó Trưởng phòng, Chuyên viên…"""

    name = models.CharField(_("Chức vụ"), max_length=150, unique=True)
    rank = models.PositiveSmallIntegerField(_("Thứ tự"), default=100, help_text=_("Nhỏ hơn đứng trước."))

    class Meta:
        verbose_name = _("chức vụ")
        verbose_name_plural = pgettext_lazy("số nhiều", "chức vụ")
        ordering = ["rank", "name"]

    def __str__(self) -> str:
        return self.name


class Person(AbstractUser):
    """An officer account (cán bộ, công chức). Sign-in by user name; roles say where they may act."""

    full_name = models.CharField(_("Họ và tên"), max_length=150)
    phone = models.CharField(_("Điện thoại"), max_length=30, blank=True)
    totp_secret = models.CharField(max_length=64, blank=True)
    totp_enabled = models.BooleanField(_("Bật xác thực hai lớp"), default=False)
    # The 30-second step of the last code accepted: a code is good once, even within its validity window.
    totp_last_step = models.BigIntegerField(null=True, blank=True)
    failed_logins = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("cán bộ")
        verbose_name_plural = pgettext_lazy("số nhiều", "cán bộ")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("Quản trị hệ thống")
    AGENCY_ADMIN = "agency_admin", _("Quản trị cơ quan")
    CLERK = "clerk", _("Văn thư")
    LEADER = "leader", _("Lãnh đạo")
    UNIT_HEAD = "unit_head", _("Trưởng đơn vị")
    SPECIALIST = "specialist", _("Chuyên viên")
    ONESTOP_OFFICER = "onestop_officer", _("Cán bộ một cửa")


class RoleAssignment(models.Model):
    """A person holds a role in an agency (optionally in one unit of it), with a position."""

    person = models.ForeignKey(
        Person, verbose_name=_("Cán bộ"), on_delete=models.CASCADE, related_name="roles"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("Cơ quan"), on_delete=models.PROTECT, related_name="roles"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("Đơn vị"), null=True, blank=True, on_delete=models.PROTECT, related_name="roles"
    )
    role = models.CharField(_("Vai trò"), max_length=20, choices=Role.choices)
    position = models.ForeignKey(
        Position, verbose_name=_("Chức vụ"), null=True, blank=True, on_delete=models.PROTECT
    )
    is_active = models.BooleanField(_("Còn hiệu lực"), default=True)

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = pgettext_lazy("số nhiều", "phân quyền")
        ordering = ["agency__code", "role"]
        constraints = [
            models.UniqueConstraint(fields=["person", "agency", "role"], name="role_once_per_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_role_display()} – {self.agency.short_name}"


class ApiCredential(models.Model):
    """How an external system (another vendor's software, a postal partner) calls the API for one agency.

    The caller sends ``Authorization: Bearer <key_id>.<secret>``; only a hash of the secret is stored.
    """

    name = models.CharField(_("Tên hệ thống"), max_length=200)
    agency = models.ForeignKey(
        Agency, verbose_name=_("Cơ quan"), on_delete=models.PROTECT, related_name="api_credentials"
    )
    key_id = models.CharField(_("Mã khóa"), max_length=32, unique=True)
    secret_hash = models.CharField(max_length=64)
    is_active = models.BooleanField(_("Còn hiệu lực"), default=True)
    created_at = models.DateTimeField(_("Ngày tạo"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("Lần dùng cuối"), null=True, blank=True)

    class Meta:
        verbose_name = _("khóa API của hệ thống ngoài")
        verbose_name_plural = pgettext_lazy("số nhiều", "khóa API của hệ thống ngoài")

    def __str__(self) -> str:
        return f"{self.name} ({self.key_id})"

    @staticmethod
    def hash_secret(secret: str) -> str:
        # The secret is 32 random bytes, so a fast hash is enough; a slow KDF would only slow every call.
        return hashlib.sha256(secret.encode()).hexdigest()
