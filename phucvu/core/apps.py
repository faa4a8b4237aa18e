from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "phucvu.core"
    verbose_name = "Lõi hệ thống"
