"""Lengths and sizes that social networks respect, shared by the checks, counters and previews.

Per-network limits of the social title, description and image alt text, and each network's image
needs (card size, aspect, formats, file size), are declared by each network (``Network.limits``
and ``Network.images`` in the registry, ``wagtail_smo.core.networks``); the functions here read
them, so a site's own network gets its own audit findings and counters.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..core.networks import Network, all_networks

#: Descriptions shorter than this look empty on a card.
DESCRIPTION_MIN = 50
#: File types every crawler accepts (LinkedIn rejects WebP, nobody takes SVG): the resolver leaves
#: any other rendition out of the tags, and the audit says why.
CRAWLER_EXTENSIONS = frozenset({"jpg", "jpeg", "png", "gif"})
#: The fields networks declare limits for (``FieldLimits``).
FIELDS = ("title", "description", "alt")
#: How far (relative) an image's width/height may be from a declared aspect before the network
#: crops it visibly: 1.91:1 fits X's 2:1 card (5 %), 16:9 does not fit 1.91:1 (7 %).
ASPECT_TOLERANCE = 0.06


def networks_in_play(channel_networks: Iterable[str] = ()) -> list[Network]:
    """The networks whose needs an audit checks, in registry order: those the "Social cards"
    preview shows (a declared card) and ``channel_networks`` (keys of a site's enabled channels)."""
    keys = set(channel_networks)
    return [network for network in all_networks() if network.card or network.key in keys]


def field_limits(field: str, networks: Iterable[Network] | None = None
                 ) -> list[tuple[int, list[Network]]]:
    """``(limit, networks)`` pairs for ``field`` ("title", "description", "alt"), shortest first;
    networks in registry order. ``networks`` narrows the networks read (default: all declared)."""
    groups: dict[int, list[Network]] = {}
    for network in all_networks() if networks is None else networks:
        limit = getattr(network.limits, field)
        if limit:
            groups.setdefault(limit, []).append(network)
    return sorted(groups.items())


def shortest(field: str) -> int | None:
    """The shortest declared limit of ``field`` (None when no network declares one)."""
    limits = field_limits(field)
    return limits[0][0] if limits else None


def longest(field: str) -> int | None:
    """The longest declared limit of ``field`` (None when no network declares one)."""
    limits = field_limits(field)
    return limits[-1][0] if limits else None


def format_of(extension: str) -> str:
    """The image format named by a file extension ("jpg" -> "jpeg"), as ``ImageNeeds.formats``."""
    extension = extension.lower()
    return "jpeg" if extension in ("jpg", "jpe") else extension
