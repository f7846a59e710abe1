"""Faults against the loopback fakes: afterwards each post is sent exactly once, or failed with a
visible reason (and, when the network may have published it, a reason saying so)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.images import ImageFile
from django.test import override_settings
from django.utils import timezone

from tests.fakes import networks as fk
from wagtail_smo.conf import smo_settings
from wagtail_smo.models import AttemptOutcome, PostStatus, SocialPost
from wagtail_smo.posts import delivery
from wagtail_smo.providers.bluesky import BlueskyProvider

DEDUPLICATING = ["mastodon", "bluesky", "vk"]
NOT_DEDUPLICATING = ["telegram", "linkedin", "facebook", "threads", "x", "webhook", "instagram",
                     "pinterest"]
ALL = DEDUPLICATING + NOT_DEDUPLICATING
#: The path of the call that publishes, per network (faults are aimed at it).
CREATE_PATH = {"mastodon": "/api/v1/statuses", "bluesky": "createRecord", "vk": "wall.post",
               "telegram": "/sendMessage", "linkedin": "/rest/posts", "facebook": "/feed",
               "threads": "threads_publish", "x": "/2/tweets", "webhook": "/hook",
               "instagram": "media_publish", "pinterest": "/v5/pins"}
#: Networks that fetch the image from a public URL and cannot post without one.
FETCHING = {"instagram", "pinterest"}
TIMEOUT = 1


@pytest.fixture
def page(db):
    from wagtail.models import Page, Site

    root = Site.objects.get(is_default_site=True).root_page
    return root.add_child(instance=Page(title="Fault tolerance", slug="fault-tolerance"))


@pytest.fixture
def network(request):
    alias = request.param
    with fk.CHANNELS[alias][0]() as fake:
        providers = {alias: fk.channel_settings(alias, fake, TIMEOUT=TIMEOUT)}
        with override_settings(WAGTAIL_SMO={"PROVIDERS": providers}):
            BlueskyProvider._sessions.clear()
            yield alias, fake


def approved_post(page, alias) -> SocialPost:
    return SocialPost.objects.create(page=page, channel=alias, status=PostStatus.APPROVED,
                                     text=f"Post for {alias} https://example.com/p/",
                                     link="https://example.com/p/",
                                     image_url=fk.PUBLIC_IMAGE_URL if alias in FETCHING else "")


def run_until_settled(post, rounds=6) -> SocialPost:
    """Deliver, then keep going as the queue would once each retry is due."""
    for _ in range(rounds):
        delivery.deliver(post.pk)
        post.refresh_from_db()
        if post.status in (PostStatus.SENT, PostStatus.FAILED):
            return post
        SocialPost.objects.filter(pk=post.pk).update(retry_at=timezone.now())
    return post


def assert_exactly_once_or_visible_failure(post, fake):
    assert post.status in (PostStatus.SENT, PostStatus.FAILED)
    if post.status == PostStatus.SENT:
        assert len(fake.posts) == 1, "sent, so exactly one post on the network"
        assert post.remote_id or isinstance(fake, fk.FakeWebhook)
    else:
        assert post.last_error, "a failure must carry a reason"
        assert len(fake.posts) <= 1
        if fake.posts:
            assert "may have been published" in post.last_error


@pytest.mark.parametrize("network", ALL, indirect=True)
def test_429_with_retry_after_then_sent_once(page, network):
    alias, fake = network
    body = ({"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 7",
             "parameters": {"retry_after": 7}} if alias == "telegram" else {"error": "Too many requests"})
    if alias == "vk":  # VK says it inside HTTP 200
        fake.add_fault(CREATE_PATH[alias], "status", status=200, body={
            "error": {"error_code": 6, "error_msg": "Too many requests per second"}})
    else:
        fake.add_fault(CREATE_PATH[alias], "status", status=429, body=body,
                       headers={"Retry-After": "7"})
    post = approved_post(page, alias)
    before = timezone.now()
    assert delivery.deliver(post.pk) == PostStatus.SCHEDULED
    post.refresh_from_db()
    expected_wait = 1 if alias == "vk" else 7
    assert post.retry_at >= before + timedelta(seconds=expected_wait)
    attempt = post.attempts.get()
    assert attempt.outcome == AttemptOutcome.RETRY and attempt.message
    post = run_until_settled(post)
    assert post.status == PostStatus.SENT
    assert_exactly_once_or_visible_failure(post, fake)


@pytest.mark.parametrize("network", ALL, indirect=True)
def test_500_is_retried_then_sent_once(page, network):
    alias, fake = network
    fake.add_fault(CREATE_PATH[alias], "status", status=500, body="Internal Server Error")
    fake.add_fault(CREATE_PATH[alias], "status", status=503, body="Service Unavailable")
    post = run_until_settled(approved_post(page, alias))
    assert post.status == PostStatus.SENT
    assert [a.outcome for a in post.attempts.order_by("started_at", "id")] == [
        AttemptOutcome.RETRY, AttemptOutcome.RETRY, AttemptOutcome.SENT]
    assert_exactly_once_or_visible_failure(post, fake)


@pytest.mark.parametrize("fault", ["slow", "malformed", "drop"])
@pytest.mark.parametrize("network", ALL, indirect=True)
def test_answer_lost_after_publishing(page, network, fault):
    """The network published, but its answer is late, unreadable or cut off."""
    alias, fake = network
    fake.add_fault(CREATE_PATH[alias], fault, seconds=TIMEOUT + 1.5)
    post = run_until_settled(approved_post(page, alias))
    assert_exactly_once_or_visible_failure(post, fake)
    if alias in DEDUPLICATING:
        assert post.status == PostStatus.SENT  # re-sent safely: the network dropped the repeat
    elif alias == "webhook" and fault == "malformed":
        assert post.status == PostStatus.SENT  # any 2xx is the receiver's receipt
    else:
        assert post.status == PostStatus.FAILED  # never blindly re-sent
        assert post.attempts.get().outcome == AttemptOutcome.UNKNOWN


@pytest.mark.parametrize("network", ALL, indirect=True)
def test_worker_killed_between_claim_and_response(page, network, django_capture_on_commit_callbacks):
    """The state a killed worker leaves: the post claimed ("sending"), the network has the post,
    its answer never recorded. Reconciliation must not post it a second time."""
    alias, fake = network
    post = approved_post(page, alias)
    claim = delivery.claim_post(post.pk)
    from wagtail_smo.posts.outgoing import outgoing_post
    from wagtail_smo.providers import get_provider

    get_provider(alias).send(outgoing_post(claim.post), claim.post.delivery_key)  # ...and the worker dies here
    assert len(fake.posts) == 1
    with django_capture_on_commit_callbacks(execute=True):
        delivery.reconcile_stuck_posts(older_than=timedelta(0))
    post = run_until_settled(post)
    assert_exactly_once_or_visible_failure(post, fake)
    assert post.status == (PostStatus.SENT if alias in DEDUPLICATING else PostStatus.FAILED)


@pytest.mark.parametrize("network", ["mastodon", "telegram"], indirect=True)
def test_permanent_error_is_shown_with_the_network_message(page, network):
    alias, fake = network
    with override_settings(WAGTAIL_SMO={"PROVIDERS": {alias: fk.channel_settings(
            alias, fake, **({"ACCESS_TOKEN": "bad-token-123"} if alias == "mastodon"
                            else {"BOT_TOKEN": "1:bad-token"}))}}):
        post = run_until_settled(approved_post(page, alias))
    assert post.status == PostStatus.FAILED
    assert post.last_error == {"mastodon": "The access token is invalid",
                               "telegram": "Unauthorized"}[alias]
    assert post.attempts.get().status_code == 401
    assert fake.posts == []


@pytest.mark.parametrize("network", ["mastodon"], indirect=True)
def test_connection_refused_is_retried(page, network):
    alias, fake = network
    dead = fk.channel_settings(alias, fake, API_URL="http://127.0.0.1:9")  # discard port: refused
    with override_settings(WAGTAIL_SMO={"PROVIDERS": {alias: dead}}):
        assert delivery.deliver(approved_post(page, alias).pk) == PostStatus.SCHEDULED
    post = SocialPost.objects.get(channel=alias)
    assert "refused" in post.last_error
    post = run_until_settled(post)
    assert post.status == PostStatus.SENT and len(fake.posts) == 1


#: Networks posting images, and the path of the call that uploads the image (for Facebook the
#: upload is the publishing call itself: a single photo is posted as it is uploaded).
IMAGE_UPLOAD_PATH = {"facebook": "/photos", "threads": "1789/threads", "linkedin": "/rest/images",
                     "x": "/2/media/upload", "vk": "getWallUploadServer"}
IMAGE_NETWORKS = list(IMAGE_UPLOAD_PATH)
_GRAPH_REFUSAL = (400, {"error": {"message": "(#324) Missing or invalid image file",
                                   "code": 324}}, "(#324) Missing or invalid image file")
#: An upload refused, in each network's error shape: (HTTP status, body, the message shown).
UPLOAD_REFUSAL = {
    "facebook": _GRAPH_REFUSAL, "threads": _GRAPH_REFUSAL,
    "linkedin": (400, {"status": 400, "message": "Uploaded file is not a supported image format"},
                 "Uploaded file is not a supported image format"),
    "x": (400, {"title": "Invalid Request", "status": 400, "detail": "media type unrecognized."},
          "media type unrecognized."),
    "vk": (200, {"error": {"error_code": 100, "error_msg": "One of the parameters specified was "
                                                           "missing or invalid: group_id"}},
           "One of the parameters specified was missing or invalid: group_id"),
}


@pytest.fixture
def image(page):
    """An image whose rendition the site serves publicly (Threads fetches it by URL): the
    default site is pointed at a loopback server serving the rendition file."""
    from urllib.parse import urlsplit

    from PIL import Image as PILImage
    from wagtail.images import get_image_model
    from wagtail.models import Site

    buffer = io.BytesIO()
    PILImage.new("RGB", (1200, 630), "#336699").save(buffer, "JPEG")
    image = get_image_model().objects.create(title="Blue",
                                             file=ImageFile(buffer, name="blue.jpg"))
    with fk.FakeSite() as site:
        host, port = site.httpd.server_address[:2]
        Site.objects.filter(is_default_site=True).update(hostname=host, port=port)
        rendition = image.get_rendition(smo_settings.IMAGE_FILTER)
        with rendition.file.open("rb") as handle:
            site.files[urlsplit(rendition.url).path if "//" in rendition.url
                       else "/" + rendition.url.lstrip("/")] = ("image/jpeg", handle.read())
        yield image


def approved_image_post(page, alias, image) -> SocialPost:
    post = approved_post(page, alias)
    post.image = image
    post.save(update_fields=["image"])
    return post


@pytest.mark.parametrize("network", IMAGE_NETWORKS, indirect=True)
def test_image_upload_500_is_retried_then_sent_once(page, network, image):
    alias, fake = network
    fake.add_fault(IMAGE_UPLOAD_PATH[alias], "status", status=503, body="Service Unavailable")
    post = run_until_settled(approved_image_post(page, alias, image))
    assert post.status == PostStatus.SENT
    assert [a.outcome for a in post.attempts.order_by("started_at", "id")] == [
        AttemptOutcome.RETRY, AttemptOutcome.SENT]
    assert_exactly_once_or_visible_failure(post, fake)
    uploads = [r for r in fake.requests_to(IMAGE_UPLOAD_PATH[alias])
               if r.path.endswith(IMAGE_UPLOAD_PATH[alias])]
    assert len(uploads) == 2
    # The network holds the post's rendition, byte for byte (uploaded, or fetched by URL).
    with image.get_rendition(smo_settings.IMAGE_FILTER).file.open("rb") as handle:
        assert received_images(fake)[-1] == handle.read()


def received_images(fake) -> list[bytes]:
    """The image bytes a fake network received, uploaded or fetched, in order."""
    if isinstance(fake, fk.FakeFacebook):
        return list(fake.photos.values())
    if isinstance(fake, fk.FakeVK):
        return list(fake.photos.values())
    if isinstance(fake, fk.FakeX):
        return [media["data"] for media in fake.media.values()]
    if isinstance(fake, fk.FakeLinkedIn):
        return [image["data"] for image in fake.images.values() if image["data"] is not None]
    return list(fake.images.values())  # Threads: fetched from image_url


@pytest.mark.parametrize("network", IMAGE_NETWORKS, indirect=True)
def test_image_upload_refused_fails_with_the_networks_message(page, network, image):
    alias, fake = network
    status, body, words = UPLOAD_REFUSAL[alias]
    fake.add_fault(IMAGE_UPLOAD_PATH[alias], "status", status=status, body=body)
    post = run_until_settled(approved_image_post(page, alias, image))
    assert post.status == PostStatus.FAILED
    assert post.last_error == words
    assert fake.posts == []


@pytest.mark.parametrize("network", IMAGE_NETWORKS, indirect=True)
def test_image_post_answer_lost_is_never_blindly_resent(page, network, image):
    alias, fake = network
    fake.add_fault(CREATE_PATH_WITH_IMAGE.get(alias, CREATE_PATH[alias]), "drop")
    post = run_until_settled(approved_image_post(page, alias, image))
    assert_exactly_once_or_visible_failure(post, fake)
    assert len(fake.posts) == 1
    assert post.status == (PostStatus.SENT if alias in DEDUPLICATING else PostStatus.FAILED)


#: The publishing call of a post with an image, where it differs from CREATE_PATH.
CREATE_PATH_WITH_IMAGE = {"facebook": "/photos"}
