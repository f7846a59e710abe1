"""A generic webhook (n8n, Zapier, Make...): JSON POST signed with HMAC-SHA256."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

from ..core.networks import FALLBACK_TEMPLATE, CountingRule, Features, Network
from .base import OutgoingPost, SendResult
from .http import HttpProvider

SIGNATURE_HEADER = "X-SMO-Signature"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """"sha256=" + hex HMAC of "{timestamp}." + body (the timestamp stops replays)."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


NETWORK = Network(
    "webhook", "Webhook",
    counting=CountingRule("codepoints", 500),  # OPTIONS["NETWORK"] imitates a network's rules
    template=FALLBACK_TEMPLATE,
    features=Features(images=True),
)


class WebhookProvider(HttpProvider):
    """OPTIONS: ``URL``, ``SECRET`` (shared with the receiver), ``DEDUPLICATES`` (True if the
    receiver ignores a repeated ``X-SMO-Delivery``), ``NETWORK`` (length rules to apply).

    Headers: ``X-SMO-Delivery`` (stable per post), ``X-SMO-Timestamp`` (Unix seconds),
    ``X-SMO-Signature`` ("sha256=" + HMAC-SHA256 of "{timestamp}.{body}" with ``SECRET``).
    The receiver may answer ``{"id": ..., "url": ...}``; any 2xx counts as sent.
    """

    declares = NETWORK
    option_names = ("URL", "SECRET", "DEDUPLICATES")
    required_options = ("URL", "SECRET")
    supports_images = True  # the image travels as the page's share image URL

    @classmethod
    def deduplicates_with(cls, options: dict) -> bool:
        """Declared by the channel (OPTIONS["DEDUPLICATES"]): only the receiver knows."""
        return bool(options.get("DEDUPLICATES"))

    def build_payload(self, message: OutgoingPost) -> dict:
        """The post and its card data, as JSON."""
        return {"channel": self.alias, "network": self.options.get("NETWORK") or "webhook",
                "post_id": message.pk, "text": message.text, "link": message.link,
                "title": message.title, "description": message.description,
                "image_url": message.image_url, "image_alt": message.image_alt}

    def upload_media(self, message: OutgoingPost, payload: dict) -> None:
        """Nothing to upload: the receiver fetches ``image_url``."""

    def create_post(self, payload: dict, idempotency_key: str) -> dict:
        """POST the signed JSON body."""
        body = json.dumps({**payload, "delivery": idempotency_key}, separators=(",", ":"),
                          ensure_ascii=False).encode()
        timestamp = str(int(time.time()))
        response = self.request("POST", self.options.get("URL", ""), data=body, publishing=True,
                                headers={
                                    "Content-Type": "application/json",
                                    "X-SMO-Delivery": idempotency_key,
                                    "X-SMO-Timestamp": timestamp,
                                    SIGNATURE_HEADER: sign(self.options.get("SECRET", ""),
                                                           timestamp, body),
                                })
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        return answer if isinstance(answer, dict) else {}

    def parse_result(self, response: dict) -> SendResult:
        """The receiver's id and url, if it gave them."""
        return SendResult(remote_id=str(response.get("id", "")),
                          remote_url=str(response.get("url", "")), raw=response)

    def who_am_i(self) -> str:
        """The receiver's host (a webhook has no account to check)."""
        from urllib.parse import urlsplit

        return urlsplit(self.options.get("URL", "")).netloc
