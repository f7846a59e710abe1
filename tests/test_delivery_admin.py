"""The post's delivery in the admin (attempts, remote link, retry) and the token leak test."""

from __future__ import annotations

import io
import logging
from contextlib import ExitStack

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from tests.fakes import networks as fk
from wagtail_smo.models import PostStatus, SocialPost
from wagtail_smo.posts import delivery
from wagtail_smo.providers.bluesky import BlueskyProvider


@pytest.fixture
def all_fakes():
    """Every network's fake, with real-looking tokens configured for each channel."""
    with ExitStack() as stack:
        fakes = {alias: stack.enter_context(cls()) for alias, (cls, _b, _o) in fk.CHANNELS.items()}
        providers = {alias: fk.channel_settings(alias, fake, TIMEOUT=1)
                     for alias, fake in fakes.items()}
        with override_settings(WAGTAIL_SMO={"PROVIDERS": providers}):
            BlueskyProvider._sessions.clear()
            yield fakes


@pytest.fixture
def pages(demo_content):
    from wagtail.models import Page

    return list(Page.objects.live().filter(depth__gt=2).specific()[:3])


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw")
    client.force_login(user)
    return client


def post_for(page, alias, **kwargs):
    kwargs.setdefault("status", PostStatus.APPROVED)
    return SocialPost.objects.create(page=page, channel=alias, text=f"{page.title} {page.full_url}",
                                     link=page.full_url, **kwargs)


def test_edit_view_shows_attempts_with_network_message_and_retry(pages, all_fakes, admin_client,
                                                                   django_capture_on_commit_callbacks):
    fake = all_fakes["mastodon"]
    fake.add_fault("/api/v1/statuses", "status", status=422,
                   body={"error": "Validation failed: Text character limit of 500 exceeded"})
    post = post_for(pages[0], "mastodon")
    assert delivery.deliver(post.pk) == PostStatus.FAILED
    url = reverse("wagtail_smo_posts:edit", args=[post.pk])
    response = admin_client.get(url, follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Validation failed: Text character limit of 500 exceeded" in html
    assert 'data-outcome="failed"' in html and ">422<" in html
    # Retry through the admin action (the post's "Retry" button).
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("wagtail_smo_posts:action", args=[post.pk, "send"]))
    assert response.status_code in (200, 302)
    post.refresh_from_db()
    assert post.status == PostStatus.SENT and len(fake.posts) == 1
    # A sent post is no longer editable; the fragment shows the remote link and both attempts.
    from django.template.loader import render_to_string

    html = render_to_string("wagtail_smo/posts/_attempts.html", {"post": post})
    assert f'href="{post.remote_url}"' in html
    assert html.count("data-outcome=") == 2 and 'data-outcome="sent"' in html


def test_retry_refused_without_permission(pages, all_fakes, client, django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("viewer", password="pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"),
                              Permission.objects.get(codename="change_socialpost"))
    client.force_login(user)
    post = post_for(pages[0], "mastodon", status=PostStatus.FAILED)
    response = client.post(reverse("wagtail_smo_posts:action", args=[post.pk, "send"]))
    assert response.status_code in (302, 403)
    post.refresh_from_db()
    assert post.status == PostStatus.FAILED and all_fakes["mastodon"].posts == []


def test_no_token_in_admin_logs_exports_api_or_database(pages, all_fakes, admin_client,
                                                          django_capture_on_commit_callbacks):
    # Networks that echo the token in their error, failures of every kind, and successes.
    fakes = all_fakes
    fakes["mastodon"].add_fault("/api/v1/statuses", "status", status=401, body={
        "error": f"The access token {fk.MASTODON_TOKEN} was revoked"})
    fakes["vk"].add_fault("wall.post", "status", status=200, body={"error": {
        "error_code": 5, "error_msg": f"User authorization failed: access_token {fk.VK_TOKEN}"}})
    fakes["telegram"].add_fault("/sendMessage", "drop")
    fakes["facebook"].add_fault("/feed", "status", status=500, body={"error": {
        "message": f"Unexpected error for access_token={fk.FACEBOOK_TOKEN}", "code": 2}})
    records = io.StringIO()
    handler = logging.StreamHandler(records)
    handler.setFormatter(logging.Formatter("%(name)s %(message)s"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        for index, alias in enumerate(fk.CHANNELS):
            post = post_for(pages[index % len(pages)], alias)
            delivery.deliver(post.pk)
        try:
            call_command("smo_check_providers", stdout=(check_out := io.StringIO()))
        except Exception:  # some channels fail on purpose; the table is what matters
            pass
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
    statuses = dict(SocialPost.objects.values_list("channel", "status"))
    assert statuses["mastodon"] == statuses["vk"] == statuses["telegram"] == PostStatus.FAILED
    assert statuses["bluesky"] == statuses["x"] == PostStatus.SENT
    outputs = {"logs": records.getvalue(), "smo_check_providers": check_out.getvalue()}
    assert "[redacted]" in outputs["logs"] + str(list(SocialPost.objects.values_list("last_error")))

    pages_to_render = [reverse("wagtailadmin_home"), reverse("wagtail_smo_posts:list"),
                       reverse("wagtail_smo_posts:calendar")]
    for post in SocialPost.objects.all():
        pages_to_render += [reverse("wagtail_smo_posts:edit", args=[post.pk]),
                            reverse("wagtail_smo_posts:inspect", args=[post.pk]),
                            reverse("wagtail_smo_posts:history", args=[post.pk])]
    pages_to_render += [reverse("wagtailadmin_pages:edit", args=[pages[0].pk])]
    for url in pages_to_render:
        response = admin_client.get(url, follow=True)
        assert response.status_code == 200, url
        outputs[url] = response.content.decode()
    for fmt in ("rss", "atom", "jsonfeed", "csv", "json", "hootsuite", "postcron", "buffer"):
        out = io.StringIO()
        call_command("smo_export", format=fmt, stdout=out)
        outputs[f"export {fmt}"] = out.getvalue()
    for url in ("/api/v2/pages/?fields=*", f"/api/v2/pages/{pages[0].pk}/",
                f"/smo/meta/?path={pages[0].url}"):
        outputs[url] = admin_client.get(url).content.decode()
    database = io.StringIO()
    call_command("dumpdata", "wagtail_smo", "wagtailcore.modellogentry", stdout=database)
    outputs["database"] = database.getvalue()
    for where, text in outputs.items():
        for secret in fk.ALL_SECRETS:
            assert secret not in text, f"a token leaked into {where}"
    # The redaction left the network's words around the token.
    assert SocialPost.objects.get(channel="mastodon").last_error == "The access token [redacted] was revoked"
