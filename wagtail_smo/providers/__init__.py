"""Providers deliver posts to networks. A *channel* is one alias of ``WAGTAIL_SMO["PROVIDERS"]``.

``get_provider(alias)`` builds the configured provider; ``channel_network(alias)`` names the network
a channel posts to (used to count length and pick templates) without needing its credentials.
"""

from __future__ import annotations

from django.utils.module_loading import import_string

from ..conf import smo_settings
from ..exceptions import ImproperlyConfiguredChannel
from .base import BaseProvider


def channel_config(alias: str) -> dict:
    """The ``{"BACKEND": ..., "OPTIONS": ...}`` dict of a channel, or raise."""
    try:
        return smo_settings.PROVIDERS[alias]
    except KeyError:
        raise ImproperlyConfiguredChannel(
            f"Unknown channel {alias!r}: add it to WAGTAIL_SMO['PROVIDERS']."
        ) from None


def provider_class(alias: str) -> type[BaseProvider]:
    """The provider class configured for ``alias``."""
    path = channel_config(alias).get("BACKEND", "")
    try:
        return import_string(path)
    except ImportError as exc:
        raise ImproperlyConfiguredChannel(
            f"Channel {alias!r}: BACKEND {path!r} cannot be imported ({exc})."
        ) from exc


def get_provider(alias: str) -> BaseProvider:
    """An instance of the provider of channel ``alias``, configured from its OPTIONS."""
    config = channel_config(alias)
    return provider_class(alias)(alias, dict(config.get("OPTIONS", {})))


def channel_network(alias: str) -> str:
    """The network a channel posts to ("mastodon", "x", ...), as used for length counting.

    Console and in-memory channels may imitate a network with ``OPTIONS["NETWORK"]``.
    """
    options = channel_config(alias).get("OPTIONS", {})
    return options.get("NETWORK") or provider_class(alias).network


def channel_aliases() -> list[str]:
    """Every configured channel alias, in settings order."""
    return list(smo_settings.PROVIDERS)
