"""Django system checks for the ``WAGTAIL_SMO`` setting."""

from __future__ import annotations

from django.core import checks

from .conf import DEFAULTS
from .providers.checks import check_providers
from .share.checks import check_share_networks, check_site_share_networks


@checks.register()
def check_settings_keys(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Report unknown keys in ``WAGTAIL_SMO`` (a typo would otherwise be silently ignored)."""
    from django.conf import settings

    errors = []
    for key in getattr(settings, "WAGTAIL_SMO", {}) or {}:
        if key not in DEFAULTS:
            errors.append(
                checks.Error(
                    f"WAGTAIL_SMO has an unknown key {key!r}.",
                    hint=f"Known keys: {', '.join(sorted(DEFAULTS))}.",
                    id="wagtail_smo.E001",
                )
            )
    return errors


# Unknown share-button network names (wagtail_smo.E020/E021, W022 per site).
checks.register(check_share_networks)
checks.register(check_site_share_networks, checks.Tags.database)

# Channels in WAGTAIL_SMO["PROVIDERS"]: bad path, missing credentials, unknown option (E1xx).
checks.register(check_providers)

# Feed settings: unknown keys, page types that are not page models, a bad limit (E030-E032).
from .feeds.checks import check_feed_settings  # noqa: E402

checks.register(check_feed_settings)
