"""A delivery reuses the post's stored composition while its page is unchanged.

The record (``composed_from``) holds the social values the post was composed from; the worker
resolves the page again only when it was published anew since. Shown by what is sent: a title
changed in the database behind Wagtail's back (no revision, no signal, the cache cleared) is
what a resolve would read, so a delivery that still sends the composed title did not resolve.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site

from example_site.blog.models import NewsIndexPage, NewsPage
from wagtail_smo.models import PostStatus, SocialChannel, SocialPost
from wagtail_smo.posts import delivery, workflow
from wagtail_smo.posts.outgoing import outgoing_post
from wagtail_smo.providers.locmem import LocmemProvider

pytestmark = pytest.mark.django_db

CHANNELS = {"mem": {"BACKEND": "wagtail_smo.providers.locmem.LocmemProvider", "OPTIONS": {}}}


@pytest.fixture(autouse=True)
def channels():
    LocmemProvider.reset()
    with override_settings(WAGTAIL_SMO={"PROVIDERS": CHANNELS}):
        yield
    LocmemProvider.reset()


@pytest.fixture
def post(demo_content, django_capture_on_commit_callbacks):
    """The draft composed when a news page was published (tasks run at once in the tests)."""
    SocialChannel.objects.create(site=Site.objects.get(is_default_site=True), channel="mem")
    page = NewsPage(title="Composed title", slug="composed", body="<p>Body.</p>", live=False)
    NewsIndexPage.objects.get(slug="news").add_child(instance=page)
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    return SocialPost.objects.get(page=page, channel="mem")


def rename_behind_wagtails_back(post: SocialPost, title: str) -> None:
    """What a resolve would now read, without a revision (the page counts as unchanged)."""
    Page.objects.filter(pk=post.page_id).update(title=title, seo_title="")
    cache.clear()


def test_an_unchanged_post_is_sent_from_its_record(post):
    assert post.composed_from["inputs"]["title"] == "Composed title"
    rename_behind_wagtails_back(post, "Renamed behind")
    with CaptureQueriesContext(connection) as queries:
        message = outgoing_post(SocialPost.objects.get(pk=post.pk))
    assert message.title == "Composed title"
    assert message.link == post.link
    # No resolve: neither the site's social settings nor the page's tags were read.
    sqls = " ".join(q["sql"] for q in queries.captured_queries)
    assert "wagtail_smo_socialmediasettings" not in sqls
    assert "taggit" not in sqls


def test_the_worker_delivers_an_unchanged_post_without_resolving(
    post, django_capture_on_commit_callbacks
):
    rename_behind_wagtails_back(post, "Renamed behind")
    SocialPost.objects.filter(pk=post.pk).update(status=PostStatus.APPROVED)
    with CaptureQueriesContext(connection) as queries, \
            django_capture_on_commit_callbacks(execute=True):
        workflow.queue_post(SocialPost.objects.get(pk=post.pk))
    assert SocialPost.objects.get(pk=post.pk).status == PostStatus.SENT
    assert [sent["text"] for sent in LocmemProvider.outbox] == [post.text]
    assert "wagtail_smo_socialmediasettings" not in " ".join(
        q["sql"] for q in queries.captured_queries)
    assert delivery.deliver(post.pk) == "skipped"


def test_a_page_published_since_is_resolved_again(post, django_capture_on_commit_callbacks):
    # An approved post is not recomposed by a publish (it is flagged): its record is older
    # than the page's live revision, so the delivery reads the page as it is now.
    SocialPost.objects.filter(pk=post.pk).update(status=PostStatus.APPROVED)
    page = NewsPage.objects.get(pk=post.page_id)
    page.title = "Second title"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    sent = SocialPost.objects.get(pk=post.pk)
    assert sent.revision_id != NewsPage.objects.get(pk=post.page_id).live_revision_id
    assert outgoing_post(sent).title == "Second title"


def test_a_record_without_the_image_fields_is_resolved(post):
    # Posts composed before the record kept the image's URL and alt text.
    record = {k: v for k, v in post.composed_from.items() if k not in ("image_url", "image_alt")}
    SocialPost.objects.filter(pk=post.pk).update(composed_from=record)
    rename_behind_wagtails_back(post, "Renamed behind")
    assert outgoing_post(SocialPost.objects.get(pk=post.pk)).title == "Renamed behind"
