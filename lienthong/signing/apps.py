from django.apps import AppConfig


class SigningConfig(AppConfig):
    name = "lienthong.signing"
    label = "signing"
    verbose_name = "Ký số"
