"""A provider for development: prints the post instead of sending it."""

from __future__ import annotations

import sys

from ..core.networks import FALLBACK_TEMPLATE, CountingRule, Features, Network
from .base import BaseProvider, OutgoingPost, SendResult

NETWORK = Network(
    "console", "Console",
    counting=CountingRule("codepoints", 500),  # OPTIONS["NETWORK"] imitates a network's rules
    template=FALLBACK_TEMPLATE,
    features=Features(images=True),
)


class ConsoleProvider(BaseProvider):
    """Writes each post to standard output. ``OPTIONS["NETWORK"]`` imitates a network's rules."""

    declares = NETWORK
    supports_images = True
    deduplicates = True  # nothing is published: re-printing is harmless

    def build_payload(self, message: OutgoingPost) -> dict:
        """The text and link, as printed."""
        return {"text": message.text, "link": message.link, "pk": message.pk}

    def upload_media(self, message: OutgoingPost, payload: dict) -> None:
        """Mention the image's size."""
        payload["image"] = f"<{len(message.image or b'')} bytes>"

    def create_post(self, payload: dict, idempotency_key: str) -> dict:
        """Print the post."""
        image = f" [image {payload['image']}]" if "image" in payload else ""
        sys.stdout.write(f"[{self.alias}] {payload['text']}{image}\n")
        sys.stdout.flush()
        return {"id": f"console-{payload['pk']}-{idempotency_key}"}

    def parse_result(self, response: dict) -> SendResult:
        """The fake remote id."""
        return SendResult(remote_id=response["id"])

    def who_am_i(self) -> str:
        """Always fine."""
        return f"console ({self.options.get('NETWORK') or 'console'})"
