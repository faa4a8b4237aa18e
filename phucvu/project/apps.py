from django.apps import AppConfig


class ProjectConfig(AppConfig):
    """The project's wiring above every app (like `phucvu.urls` and `phucvu.api`): commands that need them all."""

    name = "phucvu.project"
    verbose_name = "Phục Vụ"  # no models: never shown
