"""X: POST /2/tweets with OAuth 1.0a user context (requests-oauthlib signs every request).

Followed for images: X API v2 media docs (docs.x.com/x-api/media, "Upload", "Create Media
metadata"): one-shot ``POST /2/media/upload`` takes the raw bytes as the multipart ``media`` field
with ``media_category`` (tweet_image) and ``media_type``, and answers the media ``id`` (and
``media_key``) under ``data``; alt text is ``POST /2/media/metadata`` with ``{"id", "metadata":
{"alt_text": {"text"}}}`` (at most 1000 characters); the post references the upload as
``media.media_ids``. Multipart bodies are not part of the OAuth 1.0a signature.
"""

from __future__ import annotations

import time

import requests
from requests_oauthlib import OAuth1

from ..core.networks import (
    CardStyle,
    CountingRule,
    Features,
    FieldLimits,
    ImageNeeds,
    Network,
    ShareLink,
)
from .base import OutgoingPost, SendResult
from .http import HttpProvider, parse_retry_after

NETWORK = Network(
    "x", "X",
    counting=CountingRule("x", 280, short_urls=True),
    template="{title} {link} {hashtags}",
    card=CardStyle(title_max=70, description_max=None, aspect="2:1"),
    limits=FieldLimits(title=70, description=200, alt=420),
    images=ImageNeeds(sizes=(("card", 1200, 600),), aspect="2:1", max_bytes=5_000_000,
                      formats=("jpeg", "png", "gif", "webp")),
    features=Features(images=True, alt_text=True, link_cards=True, metrics=True),
    share=ShareLink("https://twitter.com/intent/tweet?text={title}&url={url}&via={via}"),
)


class XProvider(HttpProvider):
    """OPTIONS: ``CONSUMER_KEY``, ``CONSUMER_SECRET`` (the app's API key and secret),
    ``ACCESS_TOKEN``, ``ACCESS_TOKEN_SECRET`` (of the account, with read and write access)."""

    declares = NETWORK
    base_url = "https://api.x.com"
    option_names = ("API_URL", "CONSUMER_KEY", "CONSUMER_SECRET", "ACCESS_TOKEN",
                    "ACCESS_TOKEN_SECRET")
    required_options = ("CONSUMER_KEY", "CONSUMER_SECRET", "ACCESS_TOKEN", "ACCESS_TOKEN_SECRET")
    supports_images = True

    def __init__(self, alias: str, options: dict) -> None:
        super().__init__(alias, options)
        self.session.auth = OAuth1(
            options.get("CONSUMER_KEY", ""), client_secret=options.get("CONSUMER_SECRET", ""),
            resource_owner_key=options.get("ACCESS_TOKEN", ""),
            resource_owner_secret=options.get("ACCESS_TOKEN_SECRET", ""),
        )

    def answer_retry_after(self, response: requests.Response) -> float | None:
        """A 429 carries x-rate-limit-reset (epoch seconds) rather than Retry-After (else 60)."""
        if response.status_code == 429 and "Retry-After" not in response.headers:
            reset = response.headers.get("x-rate-limit-reset")
            wait = max(0.0, float(reset) - time.time()) if reset and reset.isdigit() else None
            return wait or parse_retry_after("60")
        return super().answer_retry_after(response)

    def error_message(self, response: requests.Response) -> str:
        """X's problem details: ``detail``, or the first of ``errors``."""
        try:
            data = response.json()
        except ValueError:
            return super().error_message(response)
        if isinstance(data, dict):
            if data.get("detail"):
                return str(data["detail"])
            errors = data.get("errors") or []
            if errors and isinstance(errors[0], dict) and errors[0].get("message"):
                return str(errors[0]["message"])
        return super().error_message(response)

    def build_payload(self, message: OutgoingPost) -> dict:
        """{"text": ...}; X makes the card from the link's Open Graph / twitter: tags."""
        return {"text": message.text}

    def upload_media(self, message: OutgoingPost, payload: dict) -> None:
        """POST /2/media/upload (one shot), the alt text through /2/media/metadata, then
        ``media.media_ids`` in the post."""
        response = self.request(
            "POST", "/2/media/upload",
            files={"media": ("image", message.image, message.image_mime_type)},
            data={"media_category": "tweet_image", "media_type": message.image_mime_type},
        )
        media_id = str(self.field(self.json(response), "data", "id", publishing=False))
        if message.image_alt:
            self.request("POST", "/2/media/metadata", json={
                "id": media_id, "metadata": {"alt_text": {"text": message.image_alt[:1000]}}})
        payload["media"] = {"media_ids": [media_id]}

    def create_post(self, payload: dict, idempotency_key: str) -> dict:
        """POST /2/tweets (signed with OAuth 1.0a)."""
        response = self.request("POST", "/2/tweets", json=payload, publishing=True)
        return self.json(response, publishing=True)

    def parse_result(self, response: dict) -> SendResult:
        """The post id and its x.com URL."""
        post_id = str(self.field(response, "data", "id"))
        return SendResult(remote_id=post_id, remote_url=f"https://x.com/i/web/status/{post_id}",
                          raw=response)

    def who_am_i(self) -> str:
        """GET /2/users/me."""
        data = self.json(self.request("GET", "/2/users/me"))
        return f"@{self.field(data, 'data', 'username', publishing=False)}"
