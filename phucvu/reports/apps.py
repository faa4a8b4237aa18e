from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "phucvu.reports"
    verbose_name = _("Báo cáo, thống kê")

    def ready(self) -> None:
        from phucvu.core import landing
        from phucvu.core.nav import NavEntry, register
        from phucvu.dossiers import facts
        from phucvu.reports.rollups import rollup_apply

        # Rollups are written in the same transaction as every dossier change: reports are exact on commit.
        facts.register(rollup_apply)
        register(NavEntry("reports:dashboard", _("Điều hành"), icon="speedometer2", order=60,
                          description=_("Số liệu giải quyết hồ sơ theo cấp, đơn vị, tháng")))
        register(NavEntry("reports:form06", _("Báo cáo mẫu 06"), icon="table", order=61,
                          description=_("Tình hình, kết quả giải quyết TTHC (Thông tư 01/2020)")))
        register(NavEntry("reports:index766", _("Chỉ số 766"), icon="award", order=62,
                          description=_("Bộ chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766)")))
        landing.register(_public_section)


def _public_section(request):
    from phucvu.core.landing import render_section

    return 50, render_section("reports/_landing.html", {}, request)
