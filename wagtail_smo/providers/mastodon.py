"""Mastodon (and compatible servers): POST /api/v1/statuses with an Idempotency-Key."""

from __future__ import annotations

from ..core.networks import (
    CardStyle,
    CountingRule,
    Features,
    FieldLimits,
    ImageNeeds,
    Network,
    ShareLink,
)
from ..core.text import count, limit_of
from ..exceptions import PermanentError
from .base import OutgoingPost, SendResult
from .http import HttpProvider

#: Mastodon's default length; an instance's own is the channel's OPTIONS["MAX_CHARACTERS"].
RULE = CountingRule("graphemes", 500, short_urls=True)
NETWORK = Network(
    "mastodon", "Mastodon",
    counting=RULE,
    template="{title}\n\n{description}\n\n{link}\n\n{hashtags}",
    card=CardStyle(title_max=70, description_max=150, aspect="1.91:1"),
    limits=FieldLimits(description=150),
    images=ImageNeeds(sizes=(("card", 1200, 630),), max_bytes=16_000_000,
                      formats=("jpeg", "png", "gif", "webp")),
    features=Features(images=True, alt_text=True, link_cards=True,
                      idempotency="Idempotency-Key header", dedup_window=3600, metrics=True),
    share=ShareLink("https://share.joinmastodon.org/?text={text}"),
)


class MastodonProvider(HttpProvider):
    """Posts a status as the account of ``ACCESS_TOKEN`` (scope write:statuses, write:media).

    OPTIONS: ``API_URL`` (the instance, e.g. "https://mastodon.social"), ``ACCESS_TOKEN``,
    ``VISIBILITY`` ("public", "unlisted", "private"), ``LANGUAGE`` (ISO 639-1).
    """

    declares = NETWORK
    option_names = ("API_URL", "ACCESS_TOKEN", "VISIBILITY", "LANGUAGE")
    required_options = ("API_URL", "ACCESS_TOKEN")
    deduplicates = NETWORK.features.dedup_window > 0  # Idempotency-Key, kept for an hour
    supports_images = True

    def __init__(self, alias: str, options: dict) -> None:
        super().__init__(alias, options)
        self.session.headers["Authorization"] = f"Bearer {options.get('ACCESS_TOKEN', '')}"

    def build_payload(self, message: OutgoingPost) -> dict:
        """The status, checked against the channel's length limit (``MAX_CHARACTERS``, else
        Mastodon's default 500; the editor's counter and composing use the same limit)."""
        limit = limit_of(RULE, max_characters=self.options.get("MAX_CHARACTERS"))
        length = count(message.text, RULE)  # every URL counts as 23, as on Mastodon
        if length > limit:
            raise self.error(
                PermanentError, f"The text is {length} characters; this channel allows {limit}."
            )
        payload = {"status": message.text, "visibility": self.options.get("VISIBILITY", "public")}
        if self.options.get("LANGUAGE"):
            payload["language"] = self.options["LANGUAGE"]
        return payload

    def upload_media(self, message: OutgoingPost, payload: dict) -> None:
        """POST /api/v2/media with the image and its description."""
        extension = "png" if message.image_mime_type == "image/png" else "jpg"
        response = self.request(
            "POST", "/api/v2/media",
            files={"file": (f"image.{extension}", message.image, message.image_mime_type)},
            data={"description": message.image_alt[:1500]},
        )
        payload["media_ids"] = [str(self.field(self.json(response), "id", publishing=False))]

    def create_post(self, payload: dict, idempotency_key: str) -> dict:
        """POST /api/v1/statuses; the same key within an hour returns the same status."""
        response = self.request(
            "POST", "/api/v1/statuses", json=payload, publishing=True,
            headers={"Idempotency-Key": idempotency_key},
        )
        return self.json(response, publishing=True)

    def parse_result(self, response: dict) -> SendResult:
        """The status id and its public URL."""
        return SendResult(remote_id=str(self.field(response, "id")),
                          remote_url=response.get("url") or "", raw=response)

    def who_am_i(self) -> str:
        """GET /api/v1/accounts/verify_credentials."""
        data = self.json(self.request("GET", "/api/v1/accounts/verify_credentials"))
        return f"@{self.field(data, 'acct', publishing=False)}"
