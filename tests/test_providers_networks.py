"""Each provider against its loopback fake server: the exact request and the parsed answer."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fakes import networks as fk
from wagtail_smo.exceptions import (
    AuthenticationError,
    PermanentError,
    ProviderError,
    TemporaryError,
    UnsupportedFeature,
)
from wagtail_smo.providers import get_provider
from wagtail_smo.providers.base import OutgoingPost
from wagtail_smo.providers.bluesky import BlueskyProvider, facets_for
from wagtail_smo.providers.linkedin import escape_little_text

LINK = "https://blog.example/ünïcode-path/?utm_source=x"
TEXT = f"Grüße 👋 from the café! {LINK} #wagtail #SMO"
IMAGE = b"\xff\xd8\xff\xe0" + b"JFIF-fake-jpeg" * 100
PNG = b"\x89PNG\r\n\x1a\n" + b"fake-png" * 50
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


def with_options(provider, **options):
    """The same channel with some options replaced, e.g. a wrong token."""
    return type(provider)(provider.alias, {**provider.options, **options})


def credentials(provider) -> list[str]:
    """The secret option values of a channel (tokens, secrets, passwords)."""
    return [value for name, value in provider.options.items()
            if isinstance(value, str) and value
            and any(word in name for word in ("TOKEN", "SECRET", "PASSWORD"))]


# A channel whose settings the network refuses: (network, options replaced, error class, HTTP
# status, the network's own message as the error carries it).
REFUSED = [
    ("mastodon", {"ACCESS_TOKEN": "wrong-token-1"}, AuthenticationError, 401,
     "The access token is invalid"),
    ("bluesky", {"APP_PASSWORD": "zzzz-zzzz-zzzz-zzzz"}, AuthenticationError, 401,
     "Invalid identifier or password"),
    ("telegram", {"CHAT_ID": "@nope"}, PermanentError, 400, "Bad Request: chat not found"),
    ("facebook", {"PAGE_ACCESS_TOKEN": "EAAbad"}, AuthenticationError, 400,
     "Invalid OAuth access token - Cannot parse access token"),
    # X checks the OAuth 1.0a signature: a wrong secret is refused before anything is posted.
    ("x", {"ACCESS_TOKEN_SECRET": "not-the-secret"}, AuthenticationError, 401, "Unauthorized"),
    # VK answers errors inside an HTTP 200.
    ("vk", {"ACCESS_TOKEN": "vk1.a.wrong"}, AuthenticationError, 200,
     "User authorization failed: invalid access_token (4)."),
    # The receiver checks the HMAC signature.
    ("webhook", {"SECRET": "whsec_wrong"}, AuthenticationError, 401, "Bad signature"),
]


@pytest.mark.parametrize("fake, options, error, status, network_message", REFUSED,
                         indirect=["fake"], ids=[case[0] for case in REFUSED])
def test_refused_settings_fail_with_the_networks_message_and_no_secret(
        fake, options, error, status, network_message):
    _alias, server, provider = fake
    wrong = with_options(provider, **options)
    with pytest.raises(error) as info:
        wrong.send(message(), KEY)
    assert info.value.message == network_message and info.value.status == status
    assert network_message in str(info.value)
    assert server.posts == []
    # Neither the right credentials nor the wrong ones may show in the error.
    for secret in credentials(provider) + credentials(wrong):
        assert secret not in str(info.value)


@network("mastodon")
def test_mastodon_who_am_i_with_a_wrong_token_fails_too(fake):
    _alias, _server, provider = fake
    # The check command reads who_am_i: the network's refusal must reach it, not a name.
    with pytest.raises(AuthenticationError):
        with_options(provider, ACCESS_TOKEN="wrong-token-1").who_am_i()


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
    lenient = with_options(provider, IGNORE_UNSUPPORTED_FEATURES=True)
    lenient.send(message(text="x" * 1500, image=IMAGE), KEY)
    assert server.requests_to("/sendMessage") and not server.requests_to("/sendPhoto")


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
def test_linkedin_image_uploaded_then_referenced_by_the_post(fake):
    _alias, server, provider = fake
    result = provider.send(message(image=IMAGE, image_alt="A cup"), KEY)
    initialize, put, post = server.requests
    assert (initialize.method, initialize.path, initialize.query) == (
        "POST", "/rest/images", {"action": ["initializeUpload"]})
    assert initialize.json == {"initializeUploadRequest": {"owner": "urn:li:person:abc"}}
    assert initialize.header("LinkedIn-Version") == "202511"
    [urn] = server.images
    assert put.method == "PUT" and put.path == f"/dms-uploads/{urn.rsplit(':', 1)[-1]}"
    assert put.body == IMAGE and put.header("Authorization") == f"Bearer {fk.LINKEDIN_TOKEN}"
    assert server.images[urn] == {"owner": "urn:li:person:abc", "data": IMAGE}
    # The image replaces the article (one content per post); the link is in the commentary.
    assert post.path == "/rest/posts"
    assert post.json["content"] == {"media": {"id": urn, "altText": "A cup"}}
    assert post.json["commentary"] == escape_little_text(TEXT)
    assert server.posts == [post.json] and result.remote_id.startswith("urn:li:share:")


@network("linkedin")
def test_linkedin_image_post_keeps_a_link_missing_from_the_text(fake):
    _alias, server, provider = fake
    provider.send(message(text="No link (here)", image=PNG, image_mime_type="image/png"), KEY)
    post = server.requests_to("/rest/posts")[0]
    assert post.json["commentary"] == r"No link \(here\)" + "\n\n" + escape_little_text(LINK)
    assert "media" in post.json["content"] and "article" not in post.json["content"]


# A file that is no image, refused by the network's upload: (network, the network's message, HTTP
# status, the path of the post itself, which must never be called).
NOT_AN_IMAGE = [
    ("linkedin", "Uploaded file is not a supported image format", 400, "/rest/posts"),
    ("facebook", "(#324) Missing or invalid image file", 400, "/feed"),
    ("x", "media type unrecognized.", 400, "/2/tweets"),
]


@pytest.mark.parametrize("fake, expected, status, post_path", NOT_AN_IMAGE, indirect=["fake"],
                         ids=[case[0] for case in NOT_AN_IMAGE])
def test_refused_upload_fails_with_the_networks_message_and_posts_nothing(
    fake, expected, status, post_path
):
    _alias, server, provider = fake
    with pytest.raises(PermanentError) as info:
        provider.send(message(image=b"<html>not an image</html>"), KEY)
    assert info.value.message == expected and info.value.status == status
    assert server.posts == [] and not server.requests_to(post_path)
    for secret in credentials(provider):
        assert secret not in str(info.value)


@network("linkedin")
def test_linkedin_post_must_reference_an_uploaded_image_of_its_author(fake):
    """The fake refuses what LinkedIn refuses: an image never uploaded, or another owner's."""
    _alias, server, provider = fake
    with pytest.raises(PermanentError, match="was not uploaded"):
        provider.create_post({"author": "urn:li:person:abc", "commentary": "x",
                              "content": {"media": {"id": "urn:li:image:nope"}}}, KEY)
    payload = provider.build_payload(message())
    provider.upload_media(message(image=IMAGE), payload)  # owned by urn:li:person:abc
    payload["author"] = "urn:li:organization:42"
    with pytest.raises(PermanentError, match="owned by post author"):
        provider.create_post(payload, KEY)
    assert server.posts == []


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
def test_facebook_image_is_a_photo_post_with_the_link_in_its_text(fake):
    _alias, server, provider = fake
    result = provider.send(message(image=IMAGE, image_alt="A cup"), KEY)
    assert not server.requests_to("/feed")
    request = server.requests_to("/photos")[0]
    assert request.path == "/v21.0/1234567890/photos"
    # No "link" field: a photo post has no card; the link is already in the composed text.
    assert request.form == {"message": TEXT, "access_token": fk.FACEBOOK_TOKEN}
    assert request.files["source"] == ("image/jpeg", IMAGE)
    assert not request.query
    [post] = server.posts
    assert server.photos[post["photo_id"]] == IMAGE
    # The id of the photo's feed story, not the photo's own id.
    assert result.remote_id == post["post_id"] != post["photo_id"]
    assert result.remote_url == f"https://www.facebook.com/{post['post_id']}"


@network("facebook")
def test_facebook_photo_post_keeps_a_link_missing_from_the_text(fake):
    _alias, server, provider = fake
    provider.send(message(text="Edited, without the link", image=PNG,
                          image_mime_type="image/png"), KEY)
    request = server.requests_to("/photos")[0]
    assert request.form["message"] == f"Edited, without the link\n\n{LINK}"
    assert request.files["source"] == ("image/png", PNG)


@pytest.fixture
def site():
    """A loopback site serving one JPEG, for networks that fetch images themselves."""
    with fk.FakeSite() as server:
        server.files["/media/images/blue.jpg"] = ("image/jpeg", IMAGE)
        yield server


@network("threads")
def test_threads_image_container_points_at_the_public_url_then_publish(fake, site):
    _alias, server, provider = fake
    url = f"{site.url}/media/images/blue.jpg"
    result = provider.send(message(image=IMAGE, image_url=url, image_alt="A cup"), KEY)
    container_request, publish = server.requests_to("/threads", "POST")
    # No link_attachment (TEXT posts only): the link is in the text already.
    assert container_request.form == {"media_type": "IMAGE", "text": TEXT, "image_url": url,
                                      "alt_text": "A cup", "access_token": fk.THREADS_TOKEN}
    [container] = server.containers
    assert server.images[container] == IMAGE  # what Threads fetched is the post's image
    assert site.requests_to("/media/images/blue.jpg", "GET")
    [status] = server.requests_to(f"/v1.0/{container}", "GET")
    assert status.query["fields"] == ["status,error_message"]
    assert publish.form["creation_id"] == container
    assert server.posts == [container_request.form]
    assert result.remote_url.startswith("https://www.threads.net/@smo_demo/post/")


@pytest.mark.parametrize("image_url", ["", "/media/images/blue.jpg", "file:///srv/blue.jpg"])
@network("threads")
def test_threads_image_without_a_public_url_fails_clearly_before_any_call(fake, image_url):
    _alias, server, provider = fake
    with pytest.raises(UnsupportedFeature) as info:
        provider.send(message(image=IMAGE, image_url=image_url), KEY)
    assert "public http(s) URL" in info.value.message and "root URL" in info.value.message
    assert server.requests == []
    # Allowed to drop it: a TEXT post with its link card.
    with_options(provider, IGNORE_UNSUPPORTED_FEATURES=True).send(
        message(image=IMAGE, image_url=image_url), KEY)
    assert [p["media_type"] for p in server.posts] == ["TEXT"]


@network("threads")
def test_threads_image_threads_cannot_fetch_fails_with_its_message_and_posts_nothing(fake, site):
    _alias, server, provider = fake
    with pytest.raises(PermanentError) as info:
        provider.send(message(image=IMAGE, image_url=f"{site.url}/media/missing.jpg"), KEY)
    assert info.value.message == "Threads could not use the image: UNKNOWN."
    assert not server.requests_to("threads_publish") and server.posts == []
    for secret in credentials(provider):
        assert secret not in str(info.value)


# An image upload refused with an answer that quotes the channel's token: (network, path of the
# upload, status, answer, the error's message). The network's words, the token redacted.
UPLOAD_REFUSED = [
    ("facebook", "/photos", 400, {"error": {
        "message": f"(#200) Upload refused for access_token={fk.FACEBOOK_TOKEN}", "code": 200}},
     "(#200) Upload refused for access_token=[redacted]"),
    ("linkedin", "/rest/images", 401, {"status": 401, "code": "INVALID_ACCESS_TOKEN",
                                        "message": f"Token {fk.LINKEDIN_TOKEN} has expired"},
     "Token [redacted] has expired"),
    ("x", "/2/media/upload", 403, {"title": "Forbidden", "status": 403, "type": "about:blank",
                                   "detail": f"Token {fk.X_ACCESS_TOKEN} may not upload media"},
     "Token [redacted] may not upload media"),
    ("vk", "getWallUploadServer", 200, {"error": {
        "error_code": 100, "error_msg": f"Invalid access_token {fk.VK_TOKEN} for photos"}},
     "Invalid access_token [redacted] for photos"),
    ("threads", "1789/threads", 400, {"error": {
        "message": f"Invalid image_url (token {fk.THREADS_TOKEN})", "code": 100}},
     "Invalid image_url (token [redacted])"),
]


@pytest.mark.parametrize("fake, path, status, body, expected", UPLOAD_REFUSED, indirect=["fake"],
                         ids=[case[0] for case in UPLOAD_REFUSED])
def test_refused_image_upload_fails_visibly_without_secrets(fake, path, status, body, expected):
    _alias, server, provider = fake
    server.add_fault(path, "status", status=status, body=body)
    with pytest.raises(ProviderError) as info:
        provider.send(message(image=IMAGE, image_url="https://blog.example/blue.jpg"), KEY)
    assert info.value.status == status and info.value.message == expected
    assert server.requests_to(path), "the upload was attempted"
    assert server.posts == []
    for secret in credentials(provider):
        assert secret not in str(info.value) and secret not in info.value.message


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
def test_x_image_uploaded_described_and_referenced_by_the_post(fake):
    _alias, server, provider = fake
    result = provider.send(message(image=IMAGE, image_alt="A cup " * 300), KEY)
    upload, metadata, tweet = server.requests
    assert (upload.method, upload.path) == ("POST", "/2/media/upload")
    assert upload.form == {"media_category": "tweet_image", "media_type": "image/jpeg"}
    assert upload.files["media"] == ("image/jpeg", IMAGE)
    [media_id] = server.media
    assert server.media[media_id]["data"] == IMAGE
    assert metadata.path == "/2/media/metadata"
    assert metadata.json == {"id": media_id, "metadata": {"alt_text": {
        "text": ("A cup " * 300)[:1000]}}}
    assert tweet.json == {"text": TEXT, "media": {"media_ids": [media_id]}}
    # Every call was signed (the fake refuses any request whose signature does not verify).
    assert all(r.header("Authorization").startswith("OAuth ") for r in server.requests)
    assert server.posts == [tweet.json] and result.remote_id


@network("x")
def test_x_image_without_alt_text_skips_the_metadata_call(fake):
    _alias, server, provider = fake
    provider.send(message(image=PNG, image_mime_type="image/png"), KEY)
    assert [r.path for r in server.requests] == ["/2/media/upload", "/2/tweets"]
    assert server.requests[0].files["media"] == ("image/png", PNG)


@network("x")
def test_x_post_with_an_unknown_media_id_is_refused(fake):
    """The fake checks that the post references an uploaded media id."""
    _alias, server, provider = fake
    with pytest.raises(PermanentError, match="media IDs are invalid"):
        provider.create_post({"text": "x", "media": {"media_ids": ["123"]}}, KEY)
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
def test_vk_photo_uploaded_saved_and_attached_with_the_link(fake):
    _alias, server, provider = fake
    result = provider.send(message(image=IMAGE), KEY)
    get_server, upload, save, post = server.requests
    assert get_server.path == "/method/photos.getWallUploadServer"
    assert get_server.form == {"group_id": "123456", "access_token": fk.VK_TOKEN, "v": "5.199"}
    assert (upload.path, upload.query) == ("/upload/wall", {"gid": ["123456"]})
    assert upload.files["photo"] == ("image/jpeg", IMAGE)
    assert fk.VK_TOKEN not in upload.body.decode("latin-1") and not upload.form
    assert save.path == "/method/photos.saveWallPhoto"
    assert save.form["group_id"] == "123456" and save.form["server"] == "622624"
    assert save.form["hash"] in server.uploads and save.form["photo"] != "[]"
    [photo] = server.photos
    assert server.photos[photo] == IMAGE
    assert post.form["attachments"] == f"{photo},{LINK}"
    assert post.form["guid"] == KEY and server.posts == [post.form]
    assert result.remote_url == f"https://vk.com/wall-123456_{result.remote_id}"


@network("vk")
def test_vk_photo_the_upload_server_refuses_fails_and_posts_nothing(fake):
    _alias, server, provider = fake
    with pytest.raises(PermanentError) as info:
        provider.send(message(image=b"<html>not an image</html>"), KEY)
    assert info.value.message == "VK's upload server took no photo (is the file a JPEG or PNG?)."
    assert not server.requests_to("saveWallPhoto") and server.posts == []


@network("vk")
def test_vk_save_wall_photo_refusal_shows_vks_message(fake):
    _alias, server, provider = fake
    server.add_fault("saveWallPhoto", "status", status=200, body={"error": {
        "error_code": 27, "error_msg": "Group authorization failed: method is unavailable with "
                                       "group auth."}})
    with pytest.raises(AuthenticationError) as info:
        provider.send(message(image=IMAGE), KEY)
    assert info.value.message == ("Group authorization failed: method is unavailable with "
                                  "group auth.")
    assert server.posts == []


@network("vk")
def test_vk_save_wall_photo_without_a_photo_is_temporary_and_posts_nothing(fake):
    # The missing field is an index ([0] of the saved photos): naming it in the message used to
    # raise a TypeError from str.join instead of this error.
    _alias, server, provider = fake
    server.add_fault("saveWallPhoto", "status", status=200, body={"response": []})
    with pytest.raises(TemporaryError) as info:
        provider.send(message(image=IMAGE), KEY)
    assert info.value.message == "The answer has no '0'."
    assert server.posts == []


@network("vk")
def test_vk_wall_post_must_reference_a_saved_photo(fake):
    """The fake checks that the post's photo attachment was uploaded and saved."""
    _alias, server, provider = fake
    with pytest.raises(PermanentError, match="attachments is invalid"):
        provider.create_post({"owner_id": "-123456", "from_group": 1, "message": "x",
                              "attachments": "photo-123456_1"}, KEY)
    assert server.posts == []


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
