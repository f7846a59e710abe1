"""Access to the ``WAGTAIL_SMO`` settings dict, with documented defaults.

Every key is documented in ``docs/configuration.md``. Read values through ``smo_settings``::

    from wagtail_smo.conf import smo_settings
    smo_settings.IMAGE_FILTER

Values are read from ``django.conf.settings`` on every access, so ``override_settings`` in tests
works without any cache to reset.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # Channels: {alias: {"BACKEND": "dotted.path.Provider", "OPTIONS": {...}}}. Secrets belong here
    # (read from the environment), never in the database.
    "PROVIDERS": {},
    # Rendition filter used for og:image / twitter:image. Always forces a crawler-safe format.
    "IMAGE_FILTER": "fill-1200x630|format-jpeg|jpegquality-85",
    # Rendition filter of the organisation logo in JSON-LD (publisher.logo).
    "LOGO_FILTER": "max-600x60|format-png",
    # Target length of a description derived from the page body.
    "DESCRIPTION_LENGTH": 200,
    # Words per minute used for the reading-time label (twitter:label2).
    "READING_WORDS_PER_MINUTE": 230,
    # Cache alias and timeout (seconds) of resolved social meta; 0 turns the cache off. A page
    # change invalidates that page, its descendants and translations; image, site, locale and
    # settings changes invalidate everything (see docs/meta.md).
    "META_CACHE": "default",
    "META_CACHE_TIMEOUT": 3600,
    # Networks shown by {% share_buttons %} when the site setting leaves them empty, in order.
    "SHARE_NETWORKS": [
        "x",
        "facebook",
        "linkedin",
        "telegram",
        "whatsapp",
        "bluesky",
        "mastodon",
        "threads",
        "reddit",
        "vk",
        "pinterest",
        "email",
        "copy",
        "native",
    ],
    # Delivery of approved posts through django_tasks (see docs/providers.md, docs/scaling.md).
    "DELIVERY": {
        "TASK_BACKEND": "default",  # alias in TASKS
        "QUEUE": "default",  # queue name on that backend
        "MAX_ATTEMPTS": 5,  # automatic tries per approval (429, 5xx, timeouts) before failing
        "BACKOFF_SECONDS": 30,  # first retry delay; doubled each time, with +-50 % jitter
        "BACKOFF_MAX_SECONDS": 3600,
        "STUCK_AFTER_SECONDS": 600,  # a post "sending" longer than this is reconciled
    },
    # RSS 2.0 / Atom 1.0 / JSON Feed 1.1 per site and per section (see docs/feeds.md).
    "FEEDS": {
        "PAGE_TYPES": [],  # ["app_label.Model", ...]; empty: models whose smo_og_type is "article"
        "LIMIT": 50,  # items per feed (smo_export uses it too, so static files match the site)
        "FULL_CONTENT": False,  # add the rendered body (absolute links and images) to each item
        "UTM": False,  # tag item links with utm_medium=rss through the UTM builder
        "UTM_SOURCE": "feed",
        "CACHE_MAX_AGE": 600,  # Cache-Control max-age of feed responses, in seconds
        "WEBSUB_HUB": "",  # e.g. "https://pubsubhubbub.appspot.com/": hub link + ping on publish
        "PURGE_ON_PUBLISH": True,  # purge feed URLs through wagtail.contrib.frontend_cache
    },
    # UTM tagging of shared links; "{slug}", "{network}" and "{site}" are filled in.
    "UTM": {
        "ENABLED": True,
        "MEDIUM": "social",
        "CAMPAIGN": "{slug}",
        # utm_source per network when it differs from the network's key, e.g. {"x": "twitter"}.
        "SOURCES": {},
    },
}


class SmoSettings:
    """Attribute access to ``settings.WAGTAIL_SMO`` merged over ``DEFAULTS``."""

    def __getattr__(self, name: str) -> Any:
        if name not in DEFAULTS:
            raise AttributeError(f"Unknown WAGTAIL_SMO setting: {name}")
        user = getattr(settings, "WAGTAIL_SMO", {}) or {}
        value = user.get(name, DEFAULTS[name])
        if isinstance(DEFAULTS[name], dict) and isinstance(value, dict) and name != "PROVIDERS":
            return {**DEFAULTS[name], **value}
        return value


smo_settings = SmoSettings()
