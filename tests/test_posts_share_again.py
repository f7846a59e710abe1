"""Share again, duplicate and the import once the earlier post is closed; a copy for another
network is composed for it."""

from __future__ import annotations

import csv
import io
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from twitter_text import parse_tweet
from wagtail.models import ModelLogEntry

from example_site.blog.models import BlogPage
from tests.test_posts_admin import make_user
from tests.test_posts_import import when
from wagtail_smo.meta import resolve
from wagtail_smo.models import PostStatus, SocialPost
from wagtail_smo.posts import drafts

pytestmark = pytest.mark.django_db

BASE = ("add_socialpost", "change_socialpost", "view_socialpost")


@pytest.fixture
def page(demo_content):
    return BlogPage.objects.get(slug="social-cards-explained")


@pytest.fixture
def editor(db):
    return make_user("editor", *BASE)


def make_post(page, channel="mastodon-demo", status=PostStatus.SENT, **fields):
    fields.setdefault("text", "Sent long ago")
    return SocialPost.objects.create(page=page, site=page.get_site(), channel=channel,
                                     status=status, link="https://example.com/old", **fields)


def action(client, post, name, **data):
    return client.post(reverse("wagtail_smo_posts:action", args=(post.pk, name)), data)


def query(url):
    return parse_qs(urlsplit(url).query)


@pytest.mark.parametrize("status", [PostStatus.SENT, PostStatus.CANCELLED])
def test_share_again_a_closed_post_makes_a_fresh_draft(client, editor, page, status):
    old = make_post(page, status=status, sent_at=timezone.now())
    client.force_login(editor)
    response = action(client, old, "share_again")
    new = SocialPost.objects.exclude(pk=old.pk).get()
    assert response["Location"] == reverse("wagtail_smo_posts:edit", args=(new.pk,))
    assert (new.status, new.channel, new.page_id) == (PostStatus.DRAFT, "mastodon-demo", page.pk)
    assert new.created_by == editor
    # Composed from the page as it is now, not copied from the old post.
    # Its link names the new post (its own click reference), not the old one.
    expected = drafts.composed_fields(page, "mastodon-demo", new.click_ref)
    assert (new.text, new.link) == (expected["text"], expected["link"])
    assert resolve(page).title in new.text and query(new.link)["utm_source"] == ["mastodon"]
    assert new.click_ref and new.click_ref != old.click_ref
    assert query(new.link)["utm_content"] == [f"smo-{new.click_ref}"]
    old.refresh_from_db()
    assert old.status == status
    assert ModelLogEntry.objects.filter(object_id=str(new.pk),
                                        action="wagtail_smo.post.share_again").exists()


def test_share_again_a_failed_post_closes_it_first(client, editor, page):
    failed = make_post(page, status=PostStatus.FAILED, last_error="Rate limited")
    client.force_login(editor)
    action(client, failed, "share_again")
    failed.refresh_from_db()
    assert failed.status == PostStatus.CANCELLED
    assert SocialPost.objects.get(status=PostStatus.DRAFT).channel == "mastodon-demo"


@pytest.mark.parametrize("status", [PostStatus.DRAFT, PostStatus.SCHEDULED, PostStatus.SENDING])
def test_an_open_post_is_not_shared_again(client, editor, page, status):
    post = make_post(page, status=status)
    client.force_login(editor)
    response = action(client, post, "share_again", next=reverse("wagtail_smo_posts:list"))
    assert SocialPost.objects.count() == 1
    text = " ".join(str(m) for m in response.wsgi_request._messages)
    assert "edit it instead" in text and post.get_status_display().lower() in text


def test_share_again_says_which_open_post_blocks_it(client, editor, page):
    sent = make_post(page, status=PostStatus.SENT)
    make_post(page, status=PostStatus.SCHEDULED, text="Queued")
    client.force_login(editor)
    response = action(client, sent, "share_again", next=reverse("wagtail_smo_posts:list"))
    assert SocialPost.objects.count() == 2
    text = " ".join(str(m) for m in response.wsgi_request._messages)
    assert "already has an open post for Mastodon (scheduled)" in text


def test_share_again_needs_the_add_permission(client, page):
    sent = make_post(page)
    client.force_login(make_user("viewer", "view_socialpost", "change_socialpost"))
    assert action(client, sent, "share_again").status_code == 403
    assert SocialPost.objects.count() == 1


def test_share_again_button_on_sent_and_failed_posts_only(client, editor, page):
    client.force_login(editor)
    sent = make_post(page)
    html = client.get(reverse("wagtail_smo_posts:inspect", args=(sent.pk,))).content.decode()
    assert 'data-smo-action="share_again"' in html
    sent.delete()
    failed = make_post(page, status=PostStatus.FAILED)
    html = client.get(reverse("wagtail_smo_posts:edit", args=(failed.pk,))).content.decode()
    assert 'form="w-editor-form" name="smo-action" value="share_again"' in html
    failed.delete()
    draft = make_post(page, status=PostStatus.DRAFT)
    html = client.get(reverse("wagtail_smo_posts:edit", args=(draft.pk,))).content.decode()
    assert "share_again" not in html


def test_duplicate_to_another_network_is_composed_for_it(client, editor, page):
    """A Mastodon post copied to X gets X's UTM source, template, hashtags and length."""
    mastodon = make_post(page, status=PostStatus.DRAFT, text="Hand-written for Mastodon")
    mastodon.link = drafts.composed_fields(page, "mastodon-demo", mastodon.click_ref)["link"]
    mastodon.save()
    client.force_login(editor)
    action(client, mastodon, "duplicate", channel="x-demo")
    copy = SocialPost.objects.get(channel="x-demo")
    assert query(copy.link)["utm_source"] == ["x"]
    assert query(copy.link)["utm_content"] == [f"smo-{copy.click_ref}"] != [
        f"smo-{mastodon.click_ref}"]
    assert "utm_source=mastodon" not in copy.text and "utm_source=mastodon" not in copy.link
    assert copy.text != mastodon.text and resolve(page).title in copy.text
    assert parse_tweet(copy.text).weightedLength <= 280
    # The same channel keeps the edited text (the copy is for re-use, not a recompose).
    mastodon.status = PostStatus.CANCELLED
    mastodon.save()
    action(client, mastodon, "duplicate")
    same = SocialPost.objects.get(channel="mastodon-demo", status=PostStatus.DRAFT)
    assert same.text == "Hand-written for Mastodon"
    # Its link is the original's, naming the copy: a click on it counts for the copy.
    assert same.click_ref != mastodon.click_ref
    assert same.link == mastodon.link.replace(f"smo-{mastodon.click_ref}", f"smo-{same.click_ref}")
    assert query(same.link)["utm_content"] == [f"smo-{same.click_ref}"]


def _csv(tmp_path, page):
    buffer = io.StringIO()
    csv.writer(buffer).writerows([
        ["channel", "datetime", "text", "link", "image_url"],
        ["x-demo", when().strftime("%Y-%m-%d %H:%M"), "Again", page.full_url, ""],
    ])
    path = tmp_path / "again.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def test_import_allows_a_new_post_once_the_earlier_one_is_closed(page, tmp_path, capsys):
    open_post = make_post(page, channel="x-demo", status=PostStatus.SCHEDULED)
    with pytest.raises(CommandError):
        call_command("smo_import_schedule", str(_csv(tmp_path, page)))
    assert ("row 2: the page already has an open post for x-demo (scheduled): cancel it or wait "
            "until it is sent") in capsys.readouterr().err
    assert SocialPost.objects.count() == 1
    open_post.status = PostStatus.SENT
    open_post.save()
    call_command("smo_import_schedule", str(_csv(tmp_path, page)))
    assert SocialPost.objects.filter(channel="x-demo", status=PostStatus.SCHEDULED,
                                     text="Again").exists()
