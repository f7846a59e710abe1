"""Threads: create a media container (TEXT with a link attachment), then publish it."""

from __future__ import annotations

from ..exceptions import ProviderError
from .base import OutgoingPost, SendResult
from .graph import GraphProvider


class ThreadsProvider(GraphProvider):
    """OPTIONS: ``USER_ID``, ``ACCESS_TOKEN`` (threads_basic, threads_content_publish),
    ``API_VERSION`` (default "v1.0")."""

    network = "threads"
    base_url = "https://graph.threads.net"
    option_names = ("API_URL", "API_VERSION", "USER_ID", "ACCESS_TOKEN")
    default_version = "v1.0"
    required_options = ("USER_ID", "ACCESS_TOKEN")

    def _token(self) -> dict:
        return {"access_token": self.options.get("ACCESS_TOKEN")}

    def build_payload(self, message: OutgoingPost) -> dict:
        """A TEXT container; the link becomes a link attachment (a preview card)."""
        payload = {"media_type": "TEXT", "text": message.text}
        if message.link:
            payload["link_attachment"] = message.link
        return payload

    def create_post(self, payload: dict, idempotency_key: str) -> dict:
        """POST /{user}/threads (a container: safe to repeat), then /{user}/threads_publish."""
        user = self.options.get("USER_ID")
        container = self.json(self.request(
            "POST", f"/{self.version}/{user}/threads", data={**payload, **self._token()}))
        creation_id = self.field(container, "id", publishing=False)
        response = self.request(
            "POST", f"/{self.version}/{user}/threads_publish",
            data={"creation_id": creation_id, **self._token()}, publishing=True,
        )
        published = self.json(response, publishing=True)
        media_id = self.field(published, "id")
        try:
            permalink = self.json(self.request(
                "GET", f"/{self.version}/{media_id}",
                params={"fields": "permalink", **self._token()})).get("permalink", "")
        except ProviderError:  # the post exists: a missing permalink is not a failure
            permalink = ""
        return {"id": media_id, "permalink": permalink}

    def parse_result(self, response: dict) -> SendResult:
        """The media id and permalink."""
        return SendResult(remote_id=str(response["id"]), remote_url=response.get("permalink", ""),
                          raw=response)

    def who_am_i(self) -> str:
        """GET /me?fields=username."""
        response = self.request("GET", f"/{self.version}/me",
                                params={"fields": "id,username", **self._token()})
        return f"@{self.field(self.json(response), 'username', publishing=False)}"
