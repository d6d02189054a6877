from django.apps import AppConfig


class WorktimeConfig(AppConfig):
    name = "lienthong.worktime"
    label = "worktime"
    verbose_name = "Lịch làm việc"
