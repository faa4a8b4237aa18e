from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "phucvu.demo"
    verbose_name = "Dữ liệu trình diễn"
