from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from phucvu.core import indicators, landing, nav, panels
from phucvu.core.nav import NavEntry


class PortalConfig(AppConfig):
    name = "phucvu.portal"
    verbose_name = _("Cổng công dân")

    def ready(self) -> None:
        from phucvu.portal.selectors import satisfaction_766
        from phucvu.portal.views import (
            accept_papers_panel,
            dossier_papers_panel,
            landing_section,
            supplement_panel,
        )

        nav.register(NavEntry("portal:inbox", _("Phản ánh, kiến nghị"), icon="chat-left-text", order=60,
                              area="feedback",
                              description=_("Phản ánh, kiến nghị của người dân theo hạn trả lời; trả lời và công khai")))
        nav.register(NavEntry("portal:satisfaction", _("Chỉ số hài lòng"), icon="emoji-smile", order=61,
                              area="feedback",
                              description=_("Chỉ số 9 tiêu chí theo đơn vị, đánh giá theo bộ phận một cửa và công chức")))
        landing.register(landing_section)
        panels.register("dossier", dossier_papers_panel)
        panels.register("dossier_accept", accept_papers_panel)
        panels.register("dossier", supplement_panel)
        indicators.register("satisfaction_766", satisfaction_766)
