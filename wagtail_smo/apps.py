from django.apps import AppConfig


class WagtailSmoConfig(AppConfig):
    """App configuration: connects signals and registers system checks on start-up."""

    name = "wagtail_smo"
    label = "wagtail_smo"
    verbose_name = "Social Media Optimization"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
