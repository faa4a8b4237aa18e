from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "phucvu.inspections"
    verbose_name = "Thanh tra, kiểm tra"
