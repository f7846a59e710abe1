"""LinkedIn: the Posts API (POST /rest/posts) with the page's link as an article, or an image.

Followed for images: LinkedIn's Images API (learn.microsoft.com/linkedin/marketing/
community-management/shares/images-api) and its use in public clients: ``POST
/rest/images?action=initializeUpload`` with ``{"initializeUploadRequest": {"owner": <author
URN>}}`` answers ``{"value": {"uploadUrl", "uploadUrlExpiresAt", "image": "urn:li:image:…"}}``;
the bytes are PUT to ``uploadUrl`` with the same bearer token; the post then carries
``content.media`` = ``{"id": <image URN>, "altText": …}``. A post has one ``content``: with an
image there is no article card, so the link stays in the commentary. The image's owner must be
the post's author.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from ..core.networks import (
    CardStyle,
    CountingRule,
    Features,
    FieldLimits,
    ImageNeeds,
    Network,
    ShareLink,
)
from .base import OutgoingPost, SendResult
from .http import HttpProvider

#: Characters with a meaning in LinkedIn's "little text" format; escaped so they print as typed.
#: "#" is left alone so that hashtags stay hashtags.
LITTLE_TEXT_RESERVED = re.compile(r"([\\|{}@\[\]()<>*_~])")


def escape_little_text(text: str) -> str:
    """``text`` with LinkedIn's reserved characters backslash-escaped."""
    return LITTLE_TEXT_RESERVED.sub(r"\\\1", text)


NETWORK = Network(
    "linkedin", "LinkedIn",
    counting=CountingRule("codepoints", 3000),
    template="{title}\n\n{description}\n\nRead the full article: {link}\n\n{hashtags}",
    card=CardStyle(title_max=60, description_max=None, aspect="1.91:1"),
    limits=FieldLimits(title=60),
    images=ImageNeeds(sizes=(("card", 1200, 627),), aspect="1.91:1",
                      formats=("jpeg", "png", "gif")),  # no WebP
    features=Features(images=True, alt_text=True, link_cards=True, metrics=True),
    share=ShareLink("https://www.linkedin.com/sharing/share-offsite/?url={url}"),
)


class LinkedInProvider(HttpProvider):
    """OPTIONS: ``ACCESS_TOKEN`` (w_member_social or w_organization_social), ``AUTHOR``
    ("urn:li:organization:123" or "urn:li:person:abc"), ``VERSION`` (LinkedIn-Version, YYYYMM)."""

    declares = NETWORK
    base_url = "https://api.linkedin.com"
    option_names = ("API_URL", "ACCESS_TOKEN", "AUTHOR", "VERSION")
    required_options = ("ACCESS_TOKEN", "AUTHOR")
    supports_images = True

    def __init__(self, alias: str, options: dict) -> None:
        super().__init__(alias, options)
        self.session.headers.update({
            "Authorization": f"Bearer {options.get('ACCESS_TOKEN', '')}",
            "LinkedIn-Version": str(options.get("VERSION", "202511")),
            "X-Restli-Protocol-Version": "2.0.0",
        })

    def build_payload(self, message: OutgoingPost) -> dict:
        """A published, public post; the link is an article (LinkedIn fetches its card)."""
        payload = {
            "author": self.options.get("AUTHOR"),
            "commentary": escape_little_text(message.text),
            "visibility": "PUBLIC",
            "distribution": {"feedDistribution": "MAIN_FEED", "targetEntities": [],
                             "thirdPartyDistributionChannels": []},
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
        }
        if message.link:
            article = {"source": message.link, "title": message.title or message.link}
            if message.description:
                article["description"] = message.description
            payload["content"] = {"article": article}
        return payload

    def upload_media(self, message: OutgoingPost, payload: dict) -> None:
        """initializeUpload for the author, PUT the bytes, then reference the image URN."""
        response = self.request(
            "POST", "/rest/images", params={"action": "initializeUpload"},
            json={"initializeUploadRequest": {"owner": self.options.get("AUTHOR")}},
        )
        value = self.field(self.json(response), "value", publishing=False)
        upload_url = str(self.field(value, "uploadUrl", publishing=False))
        image_urn = str(self.field(value, "image", publishing=False))
        self.request("PUT", upload_url, data=message.image,
                     headers={"Content-Type": message.image_mime_type})
        media = {"id": image_urn}
        if message.image_alt:
            media["altText"] = message.image_alt
        payload["content"] = {"media": media}  # replaces the article: one content per post
        if message.link and message.link not in message.text:
            payload["commentary"] += "\n\n" + escape_little_text(message.link)

    def create_post(self, payload: dict, idempotency_key: str) -> dict:
        """POST /rest/posts; the new post's URN is in the x-restli-id header (201, empty body)."""
        response = self.request("POST", "/rest/posts", json=payload, publishing=True)
        urn = response.headers.get("x-restli-id") or response.headers.get("x-linkedin-id")
        if not urn:
            urn = self.field(self.json(response, publishing=True), "id")
        return {"id": urn}

    def parse_result(self, response: dict) -> SendResult:
        """The share/ugcPost URN and its feed URL."""
        urn = response["id"]
        url = f"https://www.linkedin.com/feed/update/{quote(urn, safe=':')}/"
        return SendResult(remote_id=urn, remote_url=url, raw=response)

    def who_am_i(self) -> str:
        """GET /v2/userinfo (OpenID Connect) for a person; the author URN otherwise."""
        author = self.options.get("AUTHOR", "")
        if author.startswith("urn:li:organization:"):
            org_id = author.rsplit(":", 1)[-1]
            data = self.json(self.request("GET", f"/rest/organizations/{org_id}"))
            return str(data.get("localizedName") or author)
        data = self.json(self.request("GET", "/v2/userinfo"))
        return str(data.get("name") or author)
