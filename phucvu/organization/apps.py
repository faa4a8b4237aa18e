from django.apps import AppConfig


class OrganizationConfig(AppConfig):
    name = "phucvu.organization"
    verbose_name = "Tổ chức, cán bộ"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from phucvu.core.nav import NavEntry, register

        register(NavEntry("organization:agency_list", _("Cơ quan, đơn vị"), icon="diagram-3", order=90,
                          description=_("Cây tổ chức: tỉnh, sở, huyện, xã và bộ phận một cửa")))
        register(NavEntry("organization:staff_list", _("Cán bộ"), icon="people", order=91,
                          roles=frozenset({"unit_leader", "inspector", "hr_officer", "system_admin"}),
                          description=_("Danh sách cán bộ, công chức, viên chức trong phạm vi quản lý")))
