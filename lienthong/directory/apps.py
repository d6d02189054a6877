from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "lienthong.directory"
    label = "directory"
    verbose_name = "Danh bạ cơ quan, cán bộ"
