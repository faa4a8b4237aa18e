from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from phucvu.core import home, landing, nav
from phucvu.core.home import Duty
from phucvu.core.nav import NavEntry


class ReportsConfig(AppConfig):
    name = "phucvu.reports"
    verbose_name = _("Báo cáo, thống kê")

    def ready(self) -> None:
        from phucvu.dossiers import facts
        from phucvu.organization.models import Role
        from phucvu.reports.rollups import rollup_apply
        from phucvu.reports.views import landing_section

        # Rollups are written in the same transaction as every dossier change: reports are exact on commit.
        facts.register(rollup_apply)
        nav.register(NavEntry("reports:dashboard", _("Điều hành"), icon="speedometer2", order=60, area="reports",
                              description=_("Số liệu giải quyết hồ sơ theo cấp, đơn vị, tháng")))
        nav.register(NavEntry("reports:form06", _("Báo cáo mẫu 06"), icon="table", order=61, area="reports",
                              description=_("Tình hình, kết quả giải quyết TTHC (Thông tư 01/2020)")))
        nav.register(NavEntry("reports:index766", _("Chỉ số 766"), icon="award", order=62, area="reports",
                              description=_("Bộ chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766)")))
        home.register_duty(Role.UNIT_LEADER, Duty(_("Tỷ lệ đúng hạn và hồ sơ quá hạn của đơn vị"),
                                                  "reports:dashboard", "speedometer2", order=20))
        landing.register(landing_section)
