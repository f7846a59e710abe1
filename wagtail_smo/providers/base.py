"""The base class every provider derives from: fixed steps, loud failure of unsupported features."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar


@dataclass(frozen=True)
class SendResult:
    """What a network answered for a created post."""

    remote_id: str
    remote_url: str = ""
    raw: Any = None


class BaseProvider:
    """One network. Subclasses set ``network`` and implement the steps they support."""

    #: Network name used for length counting and default templates ("mastodon", "x", ...).
    network: ClassVar[str] = "generic"
    #: Option names this provider accepts; anything else is a configuration error.
    option_names: ClassVar[tuple[str, ...]] = ()

    def __init__(self, alias: str, options: dict) -> None:
        self.alias = alias
        self.options = options

    def send(self, post, attempt_id: str) -> SendResult:
        """Deliver ``post``; ``attempt_id`` serves as the idempotency key where supported."""
        raise NotImplementedError
