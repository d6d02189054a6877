from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "lienthong.documents"
    label = "documents"
    verbose_name = "Văn bản điều hành"
