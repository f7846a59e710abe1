"""System check: every share network named in settings must be a known one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.core import checks

from ..conf import smo_settings
from .networks import NETWORKS, unknown_networks


def check_share_networks(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """Report unknown names in ``WAGTAIL_SMO["SHARE_NETWORKS"]`` at start-up, not on a page."""
    names = smo_settings.SHARE_NETWORKS
    if isinstance(names, str) or not isinstance(names, list | tuple):
        return [
            checks.Error(
                "WAGTAIL_SMO['SHARE_NETWORKS'] must be a list of network names.",
                hint=f"For example {list(NETWORKS)[:3]!r}.",
                id="wagtail_smo.E020",
            )
        ]
    return [
        checks.Error(
            f"WAGTAIL_SMO['SHARE_NETWORKS'] names an unknown share network {name!r}.",
            hint=f"Known networks: {', '.join(NETWORKS)}.",
            id="wagtail_smo.E021",
        )
        for name in unknown_networks(names)
    ]


def check_site_share_networks(
    app_configs: Sequence[AppConfig] | None = None, databases: Sequence[str] | None = None,
    **kwargs: Any,
) -> list[checks.CheckMessage]:
    """With ``check --database``: warn about unknown networks saved in a site's settings."""
    if not databases:
        return []
    from django.db import DatabaseError

    from ..models import SocialMediaSettings

    try:
        saved = list(SocialMediaSettings.objects.select_related("site"))
    except DatabaseError:
        # `migrate` runs database checks before our tables exist: nothing saved, nothing to check.
        return []
    warnings: list[checks.CheckMessage] = []
    for settings in saved:
        names = [block.value for block in settings.share_networks]
        for name in unknown_networks(names):
            warnings.append(
                checks.Warning(
                    f"Site {settings.site} lists an unknown share network {name!r}; "
                    "its button is left out.",
                    hint="Remove it under Settings > Social media > Share buttons.",
                    obj=settings,
                    id="wagtail_smo.W022",
                )
            )
    return warnings
