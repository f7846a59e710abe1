from django.apps import AppConfig


class MetaBenchConfig(AppConfig):
    name = "benchmarks._meta_app"
    label = "_meta_app"
    default_auto_field = "django.db.models.BigAutoField"
