"""Access to the ``WAGTAIL_SMO`` settings dict, with documented defaults.

Every key is documented in ``docs/configuration.md``. Read values through ``smo_settings``::

    from wagtail_smo.conf import smo_settings
    smo_settings.IMAGE_FILTER

Values are read from ``django.conf.settings`` on every access, so ``override_settings`` in tests
works without any cache to reset. ``RULES`` says what each value must be; the system checks in
``wagtail_smo/checks.py`` hold every setting to it at start-up, so run-time code reads values
as they are, without parsing or defaults of its own.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass
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
        # How often the self-healing task (re-enqueued by itself, no cron) reconciles stuck
        # posts and re-queues lost ones; 0 turns it off (then run smo_deliver_due from cron).
        "HEAL_EVERY_SECONDS": 60,
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
    # Generated social cards (see docs/images.md). The layout, colours, logo and texts are chosen
    # per site in Settings > Social media; these are the project-wide parts.
    "CARDS": {
        "FOLDER": "smo-cards",  # folder of the card files in the default storage
        "LAYOUTS": {},  # a site's own layouts: {"name": "dotted.path.LayoutClass"}
        "FONT": "",  # path of a .ttf/.otf for the card text; "" is the bundled DejaVu Sans
        "BOLD_FONT": "",  # its bold face for titles; "" is the bundled DejaVu Sans Bold
        "FALLBACK_FONTS": [],  # fonts tried, in order, for characters FONT lacks (emoji, CJK)
    },
    # UTM tagging of shared links; "{slug}", "{network}" and "{site}" are filled in.
    "UTM": {
        "ENABLED": True,
        "MEDIUM": "social",
        "CAMPAIGN": "{slug}",
        # utm_source per network when it differs from the network's key, e.g. {"x": "twitter"}.
        "SOURCES": {},
    },
    # First-party click counting (see docs/analytics.md): visits through our tagged links,
    # per page, post, network and day; no cookie, nothing about the visitor stored.
    "CLICKS": {
        "ENABLED": True,
        # Extra user-agent patterns (regular expressions, case-insensitive) of bots to leave out,
        # added to the built-in list (wagtail_smo/analytics/bots.py).
        "BOTS": [],
        # Seconds between two flushes of the buffered counts into the database.
        "FLUSH_INTERVAL": 60,
        # In-process buffer only: flush after this many buffered clicks, even before the interval.
        "FLUSH_HITS": 1000,
        # Cache alias whose INCR buffers the counts (Redis or Memcached: shared by every process,
        # flushed by a task); "" or a per-process cache (local memory, dummy, file, database)
        # buffers them in each web process, which flushes them itself after a response.
        "CACHE": "default",
    },
}


@dataclass(frozen=True)
class Rule:
    """What one setting must be: ``valid(value)``, and ``expected`` in words for the message."""

    valid: Callable[[Any], bool]
    expected: str


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value


def integer(minimum: int) -> Rule:
    """An int (not a bool) of at least ``minimum``."""
    return Rule(lambda v: _is_int(v) and v >= minimum, f"an integer of at least {minimum}")


def number(*, positive: bool) -> Rule:
    """An int or float (not a bool, not NaN): above 0 when ``positive``, else at least 0."""
    if positive:
        return Rule(lambda v: _is_number(v) and v > 0, "a number greater than 0")
    return Rule(lambda v: _is_number(v) and v >= 0, "a number of at least 0")


def text(*, blank: bool = True, placeholders: tuple[str, ...] | None = None) -> Rule:
    """A str; non-blank unless ``blank``; using only ``placeholders`` in {braces} when given."""

    def valid(value: Any) -> bool:
        if not isinstance(value, str) or (not blank and not value.strip()):
            return False
        if placeholders is None:
            return True
        try:
            fields = [name for _lit, name, _spec, _conv in string.Formatter().parse(value)]
        except ValueError:  # an unmatched brace
            return False
        return all(name is None or name in placeholders for name in fields)

    expected = "a string" if blank else "a non-empty string"
    if placeholders is not None:
        expected += " using only " + ", ".join(f"{{{name}}}" for name in placeholders)
    return Rule(valid, expected)


BOOLEAN = Rule(lambda v: isinstance(v, bool), "True or False")
STRING_LIST = Rule(lambda v: isinstance(v, list | tuple) and all(isinstance(i, str) for i in v),
                   "a list of strings")
STRING_MAP = Rule(
    lambda v: isinstance(v, dict) and all(isinstance(k, str) and isinstance(i, str) and i
                                          for k, i in v.items()),
    "a dict of non-empty strings by network, e.g. {'x': 'twitter'}",
)

#: What every setting must be, by path ("DELIVERY.MAX_ATTEMPTS"). A dict-valued default without
#: a rule here is a section: its keys are checked one by one and unknown ones are reported.
RULES: dict[str, Rule] = {
    "IMAGE_FILTER": text(blank=False),  # and a valid rendition filter (checks.py)
    "LOGO_FILTER": text(blank=False),
    "DESCRIPTION_LENGTH": integer(1),
    "READING_WORDS_PER_MINUTE": integer(1),
    "META_CACHE": text(blank=False),  # and an alias in CACHES (checks.py)
    "META_CACHE_TIMEOUT": Rule(lambda v: v is None or (_is_int(v) and v >= 0),
                               "an integer of at least 0, or None (kept until invalidated)"),
    "DELIVERY.TASK_BACKEND": text(blank=False),  # and an alias in TASKS (checks.py)
    "DELIVERY.QUEUE": text(blank=False),  # and a queue of that backend (checks.py)
    "DELIVERY.MAX_ATTEMPTS": integer(1),
    "DELIVERY.BACKOFF_SECONDS": number(positive=False),
    "DELIVERY.BACKOFF_MAX_SECONDS": number(positive=False),
    "DELIVERY.STUCK_AFTER_SECONDS": number(positive=True),
    "DELIVERY.HEAL_EVERY_SECONDS": number(positive=False),
    "FEEDS.PAGE_TYPES": STRING_LIST,  # and page models (checks.py)
    "FEEDS.LIMIT": integer(1),
    "FEEDS.FULL_CONTENT": BOOLEAN,
    "FEEDS.UTM": BOOLEAN,
    "FEEDS.UTM_SOURCE": text(blank=False),
    "FEEDS.CACHE_MAX_AGE": integer(0),
    "FEEDS.WEBSUB_HUB": Rule(lambda v: isinstance(v, str) and (
        v == "" or v.startswith(("http://", "https://"))), "an http(s) URL or an empty string"),
    "FEEDS.PURGE_ON_PUBLISH": BOOLEAN,
    "CARDS.FOLDER": text(blank=False),
    "CARDS.LAYOUTS": Rule(
        lambda v: isinstance(v, dict) and all(isinstance(k, str) and k and isinstance(i, str)
                                              and i for k, i in v.items()),
        "a dict of layout names to dotted paths, e.g. {'mine': 'myapp.cards.MyLayout'}"),
    "CARDS.FONT": text(),  # and a font file (images/checks.py)
    "CARDS.BOLD_FONT": text(),
    "CARDS.FALLBACK_FONTS": STRING_LIST,
    "UTM.ENABLED": BOOLEAN,
    "UTM.MEDIUM": text(blank=False),
    "UTM.CAMPAIGN": text(placeholders=("slug", "network", "site")),
    "UTM.SOURCES": STRING_MAP,
    "CLICKS.ENABLED": BOOLEAN,
    "CLICKS.BOTS": STRING_LIST,  # and valid regular expressions (checks.py)
    "CLICKS.FLUSH_INTERVAL": number(positive=True),
    "CLICKS.FLUSH_HITS": integer(1),
    "CLICKS.CACHE": text(),  # and an alias in CACHES when not blank (checks.py)
}

#: Settings whose own checks say more than a type could: channels (providers/checks.py) and
#: share networks (share/checks.py).
CHECKED_ELSEWHERE = ("PROVIDERS", "SHARE_NETWORKS")

#: Options every channel accepts (providers.base.COMMON_OPTIONS), with their defaults.
PROVIDER_OPTION_RULES: dict[str, tuple[Rule, Any]] = {
    "TIMEOUT": (number(positive=True), 10),
    "MAX_CHARACTERS": (integer(1), None),
    "IGNORE_UNSUPPORTED_FEATURES": (BOOLEAN, False),
    "NETWORK": (text(blank=False), None),
}


def rule_for(path: str) -> Rule | None:
    """The rule of setting ``path``; a setting added to DEFAULTS without one keeps its type."""
    if path in RULES:
        return RULES[path]
    default: Any = DEFAULTS
    for key in path.split("."):
        default = default[key]
    if isinstance(default, dict):
        return None  # a section
    if isinstance(default, bool):
        return BOOLEAN
    if _is_int(default):
        return integer(0)
    if isinstance(default, float):
        return number(positive=False)
    if isinstance(default, str):
        return text()
    return Rule(lambda v: isinstance(v, type(default)), f"a {type(default).__name__}")


class SmoSettings:
    """Attribute access to ``settings.WAGTAIL_SMO`` merged over ``DEFAULTS``."""

    def __getattr__(self, name: str) -> Any:
        if name not in DEFAULTS:
            raise AttributeError(f"Unknown WAGTAIL_SMO setting: {name}")
        user = getattr(settings, "WAGTAIL_SMO", None)
        if not isinstance(user, dict):
            user = {}  # reported by the system check wagtail_smo.E003; the defaults meanwhile
        value = user.get(name, DEFAULTS[name])
        if isinstance(DEFAULTS[name], dict) and isinstance(value, dict) and name != "PROVIDERS":
            return {**DEFAULTS[name], **value}
        return value


smo_settings = SmoSettings()
