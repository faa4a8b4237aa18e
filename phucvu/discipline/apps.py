from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisciplineConfig(AppConfig):
    name = "phucvu.discipline"
    verbose_name = _("Kỷ luật, kỷ cương")

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from phucvu.core.nav import NavEntry, register

        register(NavEntry("discipline:violation_list", _("Kỷ luật, kỷ cương"), icon="shield-check", order=75,
                          roles=frozenset({"unit_leader", "inspector", "hr_officer", "system_admin"}),
                          description=_("Vi phạm đã ghi nhận và quyết định kỷ luật")))
