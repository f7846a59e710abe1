"""Post drafts on publish: every publish path, republishing, private and non-live pages."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from example_site.blog.models import NewsIndexPage, NewsPage
from wagtail_smo.models import PostStatus, SocialChannel, SocialPost
from wagtail_smo.posts.tasks import create_post_drafts
from wagtail_smo.providers import channel_aliases
from wagtail_smo.queue import enqueue_now

pytestmark = pytest.mark.django_db


@pytest.fixture
def news(demo_content):
    return NewsIndexPage.objects.get(slug="news")


@pytest.fixture
def draft_page(news):
    """A news page that was saved as a draft but never published."""
    page = NewsPage(title="Fresh news", slug="fresh-news", body="<p>Hello world.</p>", live=False)
    news.add_child(instance=page)
    page.tags.set(["wagtail", "release notes"])
    page.save_revision()
    return page


@pytest.fixture
def admin_user(db):
    return get_user_model().objects.create_superuser("boss", "boss@example.com", "pw")


def posts_of(page):
    return SocialPost.objects.filter(page=page)


def test_revision_publish_creates_one_draft_per_enabled_channel(
    draft_page, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        draft_page.get_latest_revision().publish()
    posts = posts_of(draft_page)
    assert sorted(p.channel for p in posts) == sorted(channel_aliases())
    assert {p.status for p in posts} == {PostStatus.DRAFT}
    for post in posts:
        assert post.revision_id == draft_page.get_latest_revision().pk
        assert "Fresh news" in post.text
        assert post.link.startswith("http://localhost/news/fresh-news/")
        assert f"utm_source={SocialChannel.objects.get(channel=post.channel).network}" in post.link
    # Hashtags come from the page's tags, normalised.
    mastodon = posts.get(channel="mastodon-demo")
    assert "#ReleaseNotes" in mastodon.text and "#wagtail" in mastodon.text


def test_nothing_happens_before_commit(draft_page, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        draft_page.get_latest_revision().publish()
    assert not posts_of(draft_page).exists()
    # The draft task for this page is enqueued once the publish commits.
    assert any(
        getattr(c, "func", None) is enqueue_now and c.args[:2] == (create_post_drafts, draft_page.pk)
        for c in callbacks
    )


def test_disabled_channel_and_other_site_get_no_draft(
    draft_page, django_capture_on_commit_callbacks
):
    SocialChannel.objects.filter(channel="x-demo").update(enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        draft_page.get_latest_revision().publish()
    assert sorted(posts_of(draft_page).values_list("channel", flat=True)) == [
        "linkedin-demo", "mastodon-demo"
    ]


def test_republish_never_creates_a_second_open_draft(
    draft_page, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        draft_page.get_latest_revision().publish()
    count = posts_of(draft_page).count()
    page = NewsPage.objects.get(pk=draft_page.pk)
    assert page.share_when_published is False  # switched off after the drafts were made
    # The editor form (latest revision) shows the switch off too.
    assert page.get_latest_revision_as_object().share_when_published is False
    page.title = "Fresh news, updated"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert posts_of(draft_page).count() == count
    # Even with "share this update" ticked, an open post per channel stays the only one.
    page.share_when_published = True
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert posts_of(draft_page).count() == count


def test_share_this_update_after_the_posts_were_sent(
    draft_page, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        draft_page.get_latest_revision().publish()
    posts_of(draft_page).update(status=PostStatus.SENT, sent_at=timezone.now())
    page = NewsPage.objects.get(pk=draft_page.pk)
    page.title = "Fresh news: part two"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()  # not ticked: no re-share on its own
    assert not posts_of(page).filter(status=PostStatus.DRAFT).exists()
    page.share_when_published = True
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    drafts = posts_of(page).filter(status=PostStatus.DRAFT)
    assert drafts.count() == len(channel_aliases())
    assert all("part two" in p.text for p in drafts)


def test_private_page_gets_no_drafts(draft_page, django_capture_on_commit_callbacks):
    PageViewRestriction.objects.create(
        page=draft_page, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    with django_capture_on_commit_callbacks(execute=True):
        draft_page.get_latest_revision().publish()
    assert not posts_of(draft_page).exists()


def test_page_under_private_section_gets_no_drafts(
    news, draft_page, django_capture_on_commit_callbacks
):
    PageViewRestriction.objects.create(
        page=news, restriction_type=PageViewRestriction.LOGIN
    )
    with django_capture_on_commit_callbacks(execute=True):
        draft_page.get_latest_revision().publish()
    assert not posts_of(draft_page).exists()


def test_switch_off_means_no_drafts(draft_page, django_capture_on_commit_callbacks):
    draft_page.share_when_published = False
    with django_capture_on_commit_callbacks(execute=True):
        draft_page.save_revision().publish()
    assert not posts_of(draft_page).exists()


def test_page_type_may_opt_out(draft_page, django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr(NewsPage, "smo_post_drafts", False, raising=False)
    with django_capture_on_commit_callbacks(execute=True):
        draft_page.get_latest_revision().publish()
    assert not posts_of(draft_page).exists()


def test_scheduled_publishing_creates_drafts_only_when_live(
    draft_page, django_capture_on_commit_callbacks
):
    go_live = timezone.now() + datetime.timedelta(days=1)
    draft_page.go_live_at = go_live
    with django_capture_on_commit_callbacks(execute=True):
        revision = draft_page.save_revision(approved_go_live_at=go_live)
        revision.publish()  # only schedules: page_published fires with live=False
    assert not NewsPage.objects.get(pk=draft_page.pk).live
    assert not posts_of(draft_page).exists()
    # Time passes: the scheduled revision is due (moved back instead of waiting a day).
    due = timezone.now() - datetime.timedelta(minutes=1)
    revision.approved_go_live_at = due
    revision.content["go_live_at"] = due.isoformat()
    revision.save(update_fields=["approved_go_live_at", "content"])
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_scheduled")
    assert NewsPage.objects.get(pk=draft_page.pk).live
    assert posts_of(draft_page).count() == len(channel_aliases())


def test_workflow_approval_creates_drafts(
    draft_page, admin_user, django_capture_on_commit_callbacks
):
    workflow = draft_page.get_workflow()
    assert workflow is not None  # Wagtail's default "Moderators approval" on the root
    with django_capture_on_commit_callbacks(execute=True):
        state = workflow.start(draft_page, admin_user)
    assert not posts_of(draft_page).exists()  # submitted, not published
    task_state = state.current_task_state
    with django_capture_on_commit_callbacks(execute=True):
        task_state.task.specific.on_action(task_state, admin_user, "approve")
    assert NewsPage.objects.get(pk=draft_page.pk).live
    assert posts_of(draft_page).count() == len(channel_aliases())


def test_bulk_publish_creates_drafts(
    client, news, draft_page, admin_user, django_capture_on_commit_callbacks
):
    other = NewsPage(title="Second", slug="second", body="<p>Two.</p>", live=False)
    news.add_child(instance=other)
    other.save_revision()
    client.force_login(admin_user)
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{url}?id={draft_page.pk}&id={other.pk}", {"include_descendants": ""})
    assert response.status_code == 302
    for page in (draft_page, other):
        assert posts_of(page).count() == len(channel_aliases())


def test_admin_publish_button_creates_drafts(
    client, draft_page, admin_user, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    data = nested_form_data({
        "title": "Published from the editor",
        "slug": "fresh-news",
        "date": "",
        "body": rich_text("<p>Edited.</p>"),
        "tags": "wagtail",
        "share_when_published": "on",
        "social_image_fallback": "on",
        "comments": inline_formset([]),
        "action-publish": "publish",
    })
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("wagtailadmin_pages:edit", args=(draft_page.pk,)), data)
    assert response.status_code == 302, response.context["form"].errors
    posts = posts_of(draft_page)
    assert posts.count() == len(channel_aliases())
    assert all(p.created_by == admin_user for p in posts)
    assert all("Published from the editor" in p.text for p in posts)


def test_unpublished_save_creates_nothing(draft_page, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        draft_page.save_revision()
    assert not posts_of(draft_page).exists()


def test_creation_is_logged_in_history(draft_page, django_capture_on_commit_callbacks):
    from wagtail.models import ModelLogEntry

    with django_capture_on_commit_callbacks(execute=True):
        draft_page.get_latest_revision().publish()
    entries = ModelLogEntry.objects.filter(action="wagtail_smo.post.create")
    assert sorted(int(e.object_id) for e in entries) == sorted(
        posts_of(draft_page).values_list("pk", flat=True)
    )


def test_auto_approve_channel_creates_approved_post(
    draft_page, django_capture_on_commit_callbacks
):
    SocialChannel.objects.filter(channel="x-demo").update(auto_approve=True)
    with django_capture_on_commit_callbacks(execute=True):
        draft_page.get_latest_revision().publish()
    x_post = posts_of(draft_page).get(channel="x-demo")
    assert x_post.status != PostStatus.DRAFT
    assert posts_of(draft_page).get(channel="mastodon-demo").status == PostStatus.DRAFT


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_publishes_give_one_draft_per_channel(demo_content):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL) for real concurrency")
    news = NewsIndexPage.objects.get(slug="news")
    page = NewsPage(title="Race", slug="race", body="<p>Go.</p>", live=False)
    news.add_child(instance=page)
    page.save_revision()
    barrier = threading.Barrier(2)
    errors = []

    def publish():
        try:
            revision = Page.objects.get(pk=page.pk).specific.get_latest_revision()
            barrier.wait()
            revision.publish()
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=publish) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    channels = list(posts_of(page).values_list("channel", flat=True))
    assert sorted(channels) == sorted(channel_aliases())


def test_a_failure_while_composing_never_breaks_the_publish(
    draft_page, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    from wagtail_smo.posts import drafts

    def broken(*args, **kwargs):
        raise RuntimeError("template exploded")

    monkeypatch.setattr(drafts, "compose_for_channel", broken)
    with django_capture_on_commit_callbacks(execute=True):
        draft_page.get_latest_revision().publish()
    assert NewsPage.objects.get(pk=draft_page.pk).live
    assert not posts_of(draft_page).exists()
    assert "could not be created" in caplog.text and "template exploded" in caplog.text
