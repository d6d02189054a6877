"""Signing keys of people (leaders' personal signatures) and agencies (the agency's signature, with its seal).

A key row holds what is not secret: which back-end holds the private key and how to reach it (``config``), the
certificate read from that back-end when the key was registered (with subject, serial and validity copied out
for lists and checks), and the image drawn on the page. The password, PIN or one-time code is never stored.
"""

from __future__ import annotations

from cryptography import x509
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lienthong.directory.models import Agency, Person


class Purpose(models.TextChoices):
    PERSONAL = "personal", _("Chữ ký số cá nhân")
    AGENCY = "agency", _("Chữ ký số của cơ quan")


class SigningKey(models.Model):
    purpose = models.CharField(_("Loại chữ ký"), max_length=10, choices=Purpose.choices)
    person = models.ForeignKey(
        Person,
        verbose_name=_("Cán bộ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signing_keys",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("Cơ quan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signing_keys",
    )
    backend = models.CharField(_("Nơi giữ khóa"), max_length=30)
    config = models.JSONField(_("Cấu hình (không chứa bí mật)"), default=dict, blank=True)
    certificate_pem = models.TextField(_("Chứng thư số (PEM)"))
    certificate_sha256 = models.CharField(_("Dấu vân tay SHA-256"), max_length=64, db_index=True)
    subject = models.CharField(_("Chủ thể"), max_length=1000)
    common_name = models.CharField(_("Tên trên chứng thư"), max_length=300)
    issuer = models.CharField(_("Tổ chức cấp"), max_length=1000)
    serial_number = models.CharField(_("Số hiệu chứng thư"), max_length=80)
    not_before = models.DateTimeField(_("Hiệu lực từ"))
    not_after = models.DateTimeField(_("Hiệu lực đến"))
    image_sha256 = models.CharField(
        _("Ảnh chữ ký / con dấu (SHA-256)"),
        max_length=64,
        blank=True,
        help_text=_("Ảnh PNG nền trong suốt: chữ ký tay màu xanh (cá nhân) hoặc con dấu màu đỏ (cơ quan)."),
    )
    is_active = models.BooleanField(_("Đang dùng"), default=True)
    created_at = models.DateTimeField(_("Ngày đăng ký"), auto_now_add=True)
    deactivated_at = models.DateTimeField(_("Ngày ngừng dùng"), null=True, blank=True)

    class Meta:
        verbose_name = _("khóa ký số")
        verbose_name_plural = pgettext_lazy("số nhiều", "khóa ký số")
        ordering = ["-is_active", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(purpose="personal", person__isnull=False, agency__isnull=True))
                | Q(purpose="agency", agency__isnull=False, person__isnull=True),
                name="signing_key_owner_matches_purpose",
                violation_error_code="owner",
                violation_error_message=_("Khóa cá nhân thuộc một cán bộ; khóa cơ quan thuộc một cơ quan."),
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(is_active=True, purpose="personal"),
                name="signing_key_one_active_per_person",
                violation_error_message=_("Cán bộ này đã có một khóa ký số cá nhân đang dùng."),
            ),
            models.UniqueConstraint(
                fields=["agency"],
                condition=Q(is_active=True, purpose="agency"),
                name="signing_key_one_active_per_agency",
                violation_error_message=_("Cơ quan này đã có một khóa ký số đang dùng."),
            ),
        ]

    def __str__(self) -> str:
        owner = self.person if self.purpose == Purpose.PERSONAL else self.agency
        return f"{owner} – {self.common_name} ({self.backend})"

    @property
    def owner(self) -> Person | Agency | None:
        return self.person if self.purpose == Purpose.PERSONAL else self.agency

    def certificate(self) -> x509.Certificate:
        return x509.load_pem_x509_certificate(self.certificate_pem.encode())
