"""The working-day calendar tables: special dates, working hours per agency, and a version stamp.

Deadline arithmetic reads only these tables (through :mod:`lienthong.worktime.selectors`). They are seeded
from a pinned release of the ``holidays`` package and edited by a system administrator; every change goes
through :mod:`lienthong.worktime.services`, which audits it and renews the version stamp.
"""

from __future__ import annotations

from datetime import time

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

#: ``source`` of an entry an administrator created or changed; the seed never touches those again.
ADMIN_SOURCE = "admin"


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Ngày lễ, Tết")
    DAY_OFF = "day_off", _("Ngày nghỉ bù, nghỉ hoán đổi")
    WORKDAY = "workday", _("Ngày làm việc bù")


class CalendarDay(models.Model):
    """One date that is not an ordinary Monday–Friday working day or weekend day.

    A holiday or a day off makes a date non-working; a ``workday`` makes a Saturday or Sunday worked (the
    swapped Saturday of a long holiday). An entry removed by an administrator is kept with
    ``is_active=False``, so its history stays readable and seeding does not bring it back.
    """

    date = models.DateField(_("Ngày"), unique=True)
    kind = models.CharField(_("Loại"), max_length=16, choices=DayKind.choices)
    name = models.CharField(_("Tên, lý do"), max_length=200)
    source = models.CharField(
        _("Nguồn"),
        max_length=32,
        help_text=_("“admin” khi quản trị viên đã sửa; nếu không, phiên bản thư viện holidays đã nạp."),
    )
    is_active = models.BooleanField(_("Còn hiệu lực"), default=True)
    created_at = models.DateTimeField(_("Tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Sửa lúc"), auto_now=True)

    class Meta:
        verbose_name = _("ngày đặc biệt trong lịch")
        verbose_name_plural = _("ngày lễ, ngày nghỉ, ngày làm bù")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["holiday", "day_off", "workday"]), name="worktime_day_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} – {self.name}"

    @property
    def is_working(self) -> bool:
        return self.kind == DayKind.WORKDAY

    @property
    def edited_by_admin(self) -> bool:
        return self.source == ADMIN_SOURCE


DEFAULT_MORNING = (time(7, 0), time(11, 30))
DEFAULT_AFTERNOON = (time(13, 30), time(17, 0))


class WorkingHours(models.Model):
    """The working hours of an agency (by its code), or of the whole province when ``agency_code`` is blank.

    The agency is kept as its code, not a foreign key: the calendar sits below the directory in the
    dependency order. A code without its own row uses the province-wide row, then 07:00–11:30, 13:30–17:00.
    """

    agency_code = models.CharField(
        _("Mã định danh cơ quan"),
        max_length=32,
        unique=True,
        blank=True,
        help_text=_("Để trống cho giờ làm việc chung của tỉnh."),
    )
    morning_start = models.TimeField(_("Sáng từ"), default=DEFAULT_MORNING[0])
    morning_end = models.TimeField(_("Sáng đến"), default=DEFAULT_MORNING[1])
    afternoon_start = models.TimeField(_("Chiều từ"), default=DEFAULT_AFTERNOON[0])
    afternoon_end = models.TimeField(_("Chiều đến"), default=DEFAULT_AFTERNOON[1])
    updated_at = models.DateTimeField(_("Sửa lúc"), auto_now=True)

    class Meta:
        verbose_name = _("giờ làm việc")
        verbose_name_plural = pgettext_lazy("số nhiều", "giờ làm việc")
        ordering = ["agency_code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(morning_start__lt=models.F("morning_end"))
                & models.Q(morning_end__lte=models.F("afternoon_start"))
                & models.Q(afternoon_start__lt=models.F("afternoon_end")),
                name="worktime_hours_in_order",
            ),
        ]

    def __str__(self) -> str:
        who = self.agency_code or _("Chung toàn tỉnh")
        return (
            f"{who}: {self.morning_start:%H:%M}–{self.morning_end:%H:%M}, "
            f"{self.afternoon_start:%H:%M}–{self.afternoon_end:%H:%M}"
        )

    @property
    def periods(self) -> tuple[tuple[time, time], tuple[time, time]]:
        return ((self.morning_start, self.morning_end), (self.afternoon_start, self.afternoon_end))


class CalendarVersion(models.Model):
    """One row whose ``token`` changes with every change to the calendar tables.

    App servers keep the built calendar in memory keyed by this token and read only the token per request,
    so every server sees a change at its next request. A random token, not a counter, so a rolled-back
    transaction can never make two different calendars share a version.
    """

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("phiên bản lịch")
        verbose_name_plural = pgettext_lazy("số nhiều", "phiên bản lịch")

    def __str__(self) -> str:
        return self.token
