from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from phucvu.core import home, importing, nav
from phucvu.core.home import Duty
from phucvu.core.nav import NavEntry


class DossiersConfig(AppConfig):
    name = "phucvu.dossiers"
    verbose_name = _("Hồ sơ một cửa")

    def ready(self) -> None:
        from phucvu.dossiers.importers import import_dossiers
        from phucvu.organization.models import Role

        nav.register(NavEntry("dossiers:intake", _("Tiếp nhận hồ sơ"), icon="inbox", order=10, area="one_stop",
                              roles=frozenset({"desk_clerk", "system_admin"}),
                              description=_("Nhận hồ sơ tại quầy hoặc qua bưu chính, in giấy hẹn trả")))
        nav.register(NavEntry("dossiers:queue", _("Hồ sơ cần xử lý"), icon="list-check", order=20, area="one_stop",
                              description=_("Việc của tôi theo hạn: sắp đến hạn, quá hạn, lọc và tìm kiếm")))
        nav.register(NavEntry("dossiers:register", _("Sổ theo dõi hồ sơ"), icon="journal-bookmark", order=30,
                              area="one_stop", roles=frozenset({"desk_clerk", "unit_leader", "inspector", "system_admin"}),
                              description=_("Sổ theo dõi theo kỳ và đơn vị, in PDF (Mẫu 06)")))
        nav.register(NavEntry("dossiers:access_log", _("Nhật ký truy cập dữ liệu cá nhân"), icon="eye", order=90,
                              area="oversight", roles=frozenset({"inspector", "hr_officer", "system_admin"}),
                              description=_("Ai đã xem, in, xuất hay tải dữ liệu cá nhân của hồ sơ nào, lúc nào")))
        for role, duty in [
            (Role.DESK_CLERK, Duty(_("Xem hồ sơ đến hẹn trả hôm nay và báo người dân nhận kết quả"),
                                   "dossiers:queue", "calendar-check", "status=resolved", order=10)),
            (Role.DESK_CLERK, Duty(_("Tiếp nhận hồ sơ mới, in phiếu hẹn trả"), "dossiers:intake", "inbox", order=11)),
            (Role.DESK_CLERK, Duty(_("Kiểm tra hồ sơ nộp trực tuyến chờ tiếp nhận"), "dossiers:queue",
                                   "cloud-arrow-down", "status=submitted&scope=all", order=12)),
            (Role.SPECIALIST, Duty(_("Hồ sơ sắp đến hạn bước xử lý: làm trước"), "dossiers:queue", "hourglass-split",
                                   order=10)),
            (Role.SPECIALIST, Duty(_("Hồ sơ quá hạn: xử lý và lập phiếu xin lỗi, hẹn lại nếu cần"), "dossiers:queue",
                                   "exclamation-triangle", "scope=all", order=11)),
            (Role.UNIT_LEADER, Duty(_("Hồ sơ chờ ký duyệt"), "dossiers:queue", "pen", order=10)),
        ]:
            home.register_duty(role, duty)
        importing.register("dossiers", import_dossiers)
