"""HTTP plumbing shared by the network providers: one session, timeouts, errors mapped to the
exception hierarchy with the network's own message, and tokens kept out of every message.

Errors are classified by one table (``ErrorRow``s, first match wins, ``PermanentError`` when none
matches): ``status_errors`` maps HTTP statuses (429, 401/403, 5xx) for every provider;
``api_errors`` holds a network's own error codes (VK's codes inside HTTP 200, Telegram's
``error_code``, the Graph API's codes), which a provider adds as rows of its own.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Container
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any, ClassVar

import requests
from django.utils import timezone

from .. import __version__
from ..exceptions import (
    AuthenticationError,
    PermanentError,
    ProviderError,
    RateLimited,
    TemporaryError,
    UncertainDelivery,
)
from .base import BaseProvider, redact, secret_values

USER_AGENT = f"wagtail-smo/{__version__} (+https://github.com/wagtail-smo)"

#: ``ErrorRow.retry_after`` meaning "the wait the answer asks for" (Retry-After, retry_after...).
FROM_ANSWER = "answer"


@dataclass(frozen=True)
class ErrorRow:
    """One row of an error table: an answer with one of ``codes`` (the network's own error codes)
    or ``statuses`` (HTTP) raises ``error``; ``retry_after`` is None, seconds, or FROM_ANSWER."""

    error: type[ProviderError]
    codes: Container[int | str] = frozenset()
    statuses: Container[int] = frozenset()
    retry_after: float | str | None = None

    def matches(self, status: int | None, codes: Collection[int | str]) -> bool:
        """Whether an answer with HTTP ``status`` and network ``codes`` falls under this row."""
        return (status is not None and status in self.statuses) or any(
            code in self.codes for code in codes)


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - timezone.now()).total_seconds())


class HttpProvider(BaseProvider):
    """A provider talking JSON over HTTPS; subclasses set ``base_url`` (OPTIONS["API_URL"] wins)."""

    base_url: ClassVar[str] = ""
    #: HTTP statuses of every network: rate limit, bad credentials, a server that failed.
    status_errors: ClassVar[tuple[ErrorRow, ...]] = (
        ErrorRow(RateLimited, statuses={429}, retry_after=FROM_ANSWER),
        ErrorRow(AuthenticationError, statuses={401, 403}),
        ErrorRow(TemporaryError, statuses=range(500, 1000), retry_after=FROM_ANSWER),
    )
    #: The network's own error codes, classified by ``api_error_for`` (none by default).
    api_errors: ClassVar[tuple[ErrorRow, ...]] = ()

    def __init__(self, alias: str, options: dict) -> None:
        super().__init__(alias, options)
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT

    @property
    def api_url(self) -> str:
        """The API root, without trailing slash (OPTIONS["API_URL"] for self-hosting and tests)."""
        return (self.options.get("API_URL") or self.base_url).rstrip("/")

    def redact(self, text: str) -> str:
        """``text`` without this channel's (and every other channel's) secrets."""
        return redact(text, secret_values(self.options))

    def error(self, cls: type[ProviderError], message: str, **kwargs: Any) -> ProviderError:
        """An exception of ``cls`` for this network, its message stripped of secrets."""
        return cls(self.redact(message), network=self.network, channel=self.alias, **kwargs)

    def request(self, method: str, url: str, *, publishing: bool = False,
                **kwargs: Any) -> requests.Response:
        """Send a request; map network failures to ProviderError subclasses.

        ``publishing`` marks the call that creates the post: if it times out after the request was
        sent, the post may exist, so the error is an ``UncertainDelivery``.
        """
        if not url.startswith("http"):
            url = f"{self.api_url}/{url.lstrip('/')}"
        kwargs.setdefault("timeout", self.timeout)
        try:
            response = self.session.request(method, url, **kwargs)
        except requests.ConnectTimeout as exc:
            raise self.error(
                TemporaryError, f"Could not connect in time ({type(exc).__name__}).") from None
        except requests.Timeout:
            cls = UncertainDelivery if publishing else TemporaryError
            raise self.error(cls, f"No answer within {self.timeout:g} seconds.") from None
        except requests.ConnectionError as exc:
            # Refused before anything was sent is safe to retry; a connection dropped after the
            # request went out may hide a published post.
            sent = not _refused(exc)
            cls = UncertainDelivery if publishing and sent else TemporaryError
            reason = "The connection was dropped" if sent else "The connection was refused"
            raise self.error(cls, f"{reason} ({type(exc).__name__}).") from None
        except requests.RequestException as exc:
            raise self.error(TemporaryError, f"Request failed ({type(exc).__name__}).") from None
        self.check_response(response)
        return response

    def classify(self, rows: tuple[ErrorRow, ...], message: str, *, status: int | None,
                 codes: Collection[int | str] = (), match_status: bool = True,
                 retry_after: float | None = None) -> ProviderError:
        """The exception for an error answer, from the first of ``rows`` that matches.

        ``codes`` are the network's own error codes; ``match_status`` False matches by them
        alone (``status`` is then only reported); ``retry_after`` is what the answer asked for.
        """
        for row in rows:
            if row.matches(status if match_status else None, codes):
                wait = retry_after if row.retry_after == FROM_ANSWER else row.retry_after
                extra = {} if wait is None else {"retry_after": wait}
                return self.error(row.error, message, status=status, **extra)
        return self.error(PermanentError, message, status=status)

    def api_error_for(self, message: str, *, status: int | None, codes: Collection[int | str],
                      retry_after: float | None = None) -> ProviderError:
        """The exception for the network's own error codes (``api_errors``; HTTP status unused)."""
        return self.classify(self.api_errors, message, status=status, codes=codes,
                             match_status=False, retry_after=retry_after)

    def check_response(self, response: requests.Response) -> None:
        """Raise the matching ProviderError for an HTTP error status (``status_errors``)."""
        status = response.status_code
        if status < 400:
            return
        message = self.error_message(response) or response.reason or f"HTTP {status}"
        raise self.classify(self.status_errors, message, status=status,
                            retry_after=self.answer_retry_after(response))

    def answer_retry_after(self, response: requests.Response) -> float | None:
        """Seconds the answer asks to wait: its Retry-After header."""
        return parse_retry_after(response.headers.get("Retry-After"))

    def error_message(self, response: requests.Response) -> str:
        """The network's own error text from an error response."""
        try:
            data = response.json()
        except ValueError:
            return response.text.strip()[:500]
        if isinstance(data, dict):
            for key in ("error_description", "message", "error", "detail", "description"):
                value = data.get(key)
                if isinstance(value, str) and value:
                    return value
                if isinstance(value, dict) and isinstance(value.get("message"), str):
                    return value["message"]
        return json.dumps(data)[:500]

    def json(self, response: requests.Response, *, publishing: bool = False) -> Any:
        """The response body as JSON; an unreadable body after publishing is uncertain."""
        try:
            return response.json()
        except ValueError:
            cls = UncertainDelivery if publishing else TemporaryError
            raise self.error(
                cls, f"The answer was not valid JSON (HTTP {response.status_code}).",
                status=response.status_code,
            ) from None

    def field(self, data: Any, *path: str | int, publishing: bool = True) -> Any:
        """``data[path[0]][path[1]]...``; a missing field after publishing is uncertain."""
        try:
            for key in path:
                data = data[key]
        except (KeyError, IndexError, TypeError):
            cls = UncertainDelivery if publishing else TemporaryError
            raise self.error(cls, f"The answer has no {'.'.join(map(str, path))!r}.") from None
        return data


def _refused(exc: requests.ConnectionError) -> bool:
    text = repr(exc.args)
    return "NewConnectionError" in text or "Connection refused" in text
