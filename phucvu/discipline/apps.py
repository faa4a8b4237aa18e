from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisciplineConfig(AppConfig):
    name = "phucvu.discipline"
    verbose_name = _("Kỷ luật, kỷ cương")

    def ready(self) -> None:
        # Each part of the app registers its menu entries and home duties in its own method, so that the
        # parts' owners edit separate blocks (docs/discipline.md).
        self.register_breaches()
        self.register_tasks_and_evaluation()
        self.register_imports()

    def register_breaches(self) -> None:
        from phucvu.core import home, nav
        from phucvu.core.home import Duty
        from phucvu.core.nav import NavEntry
        from phucvu.organization.models import Role

        nav.register(NavEntry("discipline:violation_list", _("Kỷ luật, kỷ cương"), icon="shield-check", order=75,
                              area="oversight",
                              roles=frozenset({"unit_leader", "inspector", "hr_officer", "system_admin"}),
                              description=_("Vi phạm đã ghi nhận và quyết định kỷ luật")))
        for role, duty in [
            (Role.INSPECTOR, Duty(_("Dấu hiệu nhũng nhiễu: yêu cầu bổ sung lặp lại, trễ hạn không xin lỗi"),
                                  "discipline:violation_list", "eye", order=30)),
            (Role.HR_OFFICER, Duty(_("Cam kết chưa ký và vi phạm mới ghi nhận"), "discipline:violation_list",
                                   "file-earmark-check", order=30)),
        ]:
            home.register_duty(role, duty)

    def register_tasks_and_evaluation(self) -> None:
        from phucvu.core import home
        from phucvu.core.home import Duty
        from phucvu.organization.models import Role

        home.register_duty(Role.UNIT_LEADER, Duty(_("Giao nhiệm vụ và theo dõi nhiệm vụ trễ hạn"),
                                                  "discipline:violation_list", "list-task", order=30))

    def register_imports(self) -> None:
        from phucvu.core import importing
        from phucvu.discipline.importers.evaluation import import_evaluation_scores
        from phucvu.discipline.importers.sanctions import import_sanctions
        from phucvu.discipline.importers.staff import import_staff

        importing.register("staff", import_staff)
        importing.register("evaluation-scores", import_evaluation_scores)
        importing.register("sanctions", import_sanctions)
