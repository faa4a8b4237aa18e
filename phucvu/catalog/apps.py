from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "phucvu.catalog"
    verbose_name = "Danh mục thủ tục"
