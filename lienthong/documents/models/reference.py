"""Reference data an administrator edits (document types, exchange priorities, retention periods) and the
registers (sổ văn bản) that number documents."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .choices import Direction, Urgency


class DocumentType(models.Model):
    """A kind of administrative document (Decree 30, Annex III) and its abbreviation in the notation.

    ``code`` identifies the type in the API and in data; ``abbreviation`` is what the notation prints
    (``QĐ`` in ``15/QĐ-SNV``) and is empty for a plain letter (công văn), whose notation has no type part.
    ``layout`` gives the default designated places on an *uploaded* PDF of this type (see
    :mod:`lienthong.documents.layout`); empty means the platform-wide default.
    """

    code = models.CharField(_("Mã loại"), max_length=20, unique=True)
    name = models.CharField(_("Tên loại văn bản"), max_length=100, unique=True)
    abbreviation = models.CharField(
        _("Chữ viết tắt"),
        max_length=20,
        blank=True,
        help_text=_("In trong ký hiệu văn bản, ví dụ QĐ; để trống với công văn."),
    )
    rank = models.PositiveSmallIntegerField(_("Thứ tự"), default=100)
    is_active = models.BooleanField(_("Đang dùng"), default=True)
    layout = models.JSONField(
        _("Vị trí mặc định trên tệp tải lên"),
        default=dict,
        blank=True,
        help_text=_(
            "Vị trí số, ngày ban hành, chữ ký và con dấu (điểm PDF, gốc dưới trái) khi tệp tải lên không có "
            "trường so_ky_hieu, ngay_ban_hanh. Để trống: dùng vị trí mặc định của hệ thống."
        ),
    )

    class Meta:
        verbose_name = _("loại văn bản")
        verbose_name_plural = pgettext_lazy("số nhiều", "loại văn bản")
        ordering = ["rank", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.abbreviation})" if self.abbreviation else self.name

    @property
    def is_letter(self) -> bool:
        """A công văn: no type abbreviation, the subject goes under the number as "V/v …"."""
        return not self.abbreviation


class ExchangePriority(models.Model):
    """The priority number an exchange package carries for each urgency level (kept as data: to verify)."""

    urgency = models.CharField(_("Độ khẩn"), max_length=20, choices=Urgency.choices, unique=True)
    priority = models.PositiveSmallIntegerField(_("Mã độ ưu tiên trên trục"))

    class Meta:
        verbose_name = _("độ ưu tiên trên trục liên thông")
        verbose_name_plural = pgettext_lazy("số nhiều", "độ ưu tiên trên trục liên thông")
        ordering = ["priority"]

    def __str__(self) -> str:
        return f"{self.get_urgency_display()} = {self.priority}"


class RetentionPeriod(models.Model):
    """How long a work file is kept (thời hạn bảo quản); ``years`` empty means permanently (vĩnh viễn)."""

    name = models.CharField(_("Thời hạn bảo quản"), max_length=100, unique=True)
    years = models.PositiveSmallIntegerField(_("Số năm"), null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("Thứ tự"), default=100)

    class Meta:
        verbose_name = _("thời hạn bảo quản")
        verbose_name_plural = pgettext_lazy("số nhiều", "thời hạn bảo quản")
        ordering = ["rank", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_permanent(self) -> bool:
        return self.years is None


class Register(models.Model):
    """A register (sổ văn bản) of one agency for one year and one direction, secret ones apart.

    ``last_number`` is the last number handed out; it only ever grows, under a row lock, inside the
    transaction that issues or registers the document (:mod:`lienthong.documents.services.registers`), so a
    failed issuance gives its number back and numbers run 1, 2, 3… with no gap and no duplicate.
    """

    agency = models.ForeignKey(
        "directory.Agency", verbose_name=_("Cơ quan"), on_delete=models.PROTECT, related_name="registers"
    )
    year = models.PositiveSmallIntegerField(_("Năm"))
    direction = models.CharField(_("Loại sổ"), max_length=10, choices=Direction.choices)
    secret = models.BooleanField(_("Sổ văn bản mật"), default=False)
    name = models.CharField(_("Tên sổ"), max_length=200, blank=True)
    last_number = models.PositiveIntegerField(_("Số cuối đã cấp"), default=0)

    class Meta:
        verbose_name = _("sổ văn bản")
        verbose_name_plural = pgettext_lazy("số nhiều", "sổ văn bản")
        ordering = ["agency__code", "-year", "direction", "secret"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "direction", "secret"], name="documents_register_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.default_name()

    def default_name(self) -> str:
        names = {
            (Direction.OUTGOING, False): _("Sổ văn bản đi năm %(year)s"),
            (Direction.OUTGOING, True): _("Sổ văn bản mật đi năm %(year)s"),
            (Direction.INCOMING, False): _("Sổ văn bản đến năm %(year)s"),
            (Direction.INCOMING, True): _("Sổ văn bản mật đến năm %(year)s"),
        }
        return str(names[(Direction(self.direction), self.secret)]) % {"year": self.year}
