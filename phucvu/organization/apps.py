from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from phucvu.core import home, importing, nav
from phucvu.core.home import Duty
from phucvu.core.nav import NavEntry


class OrganizationConfig(AppConfig):
    name = "phucvu.organization"
    verbose_name = _("Tổ chức, cán bộ")

    def ready(self) -> None:
        from phucvu.organization.importers import import_agencies
        from phucvu.organization.models import Role
        from phucvu.organization.views import home_scope_section

        nav.register(NavEntry("organization:agency_list", _("Cơ quan, đơn vị"), icon="diagram-3", order=90,
                              area="organization",
                              description=_("Cây tổ chức: tỉnh, sở, huyện, xã và bộ phận một cửa")))
        nav.register(NavEntry("organization:staff_list", _("Cán bộ"), icon="people", order=91, area="organization",
                              roles=frozenset({"unit_leader", "inspector", "hr_officer", "system_admin"}),
                              description=_("Danh sách cán bộ, công chức, viên chức trong phạm vi quản lý")))
        for role, duty in [
            (Role.UNIT_LEADER, Duty(_("Cán bộ của đơn vị"), "organization:staff_list", "people", order=40)),
            (Role.INSPECTOR, Duty(_("Đơn vị trong phạm vi thanh tra"), "organization:agency_list", "diagram-3",
                                  order=40)),
            (Role.HR_OFFICER, Duty(_("Danh sách cán bộ theo ngạch CB, CC, VC"), "organization:staff_list", "people",
                                   order=5)),
            (Role.HR_OFFICER, Duty(_("Sáp nhập, chia tách đơn vị: cập nhật cây tổ chức"), "organization:agency_list",
                                   "diagram-3", order=40)),
            (Role.SYSTEM_ADMIN, Duty(_("Cây tổ chức và kế thừa đơn vị"), "admin:organization_agency_changelist",
                                     "diagram-3", order=10)),
            (Role.SYSTEM_ADMIN, Duty(_("Tài khoản cán bộ, vai trò, phạm vi xem"),
                                     "admin:organization_staff_changelist", "people", order=11)),
            (Role.SYSTEM_ADMIN, Duty(_("Đăng nhập thất bại gần đây"), "admin:organization_loginfailure_changelist",
                                     "shield-lock", order=12)),
            (Role.SYSTEM_ADMIN, Duty(_("Khóa API cho hệ thống kết nối"), "admin:organization_apitoken_changelist",
                                     "key", order=13)),
        ]:
            home.register_duty(role, duty)
        home.register(home_scope_section)
        importing.register("agencies", import_agencies)
