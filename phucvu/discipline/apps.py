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
        self.register_cases()
        self.register_commitments()
        self.register_emulation()

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
                                  "discipline:signal_list", "eye", order=30)),
            (Role.UNIT_LEADER, Duty(_("Dấu hiệu từ dữ liệu hồ sơ cần xem"), "discipline:signal_list", "eye",
                                    order=29)),
            (Role.HR_OFFICER, Duty(_("Vi phạm mới ghi nhận"), "discipline:violation_list", "shield-check",
                                   order=30)),
        ]:
            home.register_duty(role, duty)

    def register_tasks_and_evaluation(self) -> None:
        from phucvu.core import home, nav
        from phucvu.core.home import Duty
        from phucvu.core.nav import NavEntry
        from phucvu.organization.models import Role

        nav.register(NavEntry("discipline:sheet_list", _("Phiếu chấm điểm"), icon="clipboard-check", order=76,
                              area="oversight", description=_("Tự chấm, lãnh đạo chấm điểm tháng, quý")))
        from phucvu.discipline.authority import roles_for

        nav.register(NavEntry("discipline:grades", _("Xếp loại chất lượng"), icon="bar-chart", order=77,
                              area="oversight", roles=roles_for("ranking_read"),
                              description=_("Phân bố xếp loại theo đơn vị, chỉ tiêu xuất sắc")))
        from phucvu.discipline.task_reminders import task_items
        from phucvu.notifications import digest

        nav.register(NavEntry("discipline:task_mine", _("Nhiệm vụ"), icon="list-task", order=74, area="oversight",
                              description=_("Nhiệm vụ được giao, tiến độ và theo dõi của lãnh đạo")))
        home.register_duty(Role.UNIT_LEADER, Duty(_("Giao nhiệm vụ và theo dõi nhiệm vụ trễ hạn"),
                                                  "discipline:task_overview", "list-task", order=30))
        for role in (Role.DESK_CLERK, Role.SPECIALIST, Role.INSPECTOR, Role.HR_OFFICER):
            home.register_duty(role, Duty(_("Nhiệm vụ của tôi"), "discipline:task_mine", "list-task", order=59))
        digest.register(task_items)
        home.register_duty(Role.UNIT_LEADER, Duty(_("Chấm phiếu điểm của cán bộ trong đơn vị"),
                                                  "discipline:sheet_list", "clipboard-check", order=31))
        home.register_duty(Role.HR_OFFICER, Duty(_("Xếp loại chất lượng cán bộ theo đơn vị"),
                                                 "discipline:grades", "bar-chart", order=31))
        for role in (Role.DESK_CLERK, Role.SPECIALIST):
            home.register_duty(role, Duty(_("Tự chấm phiếu điểm tháng này"), "discipline:sheet_list",
                                          "clipboard-check", order=60))

    def register_cases(self) -> None:
        from phucvu.core import home, nav
        from phucvu.core.home import Duty
        from phucvu.core.nav import NavEntry
        from phucvu.discipline.services.cases import staff_change_check
        from phucvu.organization.models import Role
        from phucvu.organization.services import register_staff_change_check

        register_staff_change_check(staff_change_check)

        nav.register(NavEntry("discipline:case_list", _("Vụ việc kỷ luật"), icon="folder2-open", order=78,
                              area="oversight", roles=frozenset({"unit_leader", "hr_officer", "system_admin"}),
                              description=_("Thời hiệu, thời hạn và các bước xử lý kỷ luật")))
        home.register_duty(Role.HR_OFFICER, Duty(_("Vụ việc kỷ luật: thời hạn xử lý và bước tiếp theo"),
                                                 "discipline:case_list", "folder2-open", order=32))

    def register_commitments(self) -> None:
        from phucvu.core import home, nav
        from phucvu.core.home import Duty
        from phucvu.core.nav import NavEntry
        from phucvu.organization.models import Role

        nav.register(NavEntry("discipline:commitment_list", _("Bản cam kết"), icon="file-earmark-check", order=74,
                              area="oversight", description=_("Bản cam kết năm, các phiên bản, ai chưa ký")))
        home.register_duty(Role.HR_OFFICER, Duty(_("Bản cam kết: ai chưa ký phiên bản hiện hành"),
                                                 "discipline:commitment_list", "file-earmark-check", order=29))
        for role in (Role.DESK_CLERK, Role.SPECIALIST):
            home.register_duty(role, Duty(_("Ký bản cam kết năm"), "discipline:commitment_list",
                                          "file-earmark-check", order=61))

    def register_imports(self) -> None:
        from phucvu.core import importing
        from phucvu.discipline.importers.evaluation import import_evaluation_scores
        from phucvu.discipline.importers.sanctions import import_sanctions
        from phucvu.discipline.importers.staff import import_staff

        importing.register("staff", import_staff)
        importing.register("evaluation-scores", import_evaluation_scores)
        importing.register("sanctions", import_sanctions)

    def register_emulation(self) -> None:
        from phucvu.core import home, nav
        from phucvu.core.home import Duty
        from phucvu.core.nav import NavEntry
        from phucvu.organization.models import Role

        nav.register(NavEntry("discipline:campaign_list", _("Thi đua, khen thưởng"), icon="award", order=79,
                              area="oversight", description=_("Phong trào, hội thi, khen thưởng, tài liệu phát hành")))
        home.register_duty(Role.HR_OFFICER, Duty(_("Phong trào thi đua và khen thưởng"), "discipline:campaign_list",
                                                 "award", order=33))
