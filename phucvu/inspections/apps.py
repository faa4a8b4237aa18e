from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "phucvu.inspections"
    verbose_name = _("Thanh tra, kiểm tra")

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from phucvu.core.nav import NavEntry, register

        register(NavEntry("inspections:inspection_list", _("Thanh tra, kiểm tra"), icon="search", order=70,
                          description=_("Các cuộc thanh tra, kiểm tra: đơn vị tiến hành, đối tượng, kết luận")))
