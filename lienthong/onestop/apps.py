from django.apps import AppConfig


class OnestopConfig(AppConfig):
    name = "lienthong.onestop"
    label = "onestop"
    verbose_name = "Một cửa điện tử"

    def ready(self) -> None:
        from lienthong.core.demo import register_demo_loader

        from .demo import has_dossiers, load_demo_dossiers

        # After the directory (10), the calendar (20) and the catalogue with its internal processes (30).
        register_demo_loader("onestop", 40, load_demo_dossiers, has_data=has_dossiers)
