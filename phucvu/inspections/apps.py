from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from phucvu.core import home, nav
from phucvu.core.home import Duty
from phucvu.core.nav import NavEntry


class InspectionsConfig(AppConfig):
    name = "phucvu.inspections"
    verbose_name = _("Thanh tra, kiểm tra")

    def ready(self) -> None:
        from phucvu.core import landing
        from phucvu.inspections.reminders import directive_items, recommendation_items
        from phucvu.inspections.views import home_section, landing_section
        from phucvu.notifications import digest
        from phucvu.organization.models import Role

        digest.register(recommendation_items)
        digest.register(directive_items)
        landing.register(landing_section)
        home.register(home_section)

        nav.register(NavEntry("inspections:inspection_list", _("Thanh tra, kiểm tra"), icon="search", order=70,
                              area="oversight",
                              description=_("Các cuộc thanh tra, kiểm tra: đơn vị tiến hành, đối tượng, kết luận")))
        home.register_duty(Role.INSPECTOR, Duty(_("Việc cần xem ngay: kế hoạch đến hạn, kết luận trễ, kiến nghị quá hạn"),
                                                "inspections:watch", "exclamation-triangle", order=9))
        home.register_duty(Role.INSPECTOR, Duty(_("Kế hoạch thanh tra, kiểm tra năm"), "inspections:plans",
                                                "calendar3", order=12))
        home.register_duty(Role.INSPECTOR, Duty(_("Cuộc thanh tra, kiểm tra trong tháng"),
                                                "inspections:inspection_list", "clipboard-check", order=10))
        home.register_duty(Role.INSPECTOR, Duty(_("Kiến nghị sắp đến hạn hoặc quá hạn thực hiện"),
                                                "inspections:recommendations", "flag", order=11))
        home.register_duty(Role.INSPECTOR, Duty(_("Quan hệ gia đình, lợi ích cán bộ đã kê khai"),
                                                "inspections:relations", "people", order=13))
        home.register_duty(Role.HR_OFFICER, Duty(_("Quan hệ gia đình, lợi ích cán bộ đã kê khai"),
                                                 "inspections:relations", "people", order=40))
        home.register_duty(Role.UNIT_LEADER, Duty(_("Kiến nghị sau thanh tra đơn vị phải thực hiện"),
                                                  "inspections:recommendations", "flag", order=60))
