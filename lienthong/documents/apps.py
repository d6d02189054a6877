from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "lienthong.documents"
    label = "documents"
    verbose_name = "Văn bản điều hành"

    def ready(self) -> None:
        from lienthong.core.demo import register_demo_loader

        from .demo import has_documents, load_demo_documents

        # After the directory (10), the signing keys (15), the calendar (20) and the one-stop desk (40).
        register_demo_loader("documents", 50, load_demo_documents, has_data=has_documents)
