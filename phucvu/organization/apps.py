from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationConfig(AppConfig):
    name = "phucvu.organization"
    verbose_name = _("Tổ chức, cán bộ")

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from phucvu.core.nav import NavEntry, register

        register(NavEntry("organization:agency_list", _("Cơ quan, đơn vị"), icon="diagram-3", order=90,
                          description=_("Cây tổ chức: tỉnh, sở, huyện, xã và bộ phận một cửa")))
        register(NavEntry("organization:staff_list", _("Cán bộ"), icon="people", order=91,
                          roles=frozenset({"unit_leader", "inspector", "hr_officer", "system_admin"}),
                          description=_("Danh sách cán bộ, công chức, viên chức trong phạm vi quản lý")))
        from phucvu.core.home import register as register_home

        register_home(home_section)


def home_section(request, staff):
    """The organization's panel on the home page: the user's scope in numbers."""
    from django.template.loader import render_to_string

    from phucvu.organization.selectors import scope_overview

    if staff is None and not request.user.is_superuser:
        return None
    return 90, render_to_string("organization/_home_scope.html", {"overview": scope_overview(request.user)},
                                request=request)
