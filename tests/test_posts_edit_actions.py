"""The post edit form's actions save what was typed first, then change the status, atomically."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from example_site.blog.models import BlogPage
from tests.test_posts_admin import make_user
from wagtail_smo.models import PostStatus, SocialPost

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(demo_content):
    page = BlogPage.objects.get(slug="social-cards-explained")
    return SocialPost.objects.create(
        page=page, site=demo_content, channel="x-demo", text="Old text https://example.com/",
        link="https://example.com/",
    )


@pytest.fixture
def boss(db):
    base = ("add_socialpost", "change_socialpost", "view_socialpost")
    return make_user("boss", *base, "approve_socialpost", "send_socialpost")


def submit(client, post, text, action, **extra):
    """The edit form as the browser sends it when an action button is pressed."""
    return client.post(reverse("wagtail_smo_posts:edit", args=(post.pk,)), {
        "text": text, "link": post.link, "image": "", "smo-action": action, **extra,
    })


def row(post):
    return SocialPost.objects.filter(pk=post.pk).values().get()


@pytest.mark.parametrize("action, extra, status", [
    ("approve", {}, PostStatus.APPROVED),
    ("schedule", {"scheduled_at": "2099-03-01T09:15"}, PostStatus.SCHEDULED),
    ("send", {}, PostStatus.APPROVED),
    ("cancel", {}, PostStatus.CANCELLED),
])
def test_each_action_saves_the_typed_text_then_changes_the_status(client, boss, post, action,
                                                                  extra, status):
    client.force_login(boss)
    response = submit(client, post, "Typed just now", action, **extra)
    assert response.status_code == 302
    saved = row(post)
    assert saved["text"] == "Typed just now" and saved["status"] == status
    assert ModelLogEntry.objects.filter(object_id=str(post.pk), action="wagtail.edit").exists()
    if action == "schedule":
        assert timezone.localtime(saved["scheduled_at"]).strftime("%Y-%m-%dT%H:%M") == \
            "2099-03-01T09:15"


def test_duplicate_saves_the_original_and_copies_the_typed_text(client, boss, post):
    client.force_login(boss)
    response = submit(client, post, "Typed before duplicating", "duplicate",
                      channel="mastodon-demo")
    assert row(post)["text"] == "Typed before duplicating"
    copy = SocialPost.objects.exclude(pk=post.pk).get()
    assert response["Location"] == reverse("wagtail_smo_posts:edit", args=(copy.pk,))
    assert copy.channel == "mastodon-demo" and copy.status == PostStatus.DRAFT


def test_invalid_form_changes_nothing_and_shows_the_error(client, boss, post):
    client.force_login(boss)
    before = row(post)
    response = submit(client, post, "日本" * 100, "approve")  # 400 weighted characters on X
    assert response.status_code == 200
    html = response.content.decode()
    assert "allows 280" in html
    assert "日本" * 100 in html  # the typed text is still in the form
    assert row(post) == before


@pytest.mark.parametrize("when", ["2001-01-01T10:00", "", "not a date"])
def test_a_refused_action_rolls_back_the_save(client, boss, post, when):
    client.force_login(boss)
    before = row(post)
    response = submit(client, post, "Typed, then a bad time", "schedule", scheduled_at=when)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Typed, then a bad time" in html
    assert "past" in html or "valid date" in html
    assert row(post) == before
    assert not ModelLogEntry.objects.filter(object_id=str(post.pk)).exists()


def test_an_action_without_permission_is_403_and_saves_nothing(client, post):
    editor = make_user("editor", "add_socialpost", "change_socialpost", "view_socialpost")
    client.force_login(editor)
    before = row(post)
    response = submit(client, post, "Editor typed this", "approve")
    assert response.status_code == 403
    assert row(post) == before


def test_a_post_that_moved_on_keeps_the_typed_text_in_the_form(client, boss, post):
    """The post failed meanwhile (a screen loaded earlier shows Approve): refused, nothing saved."""
    SocialPost.objects.filter(pk=post.pk).update(status=PostStatus.FAILED)
    client.force_login(boss)
    before = row(post)
    response = submit(client, post, "Typed in the old screen", "approve")
    assert response.status_code == 200
    html = response.content.decode()
    assert "the action is not possible any more" in html
    assert "Typed in the old screen" in html
    assert row(post) == before


def test_edit_screen_buttons_submit_the_edit_form(client, boss, post):
    client.force_login(boss)
    html = client.get(reverse("wagtail_smo_posts:edit", args=(post.pk,))).content.decode()
    for action in ("approve", "schedule", "send", "cancel", "duplicate"):
        assert (f'form="w-editor-form" name="smo-action" value="{action}"') in html
    assert 'id="smo-schedule-at" name="scheduled_at" form="w-editor-form"' in html


def test_unknown_action_is_404_and_saves_nothing(client, boss, post):
    client.force_login(boss)
    before = row(post)
    assert submit(client, post, "Typed", "explode").status_code == 404
    assert row(post) == before


def test_plain_save_is_unchanged(client, boss, post):
    client.force_login(boss)
    response = client.post(reverse("wagtail_smo_posts:edit", args=(post.pk,)), {
        "text": "Saved only", "link": post.link, "image": ""})
    assert response.status_code == 302
    assert row(post)["text"] == "Saved only" and row(post)["status"] == PostStatus.DRAFT
