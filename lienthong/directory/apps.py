from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "lienthong.directory"
    label = "directory"
    verbose_name = "Danh bạ cơ quan, cán bộ"

    def ready(self) -> None:
        from lienthong.core.demo import register_demo_loader

        from .demo_data import demo_accounts, has_agencies, load_demo_directory

        register_demo_loader(
            "directory", 10, load_demo_directory, accounts=demo_accounts, has_data=has_agencies
        )
