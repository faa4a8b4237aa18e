from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "phucvu.demo"
    verbose_name = _("Dữ liệu trình diễn")

    def ready(self) -> None:
        from phucvu.core import landing
        from phucvu.demo.landing import seed_section

        landing.register(seed_section)
