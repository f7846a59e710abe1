"""An in-memory provider for tests: keeps what it "sent" in ``outbox``."""

from __future__ import annotations

import threading
from typing import ClassVar

from ..core.networks import FALLBACK_TEMPLATE, CountingRule, Features, Network
from ..exceptions import ProviderError
from .base import BaseProvider, OutgoingPost, SendResult

NETWORK = Network(
    "locmem", "In-memory",
    counting=CountingRule("codepoints", 500),  # OPTIONS["NETWORK"] imitates a network's rules
    template=FALLBACK_TEMPLATE,
    features=Features(images=True),
)


class LocmemProvider(BaseProvider):
    """Appends each post to the class-level ``outbox``; ``fail_next`` queues errors to raise."""

    declares = NETWORK
    supports_images = True
    deduplicates = True  # a repeated key is recorded once, like a de-duplicating network
    outbox: ClassVar[list[dict]] = []
    fail_next: ClassVar[list[ProviderError]] = []
    _lock: ClassVar[threading.Lock] = threading.Lock()

    @classmethod
    def reset(cls) -> None:
        """Empty the outbox and the queued failures."""
        with cls._lock:
            cls.outbox.clear()
            cls.fail_next.clear()

    def build_payload(self, message: OutgoingPost) -> dict:
        """Everything that would be sent."""
        return {"channel": self.alias, "text": message.text, "link": message.link,
                "pk": message.pk, "image": None}

    def upload_media(self, message: OutgoingPost, payload: dict) -> None:
        """Keep the image's size."""
        payload["image"] = len(message.image or b"")

    def create_post(self, payload: dict, idempotency_key: str) -> dict:
        """Record the post once per key, or raise the next queued failure."""
        with self._lock:
            if self.fail_next:
                raise self.fail_next.pop(0)
            for sent in self.outbox:
                if sent["key"] == idempotency_key:
                    return sent
            sent = {**payload, "key": idempotency_key, "id": str(len(self.outbox) + 1)}
            self.outbox.append(sent)
            return sent

    def parse_result(self, response: dict) -> SendResult:
        """The outbox index as remote id."""
        url = f"https://locmem.invalid/{response['id']}"
        return SendResult(remote_id=response["id"], remote_url=url)
