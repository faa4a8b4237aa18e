from django.apps import AppConfig


class OrganizationConfig(AppConfig):
    name = "phucvu.organization"
    verbose_name = "Tổ chức, cán bộ"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from phucvu.core.nav import NavEntry, register

        register(NavEntry("organization:agency_list", _("Cơ quan, đơn vị"), icon="diagram-3", order=90,
                          description=_("Cây tổ chức: tỉnh, sở, huyện, xã và bộ phận một cửa")))
