from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from phucvu.core import home, nav
from phucvu.core.home import Duty
from phucvu.core.nav import NavEntry


class DisciplineConfig(AppConfig):
    name = "phucvu.discipline"
    verbose_name = _("Kỷ luật, kỷ cương")

    def ready(self) -> None:
        from phucvu.organization.models import Role

        nav.register(NavEntry("discipline:violation_list", _("Kỷ luật, kỷ cương"), icon="shield-check", order=75,
                              area="oversight",
                              roles=frozenset({"unit_leader", "inspector", "hr_officer", "system_admin"}),
                              description=_("Vi phạm đã ghi nhận và quyết định kỷ luật")))
        for role, duty in [
            (Role.UNIT_LEADER, Duty(_("Giao nhiệm vụ và theo dõi nhiệm vụ trễ hạn"), "discipline:violation_list",
                                    "list-task", order=30)),
            (Role.INSPECTOR, Duty(_("Dấu hiệu nhũng nhiễu: yêu cầu bổ sung lặp lại, trễ hạn không xin lỗi"),
                                  "discipline:violation_list", "eye", order=30)),
            (Role.HR_OFFICER, Duty(_("Cam kết chưa ký và vi phạm mới ghi nhận"), "discipline:violation_list",
                                   "file-earmark-check", order=30)),
        ]:
            home.register_duty(role, duty)
