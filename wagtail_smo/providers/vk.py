"""VK: wall.post to a community wall, with ``guid`` so that a repeated call adds no second post.

VK answers errors with HTTP 200 and ``{"error": {"error_code", "error_msg"}}``.
"""

from __future__ import annotations

from ..exceptions import AuthenticationError, PermanentError, RateLimited, TemporaryError
from .base import OutgoingPost, SendResult
from .http import HttpProvider

RATE_LIMIT_CODES = {6: 1.0, 9: 3600.0, 29: 3600.0}  # too many per second, flood control, limit
AUTH_CODES = {5, 15, 17, 27, 28}
TEMPORARY_CODES = {1, 10}


class VKProvider(HttpProvider):
    """OPTIONS: ``ACCESS_TOKEN`` (a community or user token with the wall scope), ``GROUP_ID``
    (the community's numeric id, without minus), ``API_VERSION`` (default "5.199")."""

    network = "vk"
    base_url = "https://api.vk.com"
    option_names = ("API_URL", "API_VERSION", "ACCESS_TOKEN", "GROUP_ID")
    required_options = ("ACCESS_TOKEN", "GROUP_ID")
    deduplicates = True  # guid

    def method(self, name: str, params: dict, *, publishing: bool = False):
        """Call a VK API method (POST form) and return its ``response``."""
        data = {**params, "access_token": self.options.get("ACCESS_TOKEN"),
                "v": self.options.get("API_VERSION", "5.199")}
        response = self.request("POST", f"/method/{name}", data=data, publishing=publishing)
        body = self.json(response, publishing=publishing)
        if isinstance(body, dict) and "error" in body:
            raise self.api_error(body["error"], response.status_code)
        return self.field(body, "response", publishing=publishing)

    def api_error(self, error: dict, status: int):
        """Map VK's error_code to the exception hierarchy."""
        code = int(error.get("error_code", 0))
        message = str(error.get("error_msg") or f"VK error {code}")
        if code in RATE_LIMIT_CODES:
            return self.error(RateLimited, message, status=status,
                              retry_after=RATE_LIMIT_CODES[code])
        if code in AUTH_CODES:
            return self.error(AuthenticationError, message, status=status)
        if code in TEMPORARY_CODES:
            return self.error(TemporaryError, message, status=status)
        return self.error(PermanentError, message, status=status)

    def build_payload(self, message: OutgoingPost) -> dict:
        """owner_id = -GROUP_ID, posted as the community; the link as an attachment."""
        payload = {"owner_id": f"-{self.options.get('GROUP_ID')}", "from_group": 1,
                   "message": message.text}
        if message.link:
            payload["attachments"] = message.link
        return payload

    def create_post(self, payload: dict, idempotency_key: str) -> dict:
        """wall.post with guid = the post's delivery key."""
        return self.method("wall.post", {**payload, "guid": idempotency_key}, publishing=True)

    def parse_result(self, response: dict) -> SendResult:
        """post_id and the vk.com wall URL."""
        post_id = str(self.field(response, "post_id"))
        group = self.options.get("GROUP_ID")
        return SendResult(remote_id=post_id, remote_url=f"https://vk.com/wall-{group}_{post_id}",
                          raw=response)

    def who_am_i(self) -> str:
        """groups.getById: the community's name."""
        data = self.method("groups.getById", {"group_id": self.options.get("GROUP_ID")})
        groups = data.get("groups", data) if isinstance(data, dict) else data
        return str(groups[0].get("name")) if groups else str(self.options.get("GROUP_ID"))
