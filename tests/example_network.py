"""A network wagtail-smo does not ship, declared outside the package as a site would: the
registry gives it counting, its template, a preview card and audit limits from this module alone.

Its rules are deliberately unusual (UTF-16 units, every URL 23, 42 at most, 30 with an image; a
square card cutting titles after 12; a square PNG card image of 1080×1080 and 100 kB at most;
alt text of 30 characters) so that a test can tell them from every built-in network's.
"""

from __future__ import annotations

from typing import ClassVar

from wagtail_smo.core.networks import (
    CardStyle,
    CountingRule,
    Features,
    FieldLimits,
    ImageNeeds,
    Network,
    ShareLink,
)
from wagtail_smo.providers.base import BaseProvider, OutgoingPost, SendResult

NETWORK = Network(
    "example", "Example Net",
    counting=CountingRule("utf16", 42, short_urls=True, image_limit=30),
    template="EXAMPLE: {title} → {link}",
    card=CardStyle(title_max=12, description_max=20, aspect="1:1", site_label="site_name"),
    limits=FieldLimits(title=12, description=20, alt=30),
    # A square card of at least 1080×1080, PNG only, at most 100 kB: no built-in network asks
    # for any of these, so each audit finding it causes names Example Net alone.
    images=ImageNeeds(sizes=(("card", 1080, 1080),), aspect="1:1", formats=("png",),
                      max_bytes=100 * 1024),
    features=Features(images=True, link_cards=True),
    # Its share button: a site's network gets one from this line alone.
    share=ShareLink("https://share.example.net/post?u={url}&t={title}&pic={image}&note=via {via}"),
)


class ExampleProvider(BaseProvider):
    """Keeps what it "sent" in ``outbox`` (a fake network is not needed for what is tested)."""

    declares = NETWORK
    supports_images = True
    outbox: ClassVar[list[dict]] = []

    def build_payload(self, message: OutgoingPost) -> dict:
        """The text and link."""
        return {"text": message.text, "link": message.link}

    def upload_media(self, message: OutgoingPost, payload: dict) -> None:
        """Keep the image's size."""
        payload["image"] = len(message.image or b"")

    def create_post(self, payload: dict, idempotency_key: str) -> dict:
        """Record the post."""
        self.outbox.append({**payload, "key": idempotency_key})
        return {"id": str(len(self.outbox))}

    def parse_result(self, response: dict) -> SendResult:
        """The outbox index as remote id."""
        return SendResult(remote_id=response["id"])


#: A network declared without a counting rule: `manage.py check` must refuse it.
INCOMPLETE = Network("half-done", "Half done", template="{title} {link}")


class IncompleteProvider(ExampleProvider):
    """A provider whose network declaration lacks its counting rule."""

    declares = INCOMPLETE


#: A network with no link card (the "Social cards" preview does not show it): its image needs are
#: in play only on a site that enables a channel of it.
POSTER = Network(
    "poster", "Poster Net",
    counting=CountingRule("codepoints", 1000),
    template="{title} {link}",
    images=ImageNeeds(sizes=(("card", 2400, 1260),), formats=("jpeg", "png")),
    features=Features(images=True),
)


class PosterProvider(ExampleProvider):
    """A provider for the card-less network."""

    declares = POSTER
