from django.apps import AppConfig


class WorkcalendarConfig(AppConfig):
    name = "phucvu.workcalendar"
    verbose_name = "Lịch làm việc"
