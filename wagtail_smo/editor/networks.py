"""How each network draws a link card and what the Social tab's counters count against, both read
from the network registry (``Network.card`` and ``Network.limits``)."""

from __future__ import annotations

from dataclasses import dataclass

from ..audit import limits
from ..core.networks import CardStyle, Network, all_networks


@dataclass(frozen=True)
class NetworkCard:
    """One network's card style, with the network's key and name for the preview template."""

    network: Network
    style: CardStyle

    @property
    def key(self) -> str:
        """The network's key ("x"), used as the card's ``data-network``."""
        return self.network.key

    @property
    def name(self) -> str:
        """The network's label, as the card's heading."""
        return str(self.network.label)

    @property
    def title_max(self) -> int:
        """Characters of the title shown before the network cuts it."""
        return self.style.title_max

    @property
    def description_max(self) -> int | None:
        """Characters of the description shown; None when the card shows none."""
        return self.style.description_max

    @property
    def site_label(self) -> str:
        """What names the site on the card: "domain" or "site_name"."""
        return self.style.site_label

    @property
    def aspect_class(self) -> str:
        """CSS class of the crop (preview.css)."""
        return self.style.aspect_class


def card_styles() -> list[NetworkCard]:
    """The card of every network that declares one, in registry order."""
    return [NetworkCard(network, network.card) for network in all_networks() if network.card]


#: What each counter says about an empty field.
_EMPTY = {
    "title": "Empty: the page's own title is used.",
    "description": "Empty: the intro, the first paragraph or the site default is used.",
    "alt": "Empty: screen readers hear only the image's title.",
}


def counter_limits(kind: str) -> dict:
    """Limits shown by the live counter of one Social tab field ("title", "description", "alt"):
    one entry per declared limit, naming the networks that declare it."""
    entry: dict = {
        "limits": [
            {"max": limit, "label": ", ".join(str(network.label) for network in networks)}
            for limit, networks in limits.field_limits(kind)
        ],
        "empty": _EMPTY[kind],
    }
    if kind == "description":
        entry = {"min": limits.DESCRIPTION_MIN, **entry}
    return entry
