"""Threads: create a media container (TEXT with a link attachment, or IMAGE), then publish it.

Followed: Threads API "Posts" (developers.facebook.com/docs/threads/posts): a container is
``POST /{threads-user-id}/threads`` with ``media_type`` TEXT, IMAGE or VIDEO; ``image_url`` is
required for IMAGE and Threads fetches it ("it must be on a public server": there is no upload
endpoint); ``text`` is optional for IMAGE; ``link_attachment`` is for text posts only, so with an
image the link stays in the text; ``alt_text`` describes the image. Then
``POST /{threads-user-id}/threads_publish`` with ``creation_id``. A media container is processed
after it is created: its ``status`` (GET /{container-id}?fields=status,error_message) is
IN_PROGRESS, FINISHED or ERROR, and only a FINISHED one can be published.
"""

from __future__ import annotations

import time
from typing import ClassVar
from urllib.parse import urlsplit

from ..core.networks import CardStyle, CountingRule, Features, ImageNeeds, Network, ShareLink
from ..exceptions import PermanentError, ProviderError, TemporaryError, UnsupportedFeature
from .base import OutgoingPost, SendResult
from .graph import GraphProvider


def is_fetchable_url(url: str) -> bool:
    """Whether ``url`` is an absolute http(s) URL with a host (something Threads can fetch)."""
    parts = urlsplit(url or "")
    return parts.scheme in ("http", "https") and bool(parts.hostname)


NETWORK = Network(
    "threads", "Threads",
    counting=CountingRule("codepoints", 500),
    template="{title}\n\n{description}\n\n{link}",
    # A link attachment: the image at 1.91:1 over the domain and a title of up to two lines
    # (about 70 characters); no description.
    card=CardStyle(title_max=70, description_max=None, aspect="1.91:1", site_label="domain"),
    # Threads fetches images itself from a public URL.
    images=ImageNeeds(sizes=(("post", 1080, 1350),), max_bytes=8_000_000),
    features=Features(images=True, alt_text=True, link_cards=True, metrics=True),
    share=ShareLink("https://www.threads.net/intent/post?text={title}&url={url}"),
)


class ThreadsProvider(GraphProvider):
    """OPTIONS: ``USER_ID``, ``ACCESS_TOKEN`` (threads_basic, threads_content_publish),
    ``API_VERSION`` (default "v1.0")."""

    declares = NETWORK
    base_url = "https://graph.threads.net"
    option_names = ("API_URL", "API_VERSION", "USER_ID", "ACCESS_TOKEN")
    default_version = "v1.0"
    required_options = ("USER_ID", "ACCESS_TOKEN")
    supports_images = True

    #: Seconds between checks of an IMAGE container's status, and how many checks before giving
    #: up (a retry creates a new container: containers are never published twice).
    status_interval: ClassVar[float] = 2.0
    status_checks: ClassVar[int] = 10

    def _token(self) -> dict:
        return {"access_token": self.options.get("ACCESS_TOKEN")}

    def build_payload(self, message: OutgoingPost) -> dict:
        """A TEXT container; the link becomes a link attachment (a preview card)."""
        payload = {"media_type": "TEXT", "text": message.text}
        if message.link:
            payload["link_attachment"] = message.link
        return payload

    def upload_media(self, message: OutgoingPost, payload: dict) -> None:
        """Make the container an IMAGE one pointing at the image's public URL (Threads fetches
        it itself; the bytes cannot be sent)."""
        if not is_fetchable_url(message.image_url):
            if self.options.get("IGNORE_UNSUPPORTED_FEATURES"):
                return  # sent as a text post, as for any feature a network cannot take
            raise self.error(
                UnsupportedFeature,
                f"threads channel {self.alias!r} cannot send this image: Threads fetches images "
                f"from a public http(s) URL and the image has none "
                f"({message.image_url or 'no URL'!r}). Give the site a root URL (Wagtail "
                f"Sites) or use an absolute MEDIA_URL, or set "
                f"OPTIONS['IGNORE_UNSUPPORTED_FEATURES'] = True to send the text without it.")
        link = payload.pop("link_attachment", "")
        if link and link not in payload["text"]:
            payload["text"] = f"{payload['text']}\n\n{link}".strip()
        payload["media_type"] = "IMAGE"
        payload["image_url"] = message.image_url
        if message.image_alt:
            payload["alt_text"] = message.image_alt

    def wait_until_finished(self, container_id: str) -> None:
        """Poll the container's status until FINISHED; ERROR fails with Threads' message."""
        for check in range(self.status_checks):
            data = self.json(self.request(
                "GET", f"/{self.version}/{container_id}",
                params={"fields": "status,error_message", **self._token()}))
            status = data.get("status")
            if status == "FINISHED":
                return
            if status in ("ERROR", "EXPIRED"):
                reason = data.get("error_message") or status
                raise self.error(PermanentError, f"Threads could not use the image: {reason}.")
            if check + 1 < self.status_checks:
                time.sleep(self.status_interval)
        raise self.error(TemporaryError, "Threads has not finished processing the image yet.")

    def create_post(self, payload: dict, idempotency_key: str) -> dict:
        """POST /{user}/threads (a container: safe to repeat), then /{user}/threads_publish."""
        user = self.options.get("USER_ID")
        container = self.json(self.request(
            "POST", f"/{self.version}/{user}/threads", data={**payload, **self._token()}))
        creation_id = self.field(container, "id", publishing=False)
        if payload.get("media_type") == "IMAGE":
            self.wait_until_finished(creation_id)
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
