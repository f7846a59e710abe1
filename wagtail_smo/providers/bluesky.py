"""Bluesky (AT Protocol): createRecord with a client-chosen rkey, link facets, an external card."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any, ClassVar

import requests

from ..core.networks import (
    FOREVER,
    CardStyle,
    CountingRule,
    Features,
    FieldLimits,
    ImageNeeds,
    Network,
    ShareLink,
)
from ..core.text import HASHTAG_RE, find_urls
from ..exceptions import AuthenticationError, PermanentError, ProviderError
from .base import OutgoingPost, SendResult
from .http import HttpProvider

BLOB_LIMIT = 1_000_000
POST_COLLECTION = "app.bsky.feed.post"


def byte_offsets(text: str, start: int, end: int) -> tuple[int, int]:
    """UTF-8 byte offsets of the character range ``text[start:end]`` (facets count bytes)."""
    return len(text[:start].encode()), len(text[:end].encode())


def facets_for(text: str) -> list[dict]:
    """Link facets for every URL and tag facets for every #hashtag in ``text``."""
    facets = []
    for url in find_urls(text):  # every host, localhost and IP included, as Bluesky's own app
        start, end = byte_offsets(text, url.start, url.end)
        facets.append({
            "index": {"byteStart": start, "byteEnd": end},
            "features": [{"$type": "app.bsky.richtext.facet#link", "uri": url.url}],
        })
    for match in HASHTAG_RE.finditer(text):
        start, end = byte_offsets(text, match.start(1), match.end(1))
        facets.append({
            "index": {"byteStart": start, "byteEnd": end},
            "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": match.group(2)}],
        })
    return sorted(facets, key=lambda facet: facet["index"]["byteStart"])


NETWORK = Network(
    "bluesky", "Bluesky",
    counting=CountingRule("graphemes", 300),
    template="{title}\n\n{description}\n\n{link}",
    card=CardStyle(title_max=70, description_max=150, aspect="1.91:1"),
    limits=FieldLimits(description=150),
    images=ImageNeeds(sizes=(("card", 1200, 630),), max_bytes=BLOB_LIMIT),
    features=Features(images=True, alt_text=True, link_cards=True, idempotency="record key",
                      dedup_window=FOREVER, metrics=True),
    share=ShareLink("https://bsky.app/intent/compose?text={text}"),
)


class BlueskyProvider(HttpProvider):
    """OPTIONS: ``HANDLE`` ("example.bsky.social"), ``APP_PASSWORD`` (Settings > App passwords),
    ``API_URL`` (the PDS, default "https://bsky.social")."""

    declares = NETWORK
    base_url = "https://bsky.social"
    option_names = ("API_URL", "HANDLE", "APP_PASSWORD")
    required_options = ("HANDLE", "APP_PASSWORD")
    deduplicates = NETWORK.features.dedup_window > 0  # the rkey is ours: never a second post
    supports_images = True
    can_look_up = True

    #: Sessions kept per (PDS, handle): createSession is rate limited (30 per 5 minutes).
    _sessions: ClassVar[dict[tuple[str, str], dict]] = {}
    _lock: ClassVar[threading.Lock] = threading.Lock()

    @property
    def _session_key(self) -> tuple[str, str]:
        return (self.api_url, self.options.get("HANDLE", ""))

    def login(self, *, refresh: bool = False) -> dict:
        """The cached session; refreshed with refreshJwt, or created again when that fails."""
        with self._lock:
            session = self._sessions.get(self._session_key)
            if session and not refresh:
                return session
            if session:
                try:
                    response = self.request(
                        "POST", "/xrpc/com.atproto.server.refreshSession",
                        headers={"Authorization": f"Bearer {session['refreshJwt']}"},
                    )
                    session = self.json(response)
                except ProviderError:
                    session = None
            if not session:
                response = self.request("POST", "/xrpc/com.atproto.server.createSession", json={
                    "identifier": self.options.get("HANDLE"),
                    "password": self.options.get("APP_PASSWORD"),
                })
                session = self.json(response)
            self._sessions[self._session_key] = session
            return session

    def xrpc(self, method: str, nsid: str, *, publishing: bool = False,
             **kwargs: Any) -> requests.Response:
        """An authenticated XRPC call; an expired access token is refreshed once."""
        extra = kwargs.pop("headers", {})
        for refresh in (False, True):
            session = self.login(refresh=refresh)
            headers = {**extra, "Authorization": f"Bearer {session['accessJwt']}"}
            try:
                return self.request(method, f"/xrpc/{nsid}", headers=headers,
                                    publishing=publishing, **kwargs)
            except (AuthenticationError, PermanentError) as exc:
                expired = "expired" in exc.message.lower() or exc.status == 401
                if refresh or not expired:
                    raise
        raise AssertionError("unreachable")

    def build_payload(self, message: OutgoingPost) -> dict:
        """An app.bsky.feed.post record with facets and, with a link, an external card."""
        record: dict[str, Any] = {
            "$type": POST_COLLECTION,
            "text": message.text,
            "createdAt": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
        }
        facets = facets_for(message.text)
        if facets:
            record["facets"] = facets
        if message.link:
            record["embed"] = {"$type": "app.bsky.embed.external", "external": {
                "uri": message.link, "title": message.title or message.link,
                "description": message.description or "",
            }}
        return record

    def upload_media(self, message: OutgoingPost, payload: dict) -> None:
        """uploadBlob; the blob becomes the card's thumb (or an image embed without a link)."""
        if len(message.image or b"") > BLOB_LIMIT:
            self.unsupported_feature(f"an image over {BLOB_LIMIT:,} bytes")
            return
        response = self.xrpc("POST", "com.atproto.repo.uploadBlob", data=message.image,
                             headers={"Content-Type": message.image_mime_type})
        blob = self.field(self.json(response), "blob", publishing=False)
        if "embed" in payload:
            payload["embed"]["external"]["thumb"] = blob
        else:
            payload["embed"] = {"$type": "app.bsky.embed.images",
                                "images": [{"image": blob, "alt": message.image_alt}]}

    def create_post(self, payload: dict, idempotency_key: str) -> dict:
        """createRecord with rkey = the post's delivery key; if the record already exists (a retry
        of a request that went through), the existing record is the answer."""
        did = self.login()["did"]
        body = {"repo": did, "collection": POST_COLLECTION, "rkey": idempotency_key,
                "record": payload}
        try:
            response = self.xrpc("POST", "com.atproto.repo.createRecord", json=body,
                                 publishing=True)
        except PermanentError:
            existing = self.existing_record(did, idempotency_key)
            if existing is None:
                raise
            return existing
        return self.json(response, publishing=True)

    def existing_record(self, did: str, rkey: str) -> dict | None:
        """The post record with ``rkey`` if it exists (getRecord), else None."""
        try:
            response = self.xrpc("GET", "com.atproto.repo.getRecord", params={
                "repo": did, "collection": POST_COLLECTION, "rkey": rkey})
        except PermanentError:
            return None
        return self.json(response)

    def look_up(self, idempotency_key: str) -> SendResult | None:
        """getRecord of the post's rkey: the post if it was created, else None."""
        existing = self.existing_record(self.login()["did"], idempotency_key)
        return None if existing is None else self.parse_result(existing)

    def parse_result(self, response: dict) -> SendResult:
        """The at:// URI, and the bsky.app URL of the post."""
        uri = str(self.field(response, "uri"))
        rkey = uri.rsplit("/", 1)[-1]
        handle = self.options.get("HANDLE", "")
        return SendResult(remote_id=uri,
                          remote_url=f"https://bsky.app/profile/{handle}/post/{rkey}", raw=response)

    def who_am_i(self) -> str:
        """com.atproto.server.getSession."""
        data = self.json(self.xrpc("GET", "com.atproto.server.getSession"))
        return f"@{self.field(data, 'handle', publishing=False)}"
