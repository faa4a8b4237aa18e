from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "phucvu.reports"
    verbose_name = "Báo cáo, thống kê"
