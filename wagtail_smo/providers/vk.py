"""VK: wall.post to a community wall, with ``guid`` so that a repeated call adds no second post.

VK answers errors with HTTP 200 and ``{"error": {"error_code", "error_msg"}}``.

Followed for images: VK's wall photo upload (dev.vk.com photos.getWallUploadServer,
photos.saveWallPhoto, wall.post; and its use in public clients): ``photos.getWallUploadServer``
with ``group_id`` gives an ``upload_url``; the file is POSTed there as the multipart field
``photo`` and the upload server answers ``{"server", "photo", "hash"}`` (``photo`` is "[]" when it
took nothing); ``photos.saveWallPhoto`` with ``group_id``, ``server``, ``photo``, ``hash`` answers
a list of saved photos with ``owner_id`` and ``id``; ``wall.post`` attaches it as
``photo{owner_id}_{id}``. ``attachments`` is a comma-separated list that may also hold one link,
so the link stays attached.
"""

from __future__ import annotations

from typing import Any

from ..core.networks import (
    FOREVER,
    CardStyle,
    CountingRule,
    Features,
    ImageNeeds,
    Network,
    ShareLink,
)
from ..exceptions import (
    AuthenticationError,
    PermanentError,
    ProviderError,
    RateLimited,
    TemporaryError,
)
from .base import OutgoingPost, SendResult
from .http import ErrorRow, HttpProvider

RATE_LIMIT_CODES = {6: 1.0, 9: 3600.0, 29: 3600.0}  # too many per second, flood control, limit
AUTH_CODES = {5, 15, 17, 27, 28}
TEMPORARY_CODES = {1, 10}


NETWORK = Network(
    "vk", "VK",
    counting=CountingRule("codepoints", 16384),
    template="{title}\n\n{description}\n\n{link}\n\n{hashtags}",
    # A link snippet under the post: a wide image (VK recommends 537×240, about 2:1), the title
    # (cut at about 80 characters) and the domain; no description.
    card=CardStyle(title_max=80, description_max=None, aspect="2:1", site_label="domain"),
    images=ImageNeeds(sizes=(("card", 1200, 630),)),
    features=Features(images=True, link_cards=True, idempotency="guid", dedup_window=FOREVER,
                      metrics=True),
    share=ShareLink("https://vk.com/share.php?url={url}&title={title}&image={image}"),
)


class VKProvider(HttpProvider):
    """OPTIONS: ``ACCESS_TOKEN`` (a community or user token with the wall scope; posting images
    also takes the photos scope), ``GROUP_ID`` (the community's numeric id, without minus),
    ``API_VERSION`` (default "5.199")."""

    declares = NETWORK
    base_url = "https://api.vk.com"
    option_names = ("API_URL", "API_VERSION", "ACCESS_TOKEN", "GROUP_ID")
    required_options = ("ACCESS_TOKEN", "GROUP_ID")
    deduplicates = NETWORK.features.dedup_window > 0  # guid
    supports_images = True
    #: VK's error codes, which arrive inside HTTP 200 answers.
    api_errors = (
        *(ErrorRow(RateLimited, codes={code}, retry_after=wait)
          for code, wait in RATE_LIMIT_CODES.items()),
        ErrorRow(AuthenticationError, codes=AUTH_CODES),
        ErrorRow(TemporaryError, codes=TEMPORARY_CODES),
    )

    def method(self, name: str, params: dict, *, publishing: bool = False) -> Any:
        """Call a VK API method (POST form) and return its ``response``."""
        data = {**params, "access_token": self.options.get("ACCESS_TOKEN"),
                "v": self.options.get("API_VERSION", "5.199")}
        response = self.request("POST", f"/method/{name}", data=data, publishing=publishing)
        body = self.json(response, publishing=publishing)
        if isinstance(body, dict) and "error" in body:
            raise self.api_error(body["error"], response.status_code)
        return self.field(body, "response", publishing=publishing)

    def api_error(self, error: dict, status: int) -> ProviderError:
        """Map VK's error_code to the exception hierarchy (``api_errors``)."""
        code = int(error.get("error_code", 0))
        message = str(error.get("error_msg") or f"VK error {code}")
        return self.api_error_for(message, status=status, codes=[code])

    def build_payload(self, message: OutgoingPost) -> dict:
        """owner_id = -GROUP_ID, posted as the community; the link as an attachment."""
        payload = {"owner_id": f"-{self.options.get('GROUP_ID')}", "from_group": 1,
                   "message": message.text}
        if message.link:
            payload["attachments"] = message.link
        return payload

    def upload_media(self, message: OutgoingPost, payload: dict) -> None:
        """getWallUploadServer, POST the photo to its upload_url, saveWallPhoto, then attach
        ``photo{owner_id}_{id}`` before the link."""
        group = self.options.get("GROUP_ID")
        server = self.method("photos.getWallUploadServer", {"group_id": group})
        upload_url = str(self.field(server, "upload_url", publishing=False))
        extension = "png" if message.image_mime_type == "image/png" else "jpg"
        # The upload server is another host; it gets the file only, never the token.
        uploaded = self.json(self.request(
            "POST", upload_url,
            files={"photo": (f"image.{extension}", message.image, message.image_mime_type)}))
        if not isinstance(uploaded, dict) or uploaded.get("error"):
            reason = uploaded.get("error") if isinstance(uploaded, dict) else uploaded
            raise self.error(PermanentError, f"VK's upload server refused the photo: {reason}")
        if uploaded.get("photo") in (None, "", "[]"):
            raise self.error(PermanentError,
                             "VK's upload server took no photo (is the file a JPEG or PNG?).")
        saved = self.method("photos.saveWallPhoto", {
            "group_id": group, "server": uploaded.get("server"), "photo": uploaded["photo"],
            "hash": uploaded.get("hash")})
        photo = self.field(saved, 0, publishing=False)  # a list of one saved photo
        owner = self.field(photo, "owner_id", publishing=False)
        attachment = f"photo{owner}_{self.field(photo, 'id', publishing=False)}"
        payload["attachments"] = ",".join(filter(None, [attachment, payload.get("attachments")]))

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
