"""Providers deliver posts to networks. A *channel* is one alias of ``WAGTAIL_SMO["PROVIDERS"]``.

``get_provider(alias)`` builds the configured provider; ``channel_network(alias)`` names the network
a channel posts to (used to count length and pick templates) without needing its credentials. What
a network is (its counting rule, template, card) lives in ``wagtail_smo.core.networks``.
"""

from __future__ import annotations

from django.utils.module_loading import import_string

from ..conf import smo_settings
from ..core.networks import channel_config, network_key_of
from ..exceptions import ImproperlyConfiguredChannel
from .base import BaseProvider

__all__ = ["channel_aliases", "channel_config", "channel_network", "get_provider",
           "provider_class"]


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
    """The key of the network a channel posts to ("mastodon", "x", ...).

    Console, in-memory and webhook channels may imitate a network with ``OPTIONS["NETWORK"]``.
    """
    return network_key_of(channel_config(alias))


def channel_aliases() -> list[str]:
    """Every configured channel alias, in settings order."""
    return list(smo_settings.PROVIDERS)
