from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "phucvu.notifications"
    verbose_name = _("Thông báo")

    def ready(self) -> None:
        from phucvu.core import panels
        from phucvu.dossiers import hooks
        from phucvu.notifications import sweeps  # noqa: F401  (registers the pre-send checks)
        from phucvu.notifications.events import on_dossier_event
        from phucvu.notifications.views import dossier_panel

        hooks.register(on_dossier_event)
        panels.register("dossier", dossier_panel)
