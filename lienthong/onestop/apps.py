from django.apps import AppConfig


class OnestopConfig(AppConfig):
    name = "lienthong.onestop"
    label = "onestop"
    verbose_name = "Một cửa điện tử"
