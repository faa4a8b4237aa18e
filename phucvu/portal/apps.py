from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "phucvu.portal"
    verbose_name = "Cổng công dân"
