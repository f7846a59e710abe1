"""Telegram: a bot posts to a channel with sendMessage, or sendPhoto when the post has an image."""

from __future__ import annotations

import requests

from ..core.networks import (
    CardStyle,
    CountingRule,
    Features,
    FieldLimits,
    ImageNeeds,
    Network,
    ShareLink,
)
from ..exceptions import AuthenticationError, ProviderError, RateLimited, TemporaryError
from .base import OutgoingPost, SendResult
from .http import FROM_ANSWER, ErrorRow, HttpProvider

CAPTION_LIMIT = 1024


NETWORK = Network(
    "telegram", "Telegram",
    counting=CountingRule("utf16", 4096, image_limit=1024),  # a photo caption: 1024
    template="{title}\n\n{description}\n\n{link}",
    card=CardStyle(title_max=100, description_max=200, aspect="1.91:1", site_label="site_name"),
    limits=FieldLimits(description=200),
    images=ImageNeeds(sizes=(("photo", 1280, 720),), max_bytes=10_000_000),
    # The Bot API exposes no view counts of channel posts.
    features=Features(images=True, link_cards=True, metrics=False),
    share=ShareLink("https://t.me/share/url?url={url}&text={title}"),
)


class TelegramProvider(HttpProvider):
    """OPTIONS: ``BOT_TOKEN`` (from @BotFather; the bot is an admin of the channel), ``CHAT_ID``
    ("@channelname" or a numeric id), ``DISABLE_LINK_PREVIEW`` (False)."""

    declares = NETWORK
    base_url = "https://api.telegram.org"
    option_names = ("API_URL", "BOT_TOKEN", "CHAT_ID", "DISABLE_LINK_PREVIEW")
    required_options = ("BOT_TOKEN", "CHAT_ID")
    supports_images = True
    #: ``error_code`` follows HTTP's meaning; a rate limit says how long in parameters.retry_after.
    api_errors = (
        ErrorRow(RateLimited, codes={429}, retry_after=FROM_ANSWER),
        ErrorRow(AuthenticationError, codes={401, 403}),
        ErrorRow(TemporaryError, codes=range(500, 1000)),
    )

    def method_url(self, method: str) -> str:
        """The Bot API URL of ``method`` (it contains the token: never log or show it)."""
        return f"{self.api_url}/bot{self.options.get('BOT_TOKEN', '')}/{method}"

    def call(self, method: str, *, publishing: bool = False, **kwargs) -> dict:
        """Call a Bot API method; ``{"ok": false}`` answers become ProviderErrors."""
        response = self.request("POST", self.method_url(method), publishing=publishing, **kwargs)
        data = self.json(response, publishing=publishing)
        if not data.get("ok"):
            raise self.api_error(data, response.status_code)
        return self.field(data, "result", publishing=publishing)

    def check_response(self, response: requests.Response) -> None:
        """Telegram explains errors in the JSON body: let call() read it."""
        if response.status_code >= 400:
            try:
                data = response.json()
            except ValueError:
                return super().check_response(response)
            raise self.api_error(data, response.status_code)

    def api_error(self, data: dict, status: int) -> ProviderError:
        """Map ``error_code`` / ``parameters.retry_after`` to the exception hierarchy."""
        code = data.get("error_code") or status
        message = data.get("description") or f"Error {code}"
        retry_after = (data.get("parameters") or {}).get("retry_after")
        return self.api_error_for(message, status=status, codes=[code], retry_after=retry_after)

    def build_payload(self, message: OutgoingPost) -> dict:
        """sendMessage arguments: plain text (no parse_mode, nothing to escape), link preview."""
        payload = {"chat_id": self.options.get("CHAT_ID"), "text": message.text}
        if self.options.get("DISABLE_LINK_PREVIEW"):
            payload["link_preview_options"] = {"is_disabled": True}
        elif message.link:
            payload["link_preview_options"] = {"url": message.link, "prefer_large_media": True}
        return payload

    def upload_media(self, message: OutgoingPost, payload: dict) -> None:
        """Turn the message into a sendPhoto with the text as caption."""
        if len(message.text) > CAPTION_LIMIT:
            self.unsupported_feature(f"an image with a caption over {CAPTION_LIMIT} characters")
            return
        payload["photo"] = message.image
        payload["photo_type"] = message.image_mime_type

    def create_post(self, payload: dict, idempotency_key: str) -> dict:
        """sendMessage, or sendPhoto (multipart) when there is an image."""
        if "photo" in payload:
            data = {"chat_id": payload["chat_id"], "caption": payload["text"]}
            files = {"photo": ("image.jpg", payload["photo"], payload["photo_type"])}
            return self.call("sendPhoto", data=data, files=files, publishing=True)
        return self.call("sendMessage", json=payload, publishing=True)

    def parse_result(self, response: dict) -> SendResult:
        """message_id, and the t.me link for a public channel."""
        message_id = str(self.field(response, "message_id"))
        username = (response.get("chat") or {}).get("username")
        url = f"https://t.me/{username}/{message_id}" if username else ""
        return SendResult(remote_id=message_id, remote_url=url, raw=response)

    def who_am_i(self) -> str:
        """getMe, then getChat for the target channel."""
        bot = self.call("getMe")
        chat = self.call("getChat", json={"chat_id": self.options.get("CHAT_ID")})
        return f"@{bot.get('username')} -> {chat.get('title') or chat.get('username')}"
