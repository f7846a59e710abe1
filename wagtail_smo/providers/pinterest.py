"""Pinterest: one ``POST /v5/pins`` with the image's public URL, on the channel's board.

Followed: Pinterest API v5 "Create Pin" (developers.pinterest.com/docs/api/v5/pins-create):
``board_id`` (required), ``board_section_id``, ``title`` (100 characters), ``description``
(500), ``link`` (2,048), ``alt_text`` (500) and ``media_source`` ``{"source_type":
"image_url", "url": ...}`` (Pinterest fetches the image); a bearer token with pins:write and
boards:read. Errors are ``{"code", "message"}`` with the HTTP status (429 when rate limited).

Exactly once: Pinterest takes no idempotency key and drops no repeated pin (dedup window 0): an
answer lost after the one create call is an ``UncertainDelivery``, for a person to settle.
"""

from __future__ import annotations

from ..core.networks import (
    CardStyle,
    CountingRule,
    Features,
    ImageNeeds,
    Network,
    ShareLink,
)
from ..exceptions import PermanentError
from .base import OutgoingPost, SendResult, image_refusal
from .http import HttpProvider

TITLE_MAX, DESCRIPTION_MAX, LINK_MAX, ALT_MAX = 100, 500, 2048, 500

NETWORK = Network(
    "pinterest", "Pinterest",
    # The post's text is the pin's description; the title and link travel as fields of their own.
    counting=CountingRule("codepoints", DESCRIPTION_MAX),
    template="{description}\n\n{hashtags}",
    # A pin shows its image at 2:3 with the title under it (cut at about 40 characters in the
    # grid, 100 on the pin); the description is not on the card.
    card=CardStyle(title_max=TITLE_MAX, description_max=None, aspect="2:3",
                   site_label="domain"),
    # No FieldLimits: the provider cuts the pin's title and alt text to their limits itself, and
    # the description is the post's text, counted by ``counting`` when the post is composed.
    images=ImageNeeds(sizes=(("pin", 1000, 1500),), aspect="2:3", required=True,
                      max_bytes=20_000_000, formats=("jpeg", "png", "gif", "webp")),
    features=Features(images=True, alt_text=True, link_cards=True, dedup_window=0),
    share=ShareLink("https://www.pinterest.com/pin/create/button/"
                    "?url={url}&media={image}&description={summary}"),
)


class PinterestProvider(HttpProvider):
    """OPTIONS: ``ACCESS_TOKEN`` (pins:write, boards:read), ``BOARD_ID``, ``BOARD_SECTION_ID``."""

    declares = NETWORK
    base_url = "https://api.pinterest.com"
    option_names = ("API_URL", "ACCESS_TOKEN", "BOARD_ID", "BOARD_SECTION_ID")
    required_options = ("ACCESS_TOKEN", "BOARD_ID")
    deduplicates = NETWORK.features.dedup_window > 0
    supports_images = True

    def __init__(self, alias: str, options: dict) -> None:
        super().__init__(alias, options)
        self.session.headers["Authorization"] = f"Bearer {options.get('ACCESS_TOKEN', '')}"

    def build_payload(self, message: OutgoingPost) -> dict:
        """The pin: board, title, description, link, alt text and the image's URL."""
        refusal = image_refusal("Pinterest", message)
        if refusal:
            raise self.error(PermanentError, refusal)
        if len(message.link) > LINK_MAX:
            raise self.error(PermanentError, f"Pinterest takes links of at most {LINK_MAX} "
                                             f"characters; this one has {len(message.link)}.")
        payload = {
            "board_id": str(self.options["BOARD_ID"]),
            "title": message.title[:TITLE_MAX],
            "description": message.text[:DESCRIPTION_MAX],
            "media_source": {"source_type": "image_url", "url": message.image_url},
        }
        if self.options.get("BOARD_SECTION_ID"):
            payload["board_section_id"] = str(self.options["BOARD_SECTION_ID"])
        if message.link:
            payload["link"] = message.link
        if message.image_alt:
            payload["alt_text"] = message.image_alt[:ALT_MAX]
        return payload

    def upload_media(self, message: OutgoingPost, payload: dict) -> None:
        """Nothing to upload: Pinterest fetches ``media_source.url`` (set by build_payload)."""

    def create_post(self, payload: dict, idempotency_key: str) -> dict:
        """POST /v5/pins: the one call that publishes."""
        return self.json(self.request("POST", "/v5/pins", json=payload, publishing=True),
                         publishing=True)

    def parse_result(self, response: dict) -> SendResult:
        """The pin's id and its URL."""
        pin = str(self.field(response, "id"))
        return SendResult(remote_id=pin, remote_url=f"https://www.pinterest.com/pin/{pin}/",
                          raw=response)

    def who_am_i(self) -> str:
        """GET /v5/user_account."""
        response = self.request("GET", "/v5/user_account")
        return self.field(self.json(response), "username", publishing=False)
