from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "phucvu.dossiers"
    verbose_name = "Hồ sơ một cửa"
