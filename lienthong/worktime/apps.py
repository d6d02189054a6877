from django.apps import AppConfig
from django.utils.translation import gettext as _

from lienthong.core.demo import DemoReport, register_demo_loader

DEMO_YEARS = range(2025, 2031)


def load_demo_calendar(report: DemoReport) -> None:
    """Seed the working-day calendar for the demo years from the pinned ``holidays`` data (idempotent)."""
    from .services import seed_calendar  # lazily: models are not ready when this module is imported

    result = seed_calendar(DEMO_YEARS)
    state = _("đã cập nhật") if result.changed else _("không có gì thay đổi")
    report.notes.append(
        _("Lịch làm việc %(first)s–%(last)s (ngày lễ, nghỉ bù, làm bù): %(state)s.")
        % {"first": DEMO_YEARS[0], "last": DEMO_YEARS[-1], "state": state}
    )


class WorktimeConfig(AppConfig):
    name = "lienthong.worktime"
    label = "worktime"
    verbose_name = "Lịch làm việc"

    def ready(self) -> None:
        register_demo_loader("worktime", 20, load_demo_calendar)
