"""Providers deliver posts to networks. A *channel* is one alias of ``WAGTAIL_SMO["PROVIDERS"]``.

``get_provider(alias)`` builds the configured provider. ``channel_aliases()``,
``channel_config(alias)`` and ``channel_network(alias)`` (the network a channel posts to, without
its credentials) are re-exported from ``wagtail_smo.core.networks``, where they live so that
models can read them too; what a network is (its counting rule, template, card) lives there too.
"""

from __future__ import annotations

from django.utils.module_loading import import_string

from ..core.networks import channel_aliases, channel_config, channel_network
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

