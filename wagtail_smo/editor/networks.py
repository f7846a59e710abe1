"""How each network draws a link card: where it cuts the title and description, how it crops."""

from __future__ import annotations

from dataclasses import dataclass

from ..audit import limits


@dataclass(frozen=True)
class CardStyle:
    """The shape of one network's link card, as far as an editor needs to know it."""

    key: str
    name: str
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
        return "smo-aspect-" + self.aspect.removesuffix(":1").replace(".", "-")


CARD_STYLES: tuple[CardStyle, ...] = (
    CardStyle("facebook", "Facebook", limits.TITLE_MAX, 110, "1.91:1"),
    CardStyle("x", "X", limits.X_TITLE_MAX, None, "2:1"),
    CardStyle("linkedin", "LinkedIn", limits.TITLE_MAX, None, "1.91:1"),
    CardStyle("telegram", "Telegram", 100, limits.DESCRIPTION_MAX, "1.91:1", "site_name"),
    CardStyle("mastodon", "Mastodon", limits.X_TITLE_MAX, 150, "1.91:1"),
    CardStyle("bluesky", "Bluesky", limits.X_TITLE_MAX, 150, "1.91:1"),
    CardStyle("slack", "Slack / Discord", 100, limits.DESCRIPTION_MAX, None, "site_name"),
)

#: Limits shown by the live counters of the Social tab, per field.
COUNTER_LIMITS: dict[str, dict] = {
    "title": {
        "limits": [
            {"max": limits.TITLE_MAX, "label": "Facebook, LinkedIn"},
            {"max": limits.X_TITLE_MAX, "label": "X, Mastodon, Bluesky"},
        ],
        "empty": "Empty: the page's own title is used.",
    },
    "description": {
        "min": limits.DESCRIPTION_MIN,
        "limits": [
            {"max": 110, "label": "Facebook"},
            {"max": 150, "label": "Mastodon, Bluesky"},
            {"max": limits.DESCRIPTION_MAX, "label": "X, Telegram, Slack"},
        ],
        "empty": "Empty: the intro, the first paragraph or the site default is used.",
    },
    "alt": {
        "limits": [{"max": limits.ALT_MAX, "label": "X"}],
        "empty": "Empty: screen readers hear only the image's title.",
    },
}
