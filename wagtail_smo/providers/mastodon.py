"""Mastodon (and compatible servers): POST /api/v1/statuses with an Idempotency-Key."""

from __future__ import annotations

from ..exceptions import PermanentError, ProviderError
from .base import OutgoingPost, SendResult
from .http import HttpProvider


class MastodonProvider(HttpProvider):
    """Posts a status as the account of ``ACCESS_TOKEN`` (scope write:statuses, write:media).

    OPTIONS: ``API_URL`` (the instance, e.g. "https://mastodon.social"), ``ACCESS_TOKEN``,
    ``VISIBILITY`` ("public", "unlisted", "private"), ``LANGUAGE`` (ISO 639-1).
    """

    network = "mastodon"
    option_names = ("API_URL", "ACCESS_TOKEN", "VISIBILITY", "LANGUAGE")
    required_options = ("API_URL", "ACCESS_TOKEN")
    deduplicates = True  # Idempotency-Key, kept by the server for an hour
    supports_images = True

    def __init__(self, alias: str, options: dict) -> None:
        super().__init__(alias, options)
        self.session.headers["Authorization"] = f"Bearer {options.get('ACCESS_TOKEN', '')}"

    def instance_limits(self) -> tuple[int, int]:
        """(max_characters, characters_reserved_per_url) of the instance; defaults if unknown."""
        try:
            data = self.json(self.request("GET", "/api/v2/instance"))
            statuses = data["configuration"]["statuses"]
            return int(statuses["max_characters"]), int(statuses["characters_reserved_per_url"])
        except (ProviderError, KeyError, TypeError, ValueError):
            return 500, 23

    def build_payload(self, message: OutgoingPost) -> dict:
        """The status, checked against the instance's own length limit."""
        from ..posts.counting import count_length

        limit, _per_url = self.instance_limits()
        # count_length counts every URL as 23 characters, as Mastodon does by default.
        length = count_length(message.text, "mastodon")
        if length > limit:
            raise self.error(
                PermanentError, f"The text is {length} characters; this instance allows {limit}."
            )
        payload = {"status": message.text, "visibility": self.options.get("VISIBILITY", "public")}
        if self.options.get("LANGUAGE"):
            payload["language"] = self.options["LANGUAGE"]
        return payload

    def upload_media(self, message: OutgoingPost, payload: dict) -> None:
        """POST /api/v2/media with the image and its description."""
        extension = "png" if message.image_mime_type == "image/png" else "jpg"
        response = self.request(
            "POST", "/api/v2/media",
            files={"file": (f"image.{extension}", message.image, message.image_mime_type)},
            data={"description": message.image_alt[:1500]},
        )
        payload["media_ids"] = [str(self.field(self.json(response), "id", publishing=False))]

    def create_post(self, payload: dict, idempotency_key: str) -> dict:
        """POST /api/v1/statuses; the same key within an hour returns the same status."""
        response = self.request(
            "POST", "/api/v1/statuses", json=payload, publishing=True,
            headers={"Idempotency-Key": idempotency_key},
        )
        return self.json(response, publishing=True)

    def parse_result(self, response: dict) -> SendResult:
        """The status id and its public URL."""
        return SendResult(remote_id=str(self.field(response, "id")),
                          remote_url=response.get("url") or "", raw=response)

    def who_am_i(self) -> str:
        """GET /api/v1/accounts/verify_credentials."""
        data = self.json(self.request("GET", "/api/v1/accounts/verify_credentials"))
        return f"@{self.field(data, 'acct', publishing=False)}"
