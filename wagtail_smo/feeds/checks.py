"""System checks of ``WAGTAIL_SMO["FEEDS"]`` (ids wagtail_smo.E030-E039)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig, apps
from django.core import checks
from wagtail.models import Page

from ..conf import smo_settings


def check_feed_settings(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """Unknown keys and page types that are not page models would break every feed."""
    from ..conf import DEFAULTS

    config = smo_settings.FEEDS
    errors = []
    for key in sorted(set(config) - set(DEFAULTS["FEEDS"])):
        errors.append(checks.Error(
            f'WAGTAIL_SMO["FEEDS"] has an unknown key {key!r}.',
            hint=f"Known keys: {', '.join(sorted(DEFAULTS['FEEDS']))}.", id="wagtail_smo.E030",
        ))
    for name in config.get("PAGE_TYPES") or []:
        try:
            model = apps.get_model(name)
        except (LookupError, ValueError):
            model = None
        if model is None or not issubclass(model, Page):
            errors.append(checks.Error(
                f'WAGTAIL_SMO["FEEDS"]["PAGE_TYPES"] names {name!r}, which is not a page model.',
                hint='Use "app_label.ModelName" of a Wagtail page model.', id="wagtail_smo.E031",
            ))
    limit = config.get("LIMIT")
    if not isinstance(limit, int) or limit < 1:
        errors.append(checks.Error(
            f'WAGTAIL_SMO["FEEDS"]["LIMIT"] must be a positive integer, not {limit!r}.',
            id="wagtail_smo.E032",
        ))
    return errors
