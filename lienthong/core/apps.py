from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "lienthong.core"
    label = "core"
    verbose_name = "Lõi dùng chung"
