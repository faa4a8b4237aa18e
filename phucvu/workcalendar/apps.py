from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from phucvu.core import importing, nav
from phucvu.core.nav import NavEntry


class WorkcalendarConfig(AppConfig):
    name = "phucvu.workcalendar"
    verbose_name = _("Lịch làm việc")

    def ready(self) -> None:
        from phucvu.workcalendar.importers import import_calendar

        nav.register(NavEntry("workcalendar:year", _("Lịch làm việc"), icon="calendar3", order=80,
                              area="organization",
                              description=_("Ngày lễ, nghỉ bù, làm bù và giờ làm việc dùng để tính hạn giải quyết")))
        importing.register("calendar", import_calendar)
