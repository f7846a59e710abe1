"""Instagram and Pinterest against their loopback fakes: every parameter, the publishing quota,
a container that ends in ERROR, images that are not public, and the startup checks."""

from __future__ import annotations

import pytest
from django.core import checks
from django.test import override_settings

from tests.fakes import networks as fk
from wagtail_smo.exceptions import AuthenticationError, PermanentError, RateLimited
from wagtail_smo.models import PostStatus, SocialPost
from wagtail_smo.posts import delivery
from wagtail_smo.providers import get_provider
from wagtail_smo.providers.base import OutgoingPost
from wagtail_smo.providers.instagram import LINK_IN_BIO, QUOTA_RETRY_AFTER, InstagramProvider

LINK = "https://blog.example/launch/?utm_source=instagram"
TEXT = f"Launch day ☕ {LINK} #wagtail"
KEY = "k-1"


def message(**kwargs) -> OutgoingPost:
    values = {"text": TEXT, "link": LINK, "title": "A café title", "description": "About it",
              "image_url": fk.PUBLIC_IMAGE_URL, "image_alt": "A cup of coffee", "pk": 7}
    return OutgoingPost(**{**values, **kwargs})


@pytest.fixture
def fake(request):
    alias = request.param
    with fk.CHANNELS[alias][0]() as server:
        with override_settings(WAGTAIL_SMO={"PROVIDERS": {alias: fk.channel_settings(alias, server)}}):
            yield server, get_provider(alias)


def network(alias):
    return pytest.mark.parametrize("fake", [alias], indirect=True)


def with_options(provider, **options):
    return type(provider)(provider.alias, {**provider.options, **options})


def no_secret(provider, text: str) -> None:
    for name, value in provider.options.items():
        if "TOKEN" in name:
            assert value not in text


@network("instagram")
def test_instagram_quota_container_status_publish_and_link_in_bio(fake, monkeypatch):
    server, provider = fake
    server.in_progress_checks = 2
    monkeypatch.setattr(InstagramProvider, "status_interval", 0.05)
    result = provider.send(message(), KEY)
    user = fk.FakeInstagram.user
    [limit] = server.requests_to("content_publishing_limit", "GET")
    assert limit.path == f"/v21.0/{user}/content_publishing_limit"
    assert limit.query == {"fields": ["quota_usage,config"], "access_token": [fk.INSTAGRAM_TOKEN]}
    [create] = [r for r in server.requests if r.path == f"/v21.0/{user}/media"]
    assert create.method == "POST"
    # The link is not clickable in a caption: left out, "link in bio" said instead.
    assert create.form == {"image_url": fk.PUBLIC_IMAGE_URL,
                           "caption": f"Launch day ☕  #wagtail\n\n{LINK_IN_BIO}",
                           "alt_text": "A cup of coffee", "access_token": fk.INSTAGRAM_TOKEN}
    [container] = server.containers
    checks_ = [r for r in server.requests_to(f"/v21.0/{container}", "GET")]
    assert len(checks_) == 3  # IN_PROGRESS twice, then FINISHED
    assert all(r.query["fields"] == ["status_code,status"] for r in checks_)
    [publish] = server.requests_to("media_publish", "POST")
    assert publish.form == {"creation_id": container, "access_token": fk.INSTAGRAM_TOKEN}
    # Ordered: quota before the container, the container finished before publishing.
    order = [r.path.rsplit("/", 1)[-1] for r in server.requests]
    assert order.index("content_publishing_limit") < order.index("media") < order.index(
        "media_publish")
    assert len(server.posts) == 1 and server.comments == []
    assert result.remote_id in server.published
    assert result.remote_url == f"https://www.instagram.com/p/C{result.remote_id}/"
    assert provider.who_am_i() == "@smo_demo"


@network("instagram")
def test_instagram_link_as_first_comment(fake):
    server, provider = fake
    result = with_options(provider, LINK_MODE="comment").send(message(), KEY)
    [create] = [r for r in server.requests if r.path.endswith("/media")]
    assert create.form["caption"] == "Launch day ☕  #wagtail"
    assert LINK not in create.form["caption"]
    assert server.comments == [(result.remote_id, LINK)]
    [comment] = server.requests_to("/comments", "POST")
    assert comment.path == f"/v21.0/{result.remote_id}/comments"
    assert comment.form == {"message": LINK, "access_token": fk.INSTAGRAM_TOKEN}


@network("instagram")
def test_instagram_full_quota_is_refused_before_anything_is_created(fake):
    server, provider = fake
    server.quota_usage = 25
    with pytest.raises(RateLimited) as info:
        provider.send(message(), KEY)
    assert info.value.retry_after == QUOTA_RETRY_AFTER
    assert "25 posts" in info.value.message and "quota frees" in info.value.message
    assert server.containers == {} and server.posts == []
    server.quota_usage = 24  # one slot left: it is used
    provider.send(message(), KEY)
    assert len(server.posts) == 1 and server.quota_usage == 25


@network("instagram")
def test_instagram_container_ending_in_error_fails_in_the_editors_words_unpublished(fake):
    server, provider = fake
    server.container_outcome = "ERROR"
    with pytest.raises(PermanentError) as info:
        provider.send(message(), KEY)
    assert info.value.message.startswith(f"Instagram could not use the image {fk.PUBLIC_IMAGE_URL}")
    assert "JPEG" in info.value.message and "Nothing was posted" in info.value.message
    assert server.requests_to("media_publish") == [] and server.posts == []
    no_secret(provider, str(info.value))


@pytest.mark.parametrize("alias", ["instagram", "pinterest"])
def test_a_loopback_image_url_is_refused_before_any_call(alias, db):
    """A 127.0.0.1 site: the post is failed in the editor's words, naming what to fix."""
    from wagtail.models import Page, Site

    with fk.CHANNELS[alias][0]() as server:
        with override_settings(WAGTAIL_SMO={"PROVIDERS": {alias: fk.channel_settings(alias, server)}}):
            root = Site.objects.get(is_default_site=True).root_page
            page = root.add_child(instance=Page(title="Local", slug="local"))
            post = SocialPost.objects.create(
                page=page, channel=alias, status=PostStatus.APPROVED, text="Local image",
                link="https://example.com/p/", image_url="http://127.0.0.1:8000/media/a.jpg")
            # An imported non-public URL is dropped: the post falls back to a generated card on
            # the default site (localhost), which is not public either.
            assert delivery.deliver(post.pk) == PostStatus.FAILED
            post.refresh_from_db()
            label = alias.capitalize()
            assert post.last_error.startswith(f"{label} fetches the image from its URL")
            assert "is on a local host name (localhost)" in post.last_error
            assert "public root URL (Settings > Sites)" in post.last_error
            assert server.requests == [] and server.posts == []


@pytest.mark.parametrize("alias", ["instagram", "pinterest"])
def test_a_post_without_an_image_is_refused_by_the_provider(alias):
    with fk.CHANNELS[alias][0]() as server:
        with override_settings(WAGTAIL_SMO={"PROVIDERS": {alias: fk.channel_settings(alias, server)}}):
            with pytest.raises(PermanentError) as info:
                get_provider(alias).send(message(image_url=""), KEY)
    assert "need an image and this post has none" in info.value.message
    assert server.requests == []


@network("pinterest")
def test_pinterest_pin_with_every_field(fake):
    server, provider = fake
    result = with_options(provider, BOARD_SECTION_ID="5551234").send(
        message(title="T" * 140, text="D" * 600, image_alt="A" * 700), KEY)
    [pin] = server.requests_to("/v5/pins", "POST")
    assert pin.header("Authorization") == f"Bearer {fk.PINTEREST_TOKEN}"
    assert pin.json == {"board_id": "549755885175", "board_section_id": "5551234",
                        "title": "T" * 100, "description": "D" * 500, "link": LINK,
                        "alt_text": "A" * 500,
                        "media_source": {"source_type": "image_url", "url": fk.PUBLIC_IMAGE_URL}}
    assert server.posts == [pin.json]
    assert result.remote_url == f"https://www.pinterest.com/pin/{result.remote_id}/"
    assert provider.who_am_i() == "smo_demo"


@network("pinterest")
def test_pinterest_refusals_carry_its_words_without_the_token(fake):
    server, provider = fake
    with pytest.raises(PermanentError) as info:
        with_options(provider, BOARD_ID="1").send(message(), KEY)
    assert info.value.message == "Board not found." and info.value.status == 404
    with pytest.raises(AuthenticationError) as info:
        with_options(provider, ACCESS_TOKEN="pina_wrong").send(message(), KEY)
    assert info.value.message == "Authentication failed."
    with pytest.raises(PermanentError) as info:
        provider.send(message(link="https://blog.example/" + "a" * 2100), KEY)
    assert "at most 2048 characters" in info.value.message
    assert server.posts == []
    no_secret(provider, str(info.value))


@pytest.mark.parametrize("alias, option", [("instagram", "USER_ID"), ("pinterest", "BOARD_ID")])
def test_a_channel_without_its_account_or_board_is_reported_at_startup(alias, option):
    config = fk.channel_settings(alias, fk.NetworkFake())
    del config["OPTIONS"][option]
    with override_settings(WAGTAIL_SMO={"PROVIDERS": {alias: config}}):
        messages = [m for m in checks.run_checks() if m.id and m.id.startswith("wagtail_smo")]
    assert any(option in m.msg and alias in m.msg and m.level >= checks.ERROR for m in messages), \
        [m.msg for m in messages]


def test_an_unknown_instagram_link_mode_is_reported_at_startup():
    config = fk.channel_settings("instagram", fk.NetworkFake(), LINK_MODE="footer")
    with override_settings(WAGTAIL_SMO={"PROVIDERS": {"instagram": config}}):
        messages = [m for m in checks.run_checks() if m.id == "wagtail_smo.E110"]
    assert [m.msg for m in messages] == [
        "Channel 'instagram': LINK_MODE must be 'bio' or 'comment', not 'footer'."]
    config = fk.channel_settings("instagram", fk.NetworkFake(), LINK_MODE="comment")
    with override_settings(WAGTAIL_SMO={"PROVIDERS": {"instagram": config}}):
        assert not [m for m in checks.run_checks() if m.id == "wagtail_smo.E110"]
