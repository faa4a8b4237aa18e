from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "phucvu.dossiers"
    verbose_name = _("Hồ sơ một cửa")

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from phucvu.core.nav import NavEntry, register

        register(NavEntry("dossiers:intake", _("Tiếp nhận hồ sơ"), icon="inbox", order=10,
                          roles=frozenset({"desk_clerk", "system_admin"}),
                          description=_("Nhận hồ sơ tại quầy hoặc qua bưu chính, in giấy hẹn trả")))
        register(NavEntry("dossiers:queue", _("Hồ sơ cần xử lý"), icon="list-check", order=20,
                          description=_("Việc của tôi theo hạn: sắp đến hạn, quá hạn, lọc và tìm kiếm")))
        register(NavEntry("dossiers:register", _("Sổ theo dõi hồ sơ"), icon="journal-bookmark", order=30,
                          roles=frozenset({"desk_clerk", "unit_leader", "inspector", "system_admin"}),
                          description=_("Sổ theo dõi theo kỳ và đơn vị, in PDF (Mẫu 06)")))
