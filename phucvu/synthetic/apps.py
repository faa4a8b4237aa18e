from django.apps import AppConfig


class SyntheticConfig(AppConfig):
    """Synthetic dossier history (docs/synthetic.md): no models, no pages; `phucvu seed` and the SQL generator."""

    name = "phucvu.synthetic"
