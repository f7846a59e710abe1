"""Instagram: a media container from a public image URL, polled until FINISHED, then published.

Followed: Instagram Graph API "Content publishing" (developers.facebook.com/docs/instagram-
platform/content-publishing): a container is ``POST /{ig-user-id}/media`` with ``image_url``
(Instagram fetches it: "the image must be on a public server", JPEG only), ``caption`` (2,200
characters; links in it are not clickable) and ``alt_text``; its ``status_code``
(``GET /{container-id}?fields=status_code``) is IN_PROGRESS, FINISHED, ERROR, EXPIRED or
PUBLISHED, and only a FINISHED one is published by ``POST /{ig-user-id}/media_publish`` with
``creation_id``. An account may publish 25 posts through the API in a rolling 24 hours:
``GET /{ig-user-id}/content_publishing_limit`` gives ``quota_usage`` and ``config.quota_total``.
A comment is ``POST /{ig-media-id}/comments`` with ``message``.

Exactly once: Instagram has no idempotency key and drops no repeated publish (dedup window 0), so
an answer lost after ``media_publish`` is an ``UncertainDelivery`` for a person to settle. A
container is harmless (never shown until published; it expires after 24 hours), so everything
before ``media_publish`` is safe to repeat.
"""

from __future__ import annotations

import time
from typing import ClassVar

from ..core.networks import CardStyle, CountingRule, Features, ImageNeeds, Network
from ..exceptions import PermanentError, ProviderError, RateLimited, TemporaryError
from .base import OutgoingPost, SendResult, image_refusal
from .graph import GraphProvider

NETWORK = Network(
    "instagram", "Instagram",
    counting=CountingRule("codepoints", 2200),
    # Links in a caption are not clickable: LINK_MODE says where the link goes.
    template="{title}\n\n{description}\n\n{hashtags}",
    # The feed shows the first 125 characters of a caption, then "… more"; the card is the
    # image (4:5 portrait takes the most room in the feed), under the account's name.
    card=CardStyle(title_max=125, description_max=None, aspect="4:5", site_label="site_name"),
    # Instagram takes only images: a post for it gets a generated card in this size.
    images=ImageNeeds(sizes=(("portrait", 1080, 1350), ("square", 1080, 1080)), aspect="4:5",
                      required=True, max_bytes=8_000_000, formats=("jpeg",)),
    features=Features(images=True, alt_text=True, link_cards=False, dedup_window=0),
)

#: Where the page's link goes (OPTIONS["LINK_MODE"]): "bio" appends LINK_IN_BIO to the caption,
#: "comment" posts the link as the first comment.
LINK_MODES = ("bio", "comment")
LINK_IN_BIO = "Link in bio."
#: Seconds to wait after a refusal for a full publishing quota. The window is rolling (a slot frees
#: 24 hours after each of the account's posts) and the API does not say when the oldest was made,
#: so the post is tried again hourly rather than failed: the quota always frees.
QUOTA_RETRY_AFTER = 3600.0


class InstagramProvider(GraphProvider):
    """OPTIONS: ``USER_ID`` (the Instagram professional account's id), ``ACCESS_TOKEN``
    (instagram_basic, instagram_content_publish), ``LINK_MODE`` ("bio" or "comment"; "bio"),
    ``API_VERSION`` (default "v21.0")."""

    declares = NETWORK
    base_url = "https://graph.facebook.com"
    option_names = ("API_URL", "API_VERSION", "USER_ID", "ACCESS_TOKEN", "LINK_MODE")
    default_version = "v21.0"
    required_options = ("USER_ID", "ACCESS_TOKEN")
    deduplicates = NETWORK.features.dedup_window > 0
    supports_images = True

    #: Seconds between checks of a container's status; checks stop after the channel's TIMEOUT.
    status_interval: ClassVar[float] = 1.0

    def _token(self) -> dict:
        return {"access_token": self.options.get("ACCESS_TOKEN")}

    @classmethod
    def option_problems(cls, options: dict) -> list[str]:
        """LINK_MODE must be "bio" or "comment"."""
        mode = options.get("LINK_MODE", "bio")
        return [] if mode in LINK_MODES else [
            f"LINK_MODE must be 'bio' or 'comment', not {mode!r}."]

    @property
    def link_mode(self) -> str:
        """Where the link goes: "bio" or "comment" (checked at start-up, and again here)."""
        problems = self.option_problems(self.options)
        if problems:
            raise self.error(PermanentError, f"instagram channel {self.alias!r}: {problems[0]}")
        return self.options.get("LINK_MODE", "bio")

    def build_payload(self, message: OutgoingPost) -> dict:
        """The container: image URL, caption (the link left out: it would not be clickable)."""
        refusal = image_refusal("Instagram", message)
        if refusal:
            raise self.error(PermanentError, refusal)
        caption = message.text
        if message.link:
            caption = caption.replace(message.link, "").strip()
        mode = self.link_mode
        if message.link and mode == "bio":
            caption = f"{caption}\n\n{LINK_IN_BIO}".strip()
        payload = {"image_url": message.image_url, "caption": caption,
                   "_comment": message.link if mode == "comment" else ""}
        if message.image_alt:
            payload["alt_text"] = message.image_alt
        return payload

    def upload_media(self, message: OutgoingPost, payload: dict) -> None:
        """Nothing to upload: Instagram fetches ``image_url`` (set by build_payload)."""

    def check_quota(self) -> None:
        """Refuse, to be retried later, when the account has used its publishing quota."""
        data = self.json(self.request(
            "GET", f"/{self.version}/{self.options.get('USER_ID')}/content_publishing_limit",
            params={"fields": "quota_usage,config", **self._token()}))
        try:
            usage = data["data"][0]
            used, total = int(usage["quota_usage"]), int(usage["config"]["quota_total"])
        except (KeyError, IndexError, TypeError, ValueError):
            return  # no readable quota: Instagram refuses by itself (code 9) past it
        if used >= total:
            raise self.error(
                RateLimited, f"This Instagram account has published its {total} posts allowed "
                             f"through the API in 24 hours; the post is tried again in an hour, "
                             f"when the quota frees.", retry_after=QUOTA_RETRY_AFTER)

    def wait_until_finished(self, container_id: str, image_url: str) -> None:
        """Poll the container's status_code until FINISHED, for at most the channel's TIMEOUT."""
        deadline = time.monotonic() + self.timeout
        while True:
            data = self.json(self.request(
                "GET", f"/{self.version}/{container_id}",
                params={"fields": "status_code,status", **self._token()}))
            status = data.get("status_code")
            if status == "FINISHED":
                return
            if status in ("ERROR", "EXPIRED"):
                detail = data.get("status") or status
                raise self.error(
                    PermanentError, f"Instagram could not use the image {image_url} ({detail}): "
                                    f"it takes a JPEG of at most 8 MB, between 4:5 and 1.91:1. "
                                    f"Nothing was posted.")
            if time.monotonic() + self.status_interval > deadline:
                raise self.error(TemporaryError,
                                 "Instagram has not finished processing the image yet.")
            time.sleep(self.status_interval)

    def create_post(self, payload: dict, idempotency_key: str) -> dict:
        """Quota, container (safe to repeat), status, media_publish, then the link comment."""
        user = self.options.get("USER_ID")
        comment = payload.pop("_comment", "")
        self.check_quota()
        container = self.json(self.request(
            "POST", f"/{self.version}/{user}/media", data={**payload, **self._token()}))
        creation_id = self.field(container, "id", publishing=False)
        self.wait_until_finished(creation_id, payload["image_url"])
        published = self.json(self.request(
            "POST", f"/{self.version}/{user}/media_publish",
            data={"creation_id": creation_id, **self._token()}, publishing=True), publishing=True)
        media_id = self.field(published, "id")
        result = {"id": media_id, "permalink": ""}
        # The post exists from here on: what follows may fail without failing the delivery
        # (a retry would post it twice), and the failure is kept in the result.
        try:
            result["permalink"] = self.json(self.request(
                "GET", f"/{self.version}/{media_id}",
                params={"fields": "permalink", **self._token()})).get("permalink", "")
            if comment:
                result["comment_id"] = self.field(self.json(self.request(
                    "POST", f"/{self.version}/{media_id}/comments",
                    data={"message": comment, **self._token()})), "id", publishing=False)
        except ProviderError as exc:
            result["error"] = str(exc)
        return result

    def parse_result(self, response: dict) -> SendResult:
        """The media id and permalink."""
        return SendResult(remote_id=str(response["id"]), remote_url=response.get("permalink", ""),
                          raw=response)

    def who_am_i(self) -> str:
        """GET /{ig-user-id}?fields=username."""
        response = self.request("GET", f"/{self.version}/{self.options.get('USER_ID')}",
                                params={"fields": "id,username", **self._token()})
        return f"@{self.field(self.json(response), 'username', publishing=False)}"
