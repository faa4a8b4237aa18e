from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "phucvu.portal"
    verbose_name = _("Cổng công dân")

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from phucvu.core import landing
        from phucvu.core.nav import NavEntry, register

        register(NavEntry("portal:inbox", _("Phản ánh, kiến nghị"), icon="chat-left-text", order=60,
                          description=_("Phản ánh, kiến nghị của người dân theo hạn trả lời; trả lời và công khai")))
        landing.register(_citizen_section)


def _citizen_section(request):
    from phucvu.core.landing import render_section

    # Shown first on the public page: what a citizen came to do.
    return 5, render_section("portal/_landing.html", {}, request)
