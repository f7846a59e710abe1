"""The network registry: everything the project knows about one network, declared once.

A network with a provider is declared by its provider module (a module-level ``NETWORK =
Network(...)`` that the provider class names in ``declares``); networks without a provider (link
previews in Slack or Discord, share targets such as WhatsApp, Reddit, Pinterest or e-mail) are
declared here as share/preview-only networks. Counting, composing, editor previews and counters,
the audit, the share buttons and the channel admin all read this registry.

Why the registry is built here, by dotted path: core must stay below providers (providers import
core for ``Network`` and the text helpers), so core never imports a provider module statically.
The registry is built lazily, on first use, from the explicit tuple ``BUILTIN_PROVIDERS`` plus the
``BACKEND`` of every channel in ``WAGTAIL_SMO["PROVIDERS"]``, each imported with
``import_string`` — so a provider a site defines outside the package gets counting, templates,
previews and audit limits without any change to the package, and nothing is discovered by import
side effects. It is rebuilt when the configured backends change (``override_settings`` in tests).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from ..conf import smo_settings
from ..exceptions import ImproperlyConfiguredChannel
from .share import ShareLink
from .text import COUNTERS, CountingRule, count, limit_of, parse

__all__ = [
    "FALLBACK_TEMPLATE", "FOREVER", "IMAGE_FORMATS", "CardStyle", "CountingRule", "Features",
    "FieldLimits", "ImageNeeds", "Network", "ShareLink", "UnknownNetwork", "all_networks",
    "aspect_ratio", "channel_aliases", "channel_config", "channel_network", "configured_backends",
    "count_length", "counting_rule", "default_template", "get_network", "missing",
    "network_for_channel", "network_limit", "share_choices",
]

#: Providers shipped with the package, in the order previews and choosers list their networks.
BUILTIN_PROVIDERS: tuple[str, ...] = (
    "wagtail_smo.providers.facebook.FacebookProvider",
    "wagtail_smo.providers.x.XProvider",
    "wagtail_smo.providers.linkedin.LinkedInProvider",
    "wagtail_smo.providers.telegram.TelegramProvider",
    "wagtail_smo.providers.mastodon.MastodonProvider",
    "wagtail_smo.providers.bluesky.BlueskyProvider",
    "wagtail_smo.providers.threads.ThreadsProvider",
    "wagtail_smo.providers.vk.VKProvider",
    "wagtail_smo.providers.instagram.InstagramProvider",
    "wagtail_smo.providers.pinterest.PinterestProvider",
    "wagtail_smo.providers.webhook.WebhookProvider",
    "wagtail_smo.providers.console.ConsoleProvider",
    "wagtail_smo.providers.locmem.LocmemProvider",
)

#: The template of networks without a tone of their own (console, webhook, a site's network).
FALLBACK_TEMPLATE = "{title}\n\n{description}\n\n{link}"

#: Aspect ratios a card or image declaration may name ("1.91:1"); None keeps the image's shape.
ASPECTS = ("1.91:1", "2:1", "1:1", "4:5", "2:3")


@dataclass(frozen=True)
class CardStyle:
    """How a network draws a link card, as far as an editor's preview needs to know it."""

    #: Characters of the title shown before the network cuts it.
    title_max: int
    #: Characters of the description shown; None when the card shows no description.
    description_max: int | None
    #: Aspect ratio of the image crop ("1.91:1", "2:1"); None keeps the image's own shape.
    aspect: str | None
    #: What names the site on the card: "domain" (example.org) or "site_name".
    site_label: str = "domain"

    @property
    def aspect_class(self) -> str:
        """CSS class of the crop (preview.css), e.g. ``smo-aspect-1-91``."""
        if not self.aspect:
            return "smo-aspect-natural"
        return "smo-aspect-" + self.aspect.removesuffix(":1").replace(".", "-").replace(":", "-")


@dataclass(frozen=True)
class FieldLimits:
    """What a network shows of the page's social values: the audit warns and the editor's
    counters count against these (None: the network declares no limit for that field)."""

    title: int | None = None
    description: int | None = None
    alt: int | None = None


@dataclass(frozen=True)
class ImageNeeds:
    """What a network wants of an image."""

    #: Recommended sizes per use, e.g. (("card", 1200, 630),).
    sizes: tuple[tuple[str, int, int], ...] = ()
    aspect: str | None = None
    #: True when a post cannot be made without an image (Pinterest, Instagram).
    required: bool = False
    max_bytes: int | None = None
    #: Accepted file formats ("jpeg", "png", "gif", "webp").
    formats: tuple[str, ...] = ("jpeg", "png")

    @property
    def card_size(self) -> tuple[int, int] | None:
        """The (width, height) declared for the link card's image (use "card"), or None.

        The audit measures a page's social image against it: the card is what a shared link
        shows, whereas sizes for other uses (a Telegram photo, a Threads post) are recommendations
        for images posted on their own.
        """
        return next(((w, h) for use, w, h in self.sizes if use == "card"), None)

    @property
    def aspect_ratio(self) -> float | None:
        """``aspect`` as width / height ("1.91:1" -> 1.91), or None when none is declared."""
        return aspect_ratio(self.aspect) if self.aspect else None


#: Image formats a network may accept (``ImageNeeds.formats``).
IMAGE_FORMATS = ("jpeg", "png", "gif", "webp")


def aspect_ratio(aspect: str) -> float:
    """Width / height of an aspect written "W:H" ("1.91:1" -> 1.91); ValueError when invalid."""
    width, sep, height = aspect.partition(":")
    ratio = float(width) / float(height) if sep else math.nan
    if not ratio > 0 or math.isinf(ratio):
        raise ValueError(f"not an aspect ratio: {aspect!r}")
    return ratio


#: ``Features.dedup_window`` of a network that keeps a client-chosen key for good.
FOREVER = math.inf


@dataclass(frozen=True)
class Features:
    """What a network supports."""

    images: bool = False
    alt_text: bool = False
    link_cards: bool = False
    #: How a repeated create is recognised ("Idempotency-Key header", "record key", "guid"), "".
    idempotency: str = ""
    #: Seconds the network remembers that key (Mastodon 3600; ``FOREVER``; 0 for none).
    dedup_window: float = 0
    #: Whether the network reports counts (likes, reposts) of a post back.
    metrics: bool = False


@dataclass(frozen=True)
class Network:
    """One network, as every part of the project sees it."""

    key: str
    label: Any  # str or a lazy translation
    #: How a post is counted and how long it may be (required for a network that posts).
    counting: CountingRule | None = None
    #: Default message template (required for a network that posts).
    template: str = ""
    #: The link card drawn by the editor's "Social cards" preview; None: not previewed.
    card: CardStyle | None = None
    limits: FieldLimits = field(default_factory=FieldLimits)
    images: ImageNeeds | None = None
    features: Features = field(default_factory=Features)
    #: True for networks only shared to or previewed (no provider posts to them).
    share_only: bool = False
    #: The share button's link (``ShareLink("https://…?url={url}&text={title}")``); None: no
    #: share button.
    share: ShareLink | None = None

    def __str__(self) -> str:
        return self.key


class UnknownNetwork(ImproperlyConfiguredChannel, LookupError):
    """A network key that no provider and no core declaration declares."""


def missing(network: Any) -> list[str]:
    """What a network declaration lacks or gets wrong, in words (empty when it is complete)."""
    if not isinstance(network, Network):
        return ["a Network declaration (wagtail_smo.core.networks.Network)"]
    problems = []
    if not network.key:
        problems.append("a key")
    if not str(network.label or ""):
        problems.append("a label")
    if not network.share_only:
        rule = network.counting
        if rule is None:
            problems.append("a counting rule (counting=CountingRule(counter, limit))")
        else:
            if rule.counter not in COUNTERS:
                problems.append(f"a known counter (one of {', '.join(COUNTERS)}), "
                                f"not {rule.counter!r}")
            if not isinstance(rule.limit, int) or rule.limit <= 0:
                problems.append("a positive length limit")
        if not network.template:
            problems.append("a default message template")
        else:
            problems.extend(f"a valid template ({problem})"
                            for problem in parse(network.template)[1])
    problems.extend(_image_problems(network.images))
    if network.share is not None:
        problems.extend(network.share.problems())
    card = network.card
    if card is not None:
        if not card.title_max or card.title_max <= 0:
            problems.append("a positive card title_max")
        if card.aspect is not None and card.aspect not in ASPECTS:
            problems.append(f"a card aspect among {', '.join(ASPECTS)}")
        if card.site_label not in ("domain", "site_name"):
            problems.append("a card site_label of 'domain' or 'site_name'")
    return problems


def _image_problems(images: ImageNeeds | None) -> list[str]:
    """What an image declaration gets wrong, in words (the audit reads every field of it)."""
    if images is None:
        return []
    problems = []
    if images.aspect is not None:
        try:
            aspect_ratio(images.aspect)
        except (ValueError, ZeroDivisionError):
            problems.append(f"an image aspect written as 'W:H', not {images.aspect!r}")
    unknown = [fmt for fmt in images.formats if fmt not in IMAGE_FORMATS]
    if unknown or not images.formats:
        problems.append(f"image formats among {', '.join(IMAGE_FORMATS)}")
    if any(w <= 0 or h <= 0 for _use, w, h in images.sizes):
        problems.append("positive image sizes")
    if images.max_bytes is not None and images.max_bytes <= 0:
        problems.append("a positive image max_bytes")
    return problems


# --- share- and preview-only networks (no provider) ---------------------------------------------

CORE_NETWORKS: tuple[Network, ...] = (
    Network("slack", _("Slack / Discord"), share_only=True,
            card=CardStyle(100, 200, None, "site_name"), limits=FieldLimits(description=200)),
    # A link preview in a chat bubble: a square thumbnail beside the title (two lines, about 65
    # characters), one line of description (about 80) and the domain.
    Network("whatsapp", "WhatsApp", share_only=True,
            card=CardStyle(65, 80, "1:1", "domain"),
            share=ShareLink("https://wa.me/?text={text}")),  # the URL goes inside the text
    Network("reddit", "Reddit", share_only=True,
            share=ShareLink("https://www.reddit.com/submit?url={url}&title={title}")),
    Network("email", _("E-mail"), share_only=True,
            share=ShareLink("mailto:?subject={title}&body={description}\n\n{url}")),
)


# --- the registry -----------------------------------------------------------------------------

def declaration_of(path: str) -> Any:
    """The ``declares`` attribute of the provider class at dotted ``path`` (None if it has none).

    Raises ``ImportError`` when the path cannot be imported.
    """
    return getattr(import_string(path), "declares", None)


#: ``configured_backends()`` as last read from settings (None: read them again). Share buttons,
#: previews and counters ask for it dozens of times per page, so it is kept until
#: ``WAGTAIL_SMO`` changes (``settings_changed``, connected in ``signal_handlers.py``).
_backends: tuple[str, ...] | None = None


def configured_backends() -> tuple[str, ...]:
    """The ``BACKEND`` paths of every configured channel: what the registry is built from (with
    the built-in providers), so also a cache key for what is derived from the registry."""
    global _backends
    if _backends is None:
        providers = smo_settings.PROVIDERS
        if not isinstance(providers, dict):
            providers = {}
        _backends = tuple(
            config["BACKEND"] for config in providers.values()
            if isinstance(config, dict) and isinstance(config.get("BACKEND"), str))
    return _backends


def settings_changed(setting: str = "", **kwargs: Any) -> None:
    """Django's ``setting_changed`` receiver: forget the configured backends when
    ``WAGTAIL_SMO`` changes (``override_settings``), so the registry follows settings."""
    global _backends
    if setting == "WAGTAIL_SMO":
        _backends = None


@lru_cache(maxsize=16)
def _registry(backends: tuple[str, ...]) -> dict[str, Network]:
    networks: dict[str, Network] = {}

    def add(candidates: Iterable[Any]) -> None:
        for network in candidates:
            # The first declaration of a key wins; an incomplete or conflicting one is reported
            # by the system check (providers/checks.py), not here.
            if isinstance(network, Network) and network.key not in networks:
                networks[network.key] = network

    add(declaration_of(path) for path in BUILTIN_PROVIDERS)
    add(CORE_NETWORKS)
    for path in backends:
        try:
            add([declaration_of(path)])
        except ImportError:
            continue  # reported by the system check (wagtail_smo.E102)
    return networks


def all_networks() -> list[Network]:
    """Every declared network: built-in providers', core's, then the site's own providers'."""
    return list(_registry(configured_backends()).values())


#: Share buttons that act on the page itself rather than share to a network, as (key, label): they
#: follow the networks' buttons in every list (``share/networks.py`` gives them their behaviour).
PAGE_ACTIONS: tuple[tuple[str, Any], ...] = (("copy", _("Copy link")), ("native", _("Share…")))


def share_choices() -> list[tuple[str, str]]:
    """``(key, label)`` of every share button: each network that declares a share link, in
    registry order (a site's own networks included), then the page actions."""
    networks = [(network.key, str(network.label)) for network in all_networks() if network.share]
    return networks + [(key, str(label)) for key, label in PAGE_ACTIONS]


def get_network(key: str | Network) -> Network:
    """The declared network ``key`` (a ``Network`` is returned as it is); else UnknownNetwork."""
    if isinstance(key, Network):
        return key
    try:
        return _registry(configured_backends())[key]
    except KeyError:
        known = ", ".join(n.key for n in all_networks() if not n.share_only)
        raise UnknownNetwork(f"Unknown network {key!r}; networks with a provider: {known}.") \
            from None


def channel_config(alias: str) -> dict:
    """The ``{"BACKEND": ..., "OPTIONS": ...}`` dict of a channel, or raise."""
    try:
        return smo_settings.PROVIDERS[alias]
    except KeyError:
        raise ImproperlyConfiguredChannel(
            f"Unknown channel {alias!r}: add it to WAGTAIL_SMO['PROVIDERS']."
        ) from None


def channel_aliases() -> list[str]:
    """Every configured channel alias, in settings order."""
    return list(smo_settings.PROVIDERS)


def channel_network(alias: str) -> str:
    """The key of the network a channel posts to ("mastodon", "x", ...), without credentials.

    Console, in-memory and webhook channels may imitate a network with ``OPTIONS["NETWORK"]``.
    """
    return network_key_of(channel_config(alias))


def network_key_of(config: dict) -> str:
    """The network key a channel configuration posts to: ``OPTIONS["NETWORK"]`` (console,
    in-memory and webhook channels imitate a network with it), else its provider's network."""
    name = (config.get("OPTIONS") or {}).get("NETWORK")
    if name:
        return str(name)
    path = config.get("BACKEND", "")
    try:
        network = declaration_of(path)
    except ImportError as exc:
        raise ImproperlyConfiguredChannel(f"BACKEND {path!r} cannot be imported ({exc}).") \
            from exc
    if not isinstance(network, Network):
        raise ImproperlyConfiguredChannel(f"BACKEND {path!r} declares no network.")
    return network.key


def network_for_channel(alias: str) -> Network:
    """The network channel ``alias`` posts to (counting, template, card), without credentials."""
    return get_network(network_key_of(channel_config(alias)))


# --- what callers ask of a network --------------------------------------------------------------

def channel_label(alias: str) -> str:
    """A channel's name for people: its ``LABEL`` setting, else its network's label (followed
    by the alias when several channels post to that network). The alias of an unknown channel."""
    try:
        config = channel_config(alias)
        if config.get("LABEL"):
            return str(config["LABEL"])
        network = network_for_channel(alias)
    except ImproperlyConfiguredChannel:  # UnknownNetwork too
        return alias
    siblings = [other for other in smo_settings.PROVIDERS if _network_key_or_none(other)
                == network.key]
    return str(network.label) if len(siblings) <= 1 else f"{network.label} ({alias})"


def _network_key_or_none(alias: str) -> str | None:
    try:
        return network_key_of(channel_config(alias))
    except ImproperlyConfiguredChannel:
        return None


def counting_rule(network: str | Network) -> CountingRule:
    """The counting rule ``network`` declares (UnknownNetwork if it has none)."""
    declared = get_network(network)
    if declared.counting is None:
        raise UnknownNetwork(f"Network {declared.key!r} declares no counting rule.")
    return declared.counting


def count_length(text: str, network: str | Network) -> int:
    """Length of ``text`` as ``network`` counts it against its limit."""
    return count(text, counting_rule(network))


def network_limit(network: str | Network, *, options: dict | None = None,
                  with_image: bool = False) -> int:
    """The maximum length of a post; ``options`` are the channel's OPTIONS (MAX_CHARACTERS)."""
    return limit_of(counting_rule(network), max_characters=(options or {}).get("MAX_CHARACTERS"),
                    with_image=with_image)


def default_template(network: str | Network) -> str:
    """The default message template of ``network``."""
    return get_network(network).template
