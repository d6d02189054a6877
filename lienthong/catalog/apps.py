from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "lienthong.catalog"
    label = "catalog"
    verbose_name = "Thủ tục hành chính"

    def ready(self) -> None:
        from lienthong.core.demo import register_demo_loader

        from .demo_data import has_procedures, load_demo_catalog

        # After the directory (10: the implementing agencies and their units) and the calendar (20).
        register_demo_loader("catalog", 30, load_demo_catalog, has_data=has_procedures)
