"""Facebook Page: POST /{page-id}/feed with a message and a link, with a Page access token."""

from __future__ import annotations

from .base import OutgoingPost, SendResult
from .graph import GraphProvider


class FacebookProvider(GraphProvider):
    """OPTIONS: ``PAGE_ID``, ``PAGE_ACCESS_TOKEN`` (a long-lived Page token with
    pages_manage_posts), ``API_VERSION`` (default "v21.0")."""

    network = "facebook"
    base_url = "https://graph.facebook.com"
    option_names = ("API_URL", "API_VERSION", "PAGE_ID", "PAGE_ACCESS_TOKEN")
    default_version = "v21.0"
    required_options = ("PAGE_ID", "PAGE_ACCESS_TOKEN")

    def build_payload(self, message: OutgoingPost) -> dict:
        """message and link (Facebook builds the card from the page's Open Graph tags)."""
        payload = {"message": message.text}
        if message.link:
            payload["link"] = message.link
        return payload

    def create_post(self, payload: dict, idempotency_key: str) -> dict:
        """POST /{version}/{page-id}/feed; the token goes in the form body, not the URL."""
        response = self.request(
            "POST", f"/{self.version}/{self.options.get('PAGE_ID')}/feed",
            data={**payload, "access_token": self.options.get("PAGE_ACCESS_TOKEN")},
            publishing=True,
        )
        return self.json(response, publishing=True)

    def parse_result(self, response: dict) -> SendResult:
        """The "{page}_{post}" id and its facebook.com URL."""
        post_id = str(self.field(response, "id"))
        return SendResult(remote_id=post_id, remote_url=f"https://www.facebook.com/{post_id}",
                          raw=response)

    def who_am_i(self) -> str:
        """GET /me with the Page token: the Page's name."""
        response = self.request("GET", f"/{self.version}/me", params={
            "fields": "id,name", "access_token": self.options.get("PAGE_ACCESS_TOKEN")})
        return str(self.field(self.json(response), "name", publishing=False))
