"""Drafts follow their page: untouched drafts are recomposed on republish, edited and queued
posts are flagged "page changed" with what changed, and "Recompose from page" clears the flag."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from example_site.blog.models import NewsIndexPage, NewsPage
from tests.test_posts_admin import make_user
from wagtail_smo.models import PostStatus, SocialPost
from wagtail_smo.posts import following

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(demo_content, django_capture_on_commit_callbacks):
    """A news page published with "share when published": one composed draft per channel."""
    page = NewsPage(title="Fresh news", slug="fresh-news", body="<p>Hello.</p>", live=False,
                    social_title="First social title", social_description="First description.")
    NewsIndexPage.objects.get(slug="news").add_child(instance=page)
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    return NewsPage.objects.get(pk=page.pk)


@pytest.fixture
def boss(db):
    base = ("add_socialpost", "change_socialpost", "view_socialpost")
    return make_user("boss", *base, "approve_socialpost", "send_socialpost")


def republish(page, django_capture_on_commit_callbacks, **fields):
    page = NewsPage.objects.get(pk=page.pk)
    for name, value in fields.items():
        setattr(page, name, value)
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    return page


def post(channel):
    return SocialPost.objects.get(page__slug="fresh-news", channel=channel,
                                  status__in=following.FOLLOWING)


def test_a_composed_post_records_what_it_was_composed_from(shared):
    x = post("x-demo")
    assert x.revision_id == shared.live_revision_id
    inputs = x.composed_from["inputs"]
    assert inputs["title"] == "First social title"
    assert inputs["description"] == "First description."
    assert inputs["url"].startswith("http://localhost/news/fresh-news/")
    assert (x.composed_from["text"], x.composed_from["link"]) == (x.text, x.link)
    assert x.page_changed == {}


def test_republish_recomposes_untouched_drafts_and_flags_the_others(
        shared, django_capture_on_commit_callbacks):
    untouched = post("x-demo")
    edited = post("mastodon-demo")
    edited.text = "Hand-written: First social title"
    edited.save()
    scheduled = post("linkedin-demo")
    when = timezone.now() + datetime.timedelta(days=2)
    SocialPost.objects.filter(pk=scheduled.pk).update(status=PostStatus.SCHEDULED,
                                                      scheduled_at=when)
    scheduled_text = scheduled.text
    page = republish(shared, django_capture_on_commit_callbacks, social_title="Second title")

    untouched.refresh_from_db()
    assert "Second title" in untouched.text and "First social title" not in untouched.text
    assert untouched.page_changed == {} and untouched.status == PostStatus.DRAFT
    assert untouched.composed_from["inputs"]["title"] == "Second title"
    assert untouched.revision_id == NewsPage.objects.get(pk=page.pk).live_revision_id

    edited.refresh_from_db()
    assert edited.text == "Hand-written: First social title"
    assert edited.page_changed == {"title": ["First social title", "Second title"]}

    scheduled.refresh_from_db()
    assert (scheduled.status, scheduled.text) == (PostStatus.SCHEDULED, scheduled_text)
    assert scheduled.page_changed == {"title": ["First social title", "Second title"]}


def test_republish_without_a_social_change_flags_nothing(shared,
                                                         django_capture_on_commit_callbacks):
    edited = post("mastodon-demo")
    edited.text = "Hand-written"
    edited.save()
    before = {p.pk: (p.text, p.updated_at) for p in SocialPost.objects.all()}
    republish(shared, django_capture_on_commit_callbacks, body="<p>Body only.</p>")
    assert {p.pk: (p.text, p.updated_at) for p in SocialPost.objects.all()} == before
    assert not SocialPost.objects.exclude(page_changed={}).exists()


def test_posts_without_a_record_are_left_alone(shared, django_capture_on_commit_callbacks):
    """A post written by hand or imported says nothing about what it came from."""
    x = post("x-demo")
    SocialPost.objects.filter(pk=x.pk).update(composed_from={}, text="Imported")
    republish(shared, django_capture_on_commit_callbacks, social_title="Second title")
    x.refresh_from_db()
    assert (x.text, x.page_changed) == ("Imported", {})


def test_edit_screen_shows_what_changed_and_recompose_clears_it(
        client, boss, shared, django_capture_on_commit_callbacks):
    edited = post("mastodon-demo")
    edited.text = "Hand-written"
    edited.save()
    republish(shared, django_capture_on_commit_callbacks, social_title="Second title",
              social_description="Second description.")
    client.force_login(boss)
    html = client.get(reverse("wagtail_smo_posts:edit", args=(edited.pk,))).content.decode()
    assert "Page changed since this draft was written." in html
    assert "<del>First social title</del> → <ins>Second title</ins>" in html
    assert "<del>First description.</del> → <ins>Second description.</ins>" in html
    assert 'data-smo-action="recompose"' in html
    client.post(reverse("wagtail_smo_posts:action", args=(edited.pk, "recompose")))
    edited.refresh_from_db()
    assert "Second title" in edited.text and edited.page_changed == {}
    assert edited.composed_from["inputs"]["description"] == "Second description."
    html = client.get(reverse("wagtail_smo_posts:edit", args=(edited.pk,))).content.decode()
    assert "Page changed since" not in html


def test_recomposing_a_scheduled_post_sends_it_back_to_review(
        client, boss, shared, django_capture_on_commit_callbacks):
    scheduled = post("linkedin-demo")
    SocialPost.objects.filter(pk=scheduled.pk).update(
        status=PostStatus.SCHEDULED, scheduled_at=timezone.now() + datetime.timedelta(days=2),
        approved_by=boss)
    republish(shared, django_capture_on_commit_callbacks, social_title="Second title")
    client.force_login(boss)
    client.post(reverse("wagtail_smo_posts:action", args=(scheduled.pk, "recompose")))
    scheduled.refresh_from_db()
    assert scheduled.status == PostStatus.DRAFT and scheduled.approved_by is None
    assert "Second title" in scheduled.text and scheduled.page_changed == {}


def test_recompose_needs_the_change_permission(client, shared,
                                               django_capture_on_commit_callbacks):
    edited = post("mastodon-demo")
    edited.text = "Hand-written"
    edited.save()
    republish(shared, django_capture_on_commit_callbacks, social_title="Second title")
    client.force_login(make_user("viewer", "view_socialpost"))
    response = client.post(reverse("wagtail_smo_posts:action", args=(edited.pk, "recompose")))
    assert response.status_code == 403
    edited.refresh_from_db()
    assert edited.text == "Hand-written" and edited.page_changed


def test_saving_the_form_takes_the_change_as_seen(client, boss, shared,
                                                  django_capture_on_commit_callbacks):
    edited = post("mastodon-demo")
    edited.text = "Hand-written"
    edited.save()
    republish(shared, django_capture_on_commit_callbacks, social_title="Second title")
    client.force_login(boss)
    client.post(reverse("wagtail_smo_posts:edit", args=(edited.pk,)), {
        "text": "Checked against the new title", "link": edited.link, "image": ""})
    edited.refresh_from_db()
    assert edited.page_changed == {}
    assert edited.composed_from["inputs"]["title"] == "Second title"
    # The next publish compares with what the editor saw: no flag without a new change.
    republish(NewsPage.objects.get(pk=shared.pk), django_capture_on_commit_callbacks,
              body="<p>Body only.</p>")
    edited.refresh_from_db()
    assert edited.page_changed == {}


def test_stale_posts_are_flagged_in_the_listing_calendar_and_dashboard(
        client, boss, shared, django_capture_on_commit_callbacks):
    scheduled = post("linkedin-demo")
    when = timezone.localtime() + datetime.timedelta(days=2)
    SocialPost.objects.filter(pk=scheduled.pk).update(status=PostStatus.SCHEDULED,
                                                      scheduled_at=when)
    republish(shared, django_capture_on_commit_callbacks, social_title="Second title")
    client.force_login(boss)
    listing = client.get(reverse("wagtail_smo_posts:list")).content.decode()
    row = listing.split(reverse("wagtail_smo_posts:edit", args=(scheduled.pk,)), 1)[1]
    row = row.split("</tr>", 1)[0]
    assert 'data-status="scheduled"' in row and "data-page-changed" in row
    flagged = client.get(reverse("wagtail_smo_posts:list"), {"page_changed": "true"})
    html = flagged.content.decode()
    assert reverse("wagtail_smo_posts:edit", args=(scheduled.pk,)) in html
    assert reverse("wagtail_smo_posts:edit", args=(post("x-demo").pk,)) not in html
    day = when.date().isoformat()
    calendar = client.get(reverse("wagtail_smo_posts:calendar"),
                          {"view": "week", "date": day}).content.decode()
    item = calendar.split(f'data-post-id="{scheduled.pk}"', 1)[1].split("</li>", 1)[0]
    assert "data-page-changed" in item
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "1 post whose page changed since it was written" in home
