from django.apps import AppConfig


class DisciplineConfig(AppConfig):
    name = "phucvu.discipline"
    verbose_name = "Kỷ luật, kỷ cương"
