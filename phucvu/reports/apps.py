from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "phucvu.reports"
    verbose_name = _("Báo cáo, thống kê")

    def ready(self) -> None:
        from phucvu.dossiers import facts
        from phucvu.reports.rollups import rollup_apply

        # Rollups are written in the same transaction as every dossier change: reports are exact on commit.
        facts.register(rollup_apply)
