from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from phucvu.core import importing, nav
from phucvu.core.nav import NavEntry


class CatalogConfig(AppConfig):
    name = "phucvu.catalog"
    verbose_name = _("Danh mục thủ tục")

    def ready(self) -> None:
        from phucvu.catalog.importers import import_procedures
        from phucvu.catalog.selectors import procedure_time
        from phucvu.workcalendar import selectors as calendar_selectors

        nav.register(NavEntry("catalog:procedure_list", _("Thủ tục hành chính"), icon="journal-text", order=40,
                              area="one_stop",
                              description=_("Danh mục thủ tục: thời hạn, thành phần hồ sơ, quy trình, phí")))
        importing.register("procedures", import_procedures)
        # `phucvu deadline --procedure CODE` reads the procedure's legal time from here (a layer above).
        calendar_selectors.provide_procedure_time(procedure_time)
