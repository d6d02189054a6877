from django.apps import AppConfig


class SigningConfig(AppConfig):
    name = "lienthong.signing"
    label = "signing"
    verbose_name = "Ký số"

    def ready(self) -> None:
        from lienthong.core.demo import register_demo_loader

        from .demo import has_demo_keys, load_demo_keys

        # After the directory (10): the demo leaders, clerks and their agencies must exist.
        register_demo_loader("signing", 15, load_demo_keys, has_data=has_demo_keys)
