from django.apps import AppConfig


class WagtailSmoConfig(AppConfig):
    """App configuration: connects signals and registers system checks on start-up."""

    name = "wagtail_smo"
    label = "wagtail_smo"
    verbose_name = "Social Media Optimization"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
        from .providers.base import install_log_filters

        install_log_filters()  # channel secrets never reach the log records of these loggers
        from .signal_handlers import register_signal_handlers, start_chain_in_worker

        register_signal_handlers()
        start_chain_in_worker()  # a task worker starts the self-healing delivery chain
        self.extend_pages()

    @staticmethod
    def extend_pages() -> None:
        """Plug the API field and the preview mode into the page mixin (models import neither)."""
        from .api.fields import SocialMetaAPIField
        from .editor.preview import SOCIAL_PREVIEW_LABEL, SOCIAL_PREVIEW_MODE, render_social_cards
        from .models.mixin import page_extensions

        page_extensions.add_api_serializer("social_meta", SocialMetaAPIField())
        page_extensions.add_preview_mode(
            SOCIAL_PREVIEW_MODE, SOCIAL_PREVIEW_LABEL, render_social_cards
        )
