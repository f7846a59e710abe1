"""One root error for wagtail-smo; provider errors carry the network's own message."""

from __future__ import annotations


class SmoError(Exception):
    """Root of every error raised by wagtail-smo."""


class ImproperlyConfiguredChannel(SmoError):
    """A channel in ``WAGTAIL_SMO["PROVIDERS"]`` cannot be used as configured."""


class ProviderError(SmoError):
    """A network refused or failed a request; ``message`` is the network's own text.

    ``retryable`` errors are tried again later (with backoff, honouring ``retry_after`` seconds);
    the others fail the post and are shown to the editor. ``delivered_maybe`` is True when the
    request may have reached the network (a timeout after sending, an unreadable answer): such a
    post is only re-sent where the network de-duplicates.
    """

    retryable: bool = False
    delivered_maybe: bool = False

    def __init__(
        self,
        message: str,
        *,
        network: str = "",
        status: int | None = None,
        retry_after: float | None = None,
        channel: str = "",
    ) -> None:
        self.message = message
        self.network = network
        self.status = status
        self.retry_after = retry_after
        self.channel = channel
        super().__init__(message)

    def __str__(self) -> str:
        where = self.network or "network"
        status = f" (HTTP {self.status})" if self.status else ""
        return f"{where}{status}: {self.message}"


class RateLimited(ProviderError):
    """HTTP 429 or a network's flood-control error: try again after ``retry_after`` seconds."""

    retryable = True


class TemporaryError(ProviderError):
    """A 5xx answer or a connection that could not be opened: safe to try again."""

    retryable = True


class UncertainDelivery(ProviderError):
    """The request may have been published (timeout after sending, dropped connection, bad body)."""

    retryable = True
    delivered_maybe = True


class AuthenticationError(ProviderError):
    """401/403: the token is wrong, expired or lacks a permission. Never retried."""


class PermanentError(ProviderError):
    """The network rejected the post itself (422, 400...): retrying would fail the same way."""


class UnsupportedFeature(PermanentError):
    """The post uses something this network cannot do, and the channel may not drop it."""


class InvalidPostState(SmoError):
    """An action does not apply to a post in its current status (e.g. retrying a sent post)."""
