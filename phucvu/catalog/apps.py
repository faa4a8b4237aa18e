from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "phucvu.catalog"
    verbose_name = _("Danh mục thủ tục")

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from phucvu.core.nav import NavEntry, register

        register(NavEntry("catalog:procedure_list", _("Thủ tục hành chính"), icon="journal-text", order=40,
                          description=_("Danh mục thủ tục: thời hạn, thành phần hồ sơ, quy trình, phí")))
