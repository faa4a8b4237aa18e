from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "phucvu.notifications"
    verbose_name = "Thông báo"
