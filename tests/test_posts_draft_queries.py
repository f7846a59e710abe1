"""Draft creation costs a fixed number of queries, however many channels the site enables."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from example_site.blog.models import BlogIndexPage, BlogPage
from wagtail_smo.models import SocialChannel, SocialPost
from wagtail_smo.posts.drafts import create_drafts_for

pytestmark = pytest.mark.django_db

NETWORKS = ["x", "mastodon", "bluesky", "threads", "linkedin", "telegram", "facebook", "vk"]
PROVIDERS = {
    f"{network}-q": {"BACKEND": "wagtail_smo.providers.console.ConsoleProvider",
                     "OPTIONS": {"NETWORK": network}}
    for network in NETWORKS
}


def draft_queries(blog: BlogIndexPage, count: int, slug: str) -> int:
    """Queries of the draft task for a freshly published page with ``count`` channels."""
    site = blog.get_site()
    SocialChannel.objects.all().delete()
    for network in NETWORKS[:count]:
        SocialChannel.objects.create(site=site, channel=f"{network}-q", enabled=True)
    page = blog.add_child(instance=BlogPage(title=f"Queries {slug}", slug=slug, intro="x"))
    revision = page.save_revision()
    revision.publish()
    SocialPost.objects.filter(page=page).delete()  # the publish's own task may have run
    with CaptureQueriesContext(connection) as queries:
        made = create_drafts_for(page.pk, revision.pk)
    assert len(made) == count
    return len(queries)


def test_each_further_channel_adds_no_query(demo_content):
    with override_settings(WAGTAIL_SMO={**settings.WAGTAIL_SMO, "PROVIDERS": PROVIDERS}):
        blog = BlogIndexPage.objects.filter(slug="blog").order_by("pk").first()
        draft_queries(blog, 1, "q-warm")  # content types and site root paths: cached after it
        one = draft_queries(blog, 1, "q-one")
        four = draft_queries(blog, 4, "q-four")
        eight = draft_queries(blog, 8, "q-eight")
    assert one == four == eight
