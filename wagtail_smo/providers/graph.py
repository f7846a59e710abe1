"""Error handling shared by Meta's Graph APIs (Facebook Pages and Threads)."""

from __future__ import annotations

from typing import ClassVar

import requests

from ..exceptions import AuthenticationError, RateLimited, TemporaryError
from .http import ErrorRow, HttpProvider

#: Graph API error codes meaning "too many calls" (application, user, page, custom limits).
RATE_LIMIT_CODES = {4, 17, 32, 613, 80001, 80002}
#: OAuthException and permission errors.
AUTH_CODES = {102, 190, 200, 10}
#: Stands for ``"is_transient": true`` among an error's codes.
TRANSIENT = "transient"


class GraphProvider(HttpProvider):
    """Reads ``{"error": {"message", "code", ...}}`` answers of the Graph API."""

    #: API version in the path; OPTIONS["API_VERSION"] overrides it.
    default_version: ClassVar[str] = ""

    @property
    def version(self) -> str:
        """The API version in the path."""
        return self.options.get("API_VERSION", self.default_version)

    #: Graph error codes arrive with 400 for many kinds: read them before the HTTP status.
    api_errors = (
        ErrorRow(RateLimited, codes=RATE_LIMIT_CODES, statuses={429}, retry_after=60),
        ErrorRow(AuthenticationError, codes=AUTH_CODES, statuses={401, 403}),
        ErrorRow(TemporaryError, codes={TRANSIENT}, statuses=range(500, 1000)),
    )

    def check_response(self, response: requests.Response) -> None:
        """Classify ``{"error": {"code", "message", "is_transient"}}`` by ``api_errors``."""
        if response.status_code < 400:
            return
        try:
            error = response.json()["error"]
            code = int(error.get("code", 0))
            message = str(error.get("message") or response.reason)
        except (ValueError, KeyError, TypeError, AttributeError):
            return super().check_response(response)
        codes: list[int | str] = [code, TRANSIENT] if error.get("is_transient") else [code]
        raise self.classify(self.api_errors, message, status=response.status_code, codes=codes)
