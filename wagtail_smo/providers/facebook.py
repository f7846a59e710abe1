"""Facebook Page: POST /{page-id}/feed with a message and a link, or POST /{page-id}/photos with
the image, with a Page access token.

Followed for photos: Graph API "Photo uploads" (developers.facebook.com/docs/graph-api/
photo-uploads) — a photo is given either as ``url`` or as a multipart file upload, a single
photo is posted at once and the answer carries the photo ``id`` and the story's ``post_id``; and
the Page Photos reference (docs/graph-api/reference/page/photos) for ``message``, the text of the
photo's feed story. A photo post has no link card, so the link is kept in the text.
"""

from __future__ import annotations

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
from .graph import GraphProvider

#: Payload key (never sent as a form field) holding the image file for the /photos call.
PHOTO = "_photo"


NETWORK = Network(
    "facebook", "Facebook",
    counting=CountingRule("codepoints", 63206),
    template="{description}\n\n{link}",
    card=CardStyle(title_max=60, description_max=110, aspect="1.91:1"),
    limits=FieldLimits(title=60, description=110),
    images=ImageNeeds(sizes=(("card", 1200, 630),), aspect="1.91:1", max_bytes=8_000_000,
                      formats=("jpeg", "png", "gif", "webp")),
    features=Features(images=True, link_cards=True, metrics=True),
    share=ShareLink("https://www.facebook.com/sharer/sharer.php?u={url}"),
)


class FacebookProvider(GraphProvider):
    """OPTIONS: ``PAGE_ID``, ``PAGE_ACCESS_TOKEN`` (a long-lived Page token with
    pages_manage_posts), ``API_VERSION`` (default "v21.0")."""

    declares = NETWORK
    base_url = "https://graph.facebook.com"
    option_names = ("API_URL", "API_VERSION", "PAGE_ID", "PAGE_ACCESS_TOKEN")
    default_version = "v21.0"
    required_options = ("PAGE_ID", "PAGE_ACCESS_TOKEN")
    supports_images = True

    def build_payload(self, message: OutgoingPost) -> dict:
        """message and link (Facebook builds the card from the page's Open Graph tags)."""
        payload = {"message": message.text}
        if message.link:
            payload["link"] = message.link
        return payload

    def upload_media(self, message: OutgoingPost, payload: dict) -> None:
        """Turn the feed post into a photo post: the image bytes go up as the multipart file.

        The bytes are the rendition the editor attached; a ``url`` would make Facebook fetch
        whatever the site serves there, which a staging or private site may not serve at all.
        """
        link = payload.pop("link", "")
        # The default template puts {link} in the text; an edited text may have dropped it, and a
        # photo post has no other place for the link.
        if link and link not in payload["message"]:
            payload["message"] = f"{payload['message']}\n\n{link}".strip()
        extension = "png" if message.image_mime_type == "image/png" else "jpg"
        payload[PHOTO] = (f"image.{extension}", message.image, message.image_mime_type)

    def create_post(self, payload: dict, idempotency_key: str) -> dict:
        """POST /{version}/{page-id}/feed, or /photos with the image (one call either way: a
        single photo is published as it is uploaded); the token goes in the body, not the URL."""
        fields = {key: value for key, value in payload.items() if key != PHOTO}
        fields["access_token"] = self.options.get("PAGE_ACCESS_TOKEN")
        edge, files = ("photos", {"source": payload[PHOTO]}) if PHOTO in payload else ("feed", None)
        response = self.request(
            "POST", f"/{self.version}/{self.options.get('PAGE_ID')}/{edge}",
            data=fields, files=files, publishing=True,
        )
        return self.json(response, publishing=True)

    def parse_result(self, response: dict) -> SendResult:
        """The "{page}_{post}" id (``post_id`` of a photo's story) and its facebook.com URL."""
        post_id = str(response.get("post_id") or self.field(response, "id"))
        return SendResult(remote_id=post_id, remote_url=f"https://www.facebook.com/{post_id}",
                          raw=response)

    def who_am_i(self) -> str:
        """GET /me with the Page token: the Page's name."""
        response = self.request("GET", f"/{self.version}/me", params={
            "fields": "id,name", "access_token": self.options.get("PAGE_ACCESS_TOKEN")})
        return str(self.field(self.json(response), "name", publishing=False))
