"""Each provider against its loopback fake server: the exact request and the parsed answer."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fakes import networks as fk
from wagtail_smo.exceptions import AuthenticationError, PermanentError, UnsupportedFeature
from wagtail_smo.providers import get_provider
from wagtail_smo.providers.base import OutgoingPost
from wagtail_smo.providers.bluesky import BlueskyProvider, facets_for

LINK = "https://blog.example/ünïcode-path/?utm_source=x"
TEXT = f"Grüße 👋 from the café! {LINK} #wagtail #SMO"
IMAGE = b"\xff\xd8\xff\xe0" + b"JFIF-fake-jpeg" * 100
KEY = "3lb2uvhkvxk2c"


def message(**kwargs) -> OutgoingPost:
    values = {"text": TEXT, "link": LINK, "title": "A café title", "description": "About <it>",
              "pk": 7}
    return OutgoingPost(**{**values, **kwargs})


@pytest.fixture
def fake(request):
    alias = request.param
    fake_class = fk.CHANNELS[alias][0]
    with fake_class() as server:
        settings = {"PROVIDERS": {alias: fk.channel_settings(alias, server)}}
        with override_settings(WAGTAIL_SMO=settings):
            BlueskyProvider._sessions.clear()
            yield alias, server, get_provider(alias)


def network(alias):
    return pytest.mark.parametrize("fake", [alias], indirect=True)


@network("mastodon")
def test_mastodon_status_with_media_and_idempotency_key(fake):
    _alias, server, provider = fake
    result = provider.send(message(image=IMAGE, image_alt="A cup"), KEY)
    media = server.requests_to("/api/v2/media")[0]
    assert media.files["file"] == ("image/jpeg", IMAGE) and media.form["description"] == "A cup"
    status = server.requests_to("/api/v1/statuses")[0]
    assert status.header("Idempotency-Key") == KEY
    assert status.header("Authorization") == f"Bearer {fk.MASTODON_TOKEN}"
    assert status.json == {"status": TEXT, "visibility": "public", "media_ids": server.media_ids}
    assert len(server.media_ids) == 1
    assert result.remote_url == f"https://mastodon.example/@smo/{result.remote_id}"
    # The same key again: the instance returns the same status, nothing new is posted.
    again = provider.send(message(), KEY)
    assert again.remote_id == result.remote_id and len(server.posts) == 1


@network("mastodon")
def test_mastodon_respects_the_instance_limit(fake):
    _alias, server, provider = fake
    server.max_characters = 40
    with pytest.raises(PermanentError, match="this instance allows 40"):
        provider.send(message(), KEY)
    assert server.posts == []


@network("mastodon")
def test_mastodon_authentication_error_keeps_network_message(fake):
    _alias, server, _provider = fake
    provider = type(_provider)("mastodon", {**_provider.options, "ACCESS_TOKEN": "wrong-token-1"})
    with pytest.raises(AuthenticationError) as info:
        provider.send(message(), KEY)
    assert info.value.message == "The access token is invalid" and info.value.status == 401
    assert provider.who_am_i  # and the check command reads who_am_i
    with pytest.raises(AuthenticationError):
        provider.who_am_i()


@network("bluesky")
def test_bluesky_record_facets_card_and_rkey(fake):
    _alias, server, provider = fake
    result = provider.send(message(image=IMAGE), KEY)
    create = server.requests_to("createRecord")[0]
    body = create.json
    assert body["repo"] == fk.BLUESKY_DID and body["rkey"] == KEY
    assert body["collection"] == "app.bsky.feed.post"
    record = body["record"]
    assert record["text"] == TEXT and record["createdAt"].endswith("Z")
    encoded = TEXT.encode()
    links = [f for f in record["facets"] if f["features"][0]["$type"].endswith("#link")]
    tags = [f for f in record["facets"] if f["features"][0]["$type"].endswith("#tag")]
    # Byte offsets: the slice of the UTF-8 bytes is the URL / the hashtag.
    assert [encoded[f["index"]["byteStart"]:f["index"]["byteEnd"]].decode() for f in links] == [LINK]
    assert [encoded[f["index"]["byteStart"]:f["index"]["byteEnd"]].decode() for f in tags] == [
        "#wagtail", "#SMO"]
    assert [f["features"][0]["tag"] for f in tags] == ["wagtail", "SMO"]
    external = record["embed"]["external"]
    assert external["uri"] == LINK and external["title"] == "A café title"
    upload = server.requests_to("uploadBlob")[0]
    assert upload.body == IMAGE and upload.header("Content-Type") == "image/jpeg"
    assert external["thumb"]["size"] == len(IMAGE)
    assert result.remote_id == f"at://{fk.BLUESKY_DID}/app.bsky.feed.post/{KEY}"
    assert result.remote_url == f"https://bsky.app/profile/{fk.BLUESKY_HANDLE}/post/{KEY}"


@network("bluesky")
def test_bluesky_session_is_reused_refreshed_and_retry_is_safe(fake):
    _alias, server, provider = fake
    provider.send(message(), KEY)
    provider.send(message(text="second"), "3lb2uvhkvxk2d")
    assert len(server.requests_to("createSession")) == 1
    server.expire_access_token()
    provider.send(message(text="third"), "3lb2uvhkvxk2e")
    assert len(server.requests_to("refreshSession")) == 1
    assert len(server.requests_to("createSession")) == 1
    # A retry with an rkey that already exists answers with the existing record: no second post.
    again = provider.send(message(), KEY)
    assert again.remote_id.endswith(KEY) and len(server.posts) == 3


@network("bluesky")
def test_bluesky_wrong_app_password(fake):
    _alias, _server, provider = fake
    wrong = BlueskyProvider("bluesky", {**provider.options, "APP_PASSWORD": "zzzz-zzzz-zzzz-zzzz"})
    with pytest.raises(AuthenticationError, match="Invalid identifier or password"):
        wrong.send(message(), KEY)


@network("telegram")
def test_telegram_send_message_and_photo(fake):
    _alias, server, provider = fake
    result = provider.send(message(), KEY)
    request = server.requests_to("/sendMessage")[0]
    assert request.path == f"/bot{fk.TELEGRAM_TOKEN}/sendMessage"
    assert request.json == {"chat_id": "@smo_demo", "text": TEXT, "link_preview_options": {
        "url": LINK, "prefer_large_media": True}}
    assert result.remote_url == f"https://t.me/smo_demo/{result.remote_id}"
    provider.send(message(image=IMAGE), KEY)
    photo = server.requests_to("/sendPhoto")[0]
    assert photo.form == {"chat_id": "@smo_demo", "caption": TEXT}
    assert photo.files["photo"] == ("image/jpeg", IMAGE)


@network("telegram")
def test_telegram_long_caption_fails_loudly_unless_allowed(fake):
    alias, server, provider = fake
    with pytest.raises(UnsupportedFeature, match="IGNORE_UNSUPPORTED_FEATURES"):
        provider.send(message(text="x" * 1500, image=IMAGE), KEY)
    lenient = type(provider)(alias, {**provider.options, "IGNORE_UNSUPPORTED_FEATURES": True})
    lenient.send(message(text="x" * 1500, image=IMAGE), KEY)
    assert server.requests_to("/sendMessage") and not server.requests_to("/sendPhoto")


@network("telegram")
def test_telegram_error_message_has_no_token(fake):
    alias, _server, provider = fake
    wrong = type(provider)(alias, {**provider.options, "CHAT_ID": "@nope"})
    with pytest.raises(PermanentError) as info:
        wrong.send(message(), KEY)
    assert info.value.message == "Bad Request: chat not found"
    assert fk.TELEGRAM_TOKEN not in str(info.value)


@network("linkedin")
def test_linkedin_post_with_article(fake):
    _alias, server, provider = fake
    result = provider.send(message(text="Read (this) [now] @home #wagtail"), KEY)
    request = server.requests_to("/rest/posts")[0]
    assert request.header("LinkedIn-Version") == "202511"
    assert request.header("X-Restli-Protocol-Version") == "2.0.0"
    assert request.json["author"] == "urn:li:person:abc"
    assert request.json["commentary"] == r"Read \(this\) \[now\] \@home #wagtail"
    assert request.json["content"] == {"article": {"source": LINK, "title": "A café title",
                                                   "description": "About <it>"}}
    assert request.json["lifecycleState"] == "PUBLISHED"
    assert result.remote_id.startswith("urn:li:share:")
    assert result.remote_url == f"https://www.linkedin.com/feed/update/{result.remote_id}/"
    with pytest.raises(PermanentError, match="duplicate"):
        provider.send(message(text="Read (this) [now] @home #wagtail"), KEY)


@network("linkedin")
def test_linkedin_image_is_unsupported_by_default(fake):
    _alias, server, provider = fake
    with pytest.raises(UnsupportedFeature):
        provider.send(message(image=IMAGE), KEY)
    assert server.requests == []


@network("facebook")
def test_facebook_page_feed(fake):
    _alias, server, provider = fake
    result = provider.send(message(), KEY)
    request = server.requests_to("/feed")[0]
    assert request.path == "/v21.0/1234567890/feed"
    assert request.form == {"message": TEXT, "link": LINK, "access_token": fk.FACEBOOK_TOKEN}
    assert fk.FACEBOOK_TOKEN not in request.path and not request.query
    assert result.remote_url == f"https://www.facebook.com/{result.remote_id}"
    assert provider.who_am_i() == "SMO Demo Page"


@network("facebook")
def test_facebook_oauth_error(fake):
    alias, _server, provider = fake
    wrong = type(provider)(alias, {**provider.options, "PAGE_ACCESS_TOKEN": "EAAbad"})
    with pytest.raises(AuthenticationError, match="Invalid OAuth access token"):
        wrong.send(message(), KEY)


@network("threads")
def test_threads_container_then_publish(fake):
    _alias, server, provider = fake
    result = provider.send(message(), KEY)
    container, publish = server.requests_to("/threads", "POST")
    assert container.path == "/v1.0/1789/threads"
    assert container.form == {"media_type": "TEXT", "text": TEXT, "link_attachment": LINK,
                              "access_token": fk.THREADS_TOKEN}
    assert publish.path == "/v1.0/1789/threads_publish"
    assert publish.form["creation_id"] in server.containers
    assert result.remote_url.startswith("https://www.threads.net/@smo_demo/post/")
    assert len(server.posts) == 1


@network("x")
def test_x_signed_with_oauth1(fake):
    _alias, server, provider = fake
    result = provider.send(message(), KEY)
    request = server.requests_to("/2/tweets")[0]
    assert request.json == {"text": TEXT}
    assert request.header("Authorization").startswith("OAuth ")
    assert 'oauth_signature_method="HMAC-SHA1"' in request.header("Authorization")
    assert result.remote_url == f"https://x.com/i/web/status/{result.remote_id}"
    assert provider.who_am_i() == "@smo_demo"


@network("x")
def test_x_wrong_secret_is_refused_by_signature_check(fake):
    alias, server, provider = fake
    wrong = type(provider)(alias, {**provider.options, "ACCESS_TOKEN_SECRET": "not-the-secret"})
    with pytest.raises(AuthenticationError, match="Unauthorized"):
        wrong.send(message(), KEY)
    assert server.posts == []


@network("x")
def test_x_duplicate_content_is_permanent_with_network_message(fake):
    _alias, _server, provider = fake
    provider.send(message(), KEY)
    with pytest.raises(AuthenticationError, match="duplicate content"):
        provider.send(message(), KEY)


@network("vk")
def test_vk_wall_post_with_guid(fake):
    _alias, server, provider = fake
    result = provider.send(message(), KEY)
    request = server.requests_to("/method/wall.post")[0]
    assert request.form == {"owner_id": "-123456", "from_group": "1", "message": TEXT,
                            "attachments": LINK, "guid": KEY, "access_token": fk.VK_TOKEN,
                            "v": "5.199"}
    assert result.remote_url == f"https://vk.com/wall-123456_{result.remote_id}"
    assert provider.send(message(), KEY).remote_id == result.remote_id
    assert len(server.posts) == 1
    assert provider.who_am_i() == "SMO Demo"


@network("vk")
def test_vk_error_inside_http_200(fake):
    alias, _server, provider = fake
    wrong = type(provider)(alias, {**provider.options, "ACCESS_TOKEN": "vk1.a.wrong"})
    with pytest.raises(AuthenticationError) as info:
        wrong.send(message(), KEY)
    assert info.value.message == "User authorization failed: invalid access_token (4)."


@network("webhook")
def test_webhook_json_signed_with_hmac(fake):
    _alias, server, provider = fake
    result = provider.send(message(image_url="https://blog.example/img.jpg"), KEY)
    request = server.requests_to("/hook")[0]
    timestamp = request.header("X-SMO-Timestamp")
    expected = hmac.new(fk.WEBHOOK_SECRET.encode(), timestamp.encode() + b"." + request.body,
                        hashlib.sha256).hexdigest()
    assert request.header("X-SMO-Signature") == f"sha256={expected}"
    assert request.header("X-SMO-Delivery") == KEY
    assert request.json["text"] == TEXT and request.json["link"] == LINK
    assert request.json["image_url"] == "https://blog.example/img.jpg"
    assert result.remote_id == "run-1" and result.remote_url.startswith("https://n8n.example/")


@network("webhook")
def test_webhook_wrong_secret_is_rejected_by_receiver(fake):
    alias, _server, provider = fake
    wrong = type(provider)(alias, {**provider.options, "SECRET": "whsec_wrong"})
    with pytest.raises(AuthenticationError, match="Bad signature"):
        wrong.send(message(), KEY)


_words = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="#"),
                 max_size=20).map(lambda s: s.replace("http", "htp"))


@settings(max_examples=200, deadline=None)
@given(before=_words, after=_words,
       path=st.text(st.characters(whitelist_categories=("L", "N")), min_size=1, max_size=12))
def test_bluesky_link_facet_offsets_are_utf8_bytes(before, after, path):
    url = f"https://example.com/{path}"
    text = f"{before} {url} {after}"
    encoded = text.encode()
    links = [f for f in facets_for(text) if f["features"][0]["$type"].endswith("#link")]
    assert len(links) == 1
    index = links[0]["index"]
    assert encoded[index["byteStart"]:index["byteEnd"]].decode() == url == links[0]["features"][0]["uri"]
