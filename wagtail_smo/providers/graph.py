"""Error handling shared by Meta's Graph APIs (Facebook Pages and Threads)."""

from __future__ import annotations

from typing import ClassVar

from ..exceptions import AuthenticationError, PermanentError, RateLimited, TemporaryError
from .http import HttpProvider

#: Graph API error codes meaning "too many calls" (application, user, page, custom limits).
RATE_LIMIT_CODES = {4, 17, 32, 613, 80001, 80002}
#: OAuthException and permission errors.
AUTH_CODES = {102, 190, 200, 10}


class GraphProvider(HttpProvider):
    """Reads ``{"error": {"message", "code", ...}}`` answers of the Graph API."""

    #: API version in the path; OPTIONS["API_VERSION"] overrides it.
    default_version: ClassVar[str] = ""

    @property
    def version(self) -> str:
        """The API version in the path."""
        return self.options.get("API_VERSION", self.default_version)

    def check_response(self, response) -> None:
        """Map Graph error codes (which arrive with 400 for many kinds) to the hierarchy."""
        if response.status_code < 400:
            return
        try:
            error = response.json()["error"]
            code = int(error.get("code", 0))
            message = str(error.get("message") or response.reason)
        except (ValueError, KeyError, TypeError, AttributeError):
            return super().check_response(response)
        status = response.status_code
        if code in RATE_LIMIT_CODES or status == 429:
            raise self.error(RateLimited, message, status=status, retry_after=60)
        if code in AUTH_CODES or status in (401, 403):
            raise self.error(AuthenticationError, message, status=status)
        if status >= 500 or error.get("is_transient"):
            raise self.error(TemporaryError, message, status=status)
        raise self.error(PermanentError, message, status=status)
