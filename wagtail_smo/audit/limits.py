"""Lengths and sizes that social networks respect, shared by the checks, counters and previews.

Per-network limits of the social title, description and image alt text are declared by each
network (``Network.limits`` in the registry, ``wagtail_smo.core.networks``); the functions here
read them, so a site's own network gets its own audit findings and counters.
"""

from __future__ import annotations

from ..core.networks import Network, all_networks

#: Descriptions shorter than this look empty on a card.
DESCRIPTION_MIN = 50
#: The size that serves Facebook, LinkedIn and X (1.91:1).
IMAGE_MIN_WIDTH = 1200
IMAGE_MIN_HEIGHT = 630
#: File types every crawler accepts (LinkedIn rejects WebP, nobody takes SVG).
CRAWLER_EXTENSIONS = frozenset({"jpg", "jpeg", "png", "gif"})
#: The fields networks declare limits for (``FieldLimits``).
FIELDS = ("title", "description", "alt")


def field_limits(field: str) -> list[tuple[int, list[Network]]]:
    """``(limit, networks)`` pairs for ``field`` ("title", "description", "alt"), shortest first;
    networks in registry order."""
    groups: dict[int, list[Network]] = {}
    for network in all_networks():
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
