"""RSS feed of a channel's approved and scheduled posts, read back with feedparser."""

from __future__ import annotations

import datetime

import feedparser
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from example_site.blog.models import BlogPage
from wagtail_smo.models import PostStatus, SocialPost
from wagtail_smo.posts.feed import feed_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def posts(demo_content):
    soon = timezone.now() + datetime.timedelta(hours=2)
    pages = {p.slug: p for p in BlogPage.objects.all()}
    make = lambda slug, status, text, **kw: SocialPost.objects.create(  # noqa: E731
        page=pages[slug], site=demo_content, channel=kw.pop("channel", "x-demo"), text=text,
        link=pages[slug].full_url, status=status, **kw)
    return {
        "scheduled": make("social-cards-explained", PostStatus.SCHEDULED,
                          'Tom & Jerry <script>alert(1)</script> "quoted"', scheduled_at=soon),
        "approved": make("hashtags-and-reach", PostStatus.APPROVED, "Approved 🚀"),
        "draft": make("very-long-title", PostStatus.DRAFT, "Draft, not in the feed"),
        "sent": make("quotes-and-brackets", PostStatus.SENT, "Sent, not in the feed"),
        "other_channel": make("only-a-body-image", PostStatus.APPROVED,
                              "Other channel", channel="mastodon-demo"),
        "private": make("inherits-section-image", PostStatus.APPROVED, "Private page"),
    }


def test_feed_lists_approved_and_scheduled_posts_of_the_channel(client, posts):
    PageViewRestriction.objects.create(page=posts["private"].page, restriction_type="login")
    response = client.get(feed_path("x-demo"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo
    ids = [entry.id for entry in parsed.entries]
    # Approved posts (as soon as possible) first, then scheduled ones by time.
    assert ids == [f"wagtail-smo-post-{posts[k].pk}" for k in ("approved", "scheduled")]
    scheduled = next(e for e in parsed.entries if e.id.endswith(str(posts["scheduled"].pk)))
    # The text arrives as text: the markup characters were escaped, not interpreted.
    assert "<script>" not in response.content.decode()
    assert scheduled.link == posts["scheduled"].link


def test_feed_needs_the_token(client, posts):
    path = reverse("wagtail_smo:post_feed", args=("x-demo",))
    assert client.get(path).status_code == 404
    assert client.get(path, {"token": "wrong"}).status_code == 404
    assert client.get(reverse("wagtail_smo:post_feed", args=("nope",)), {"token": "x"}).status_code == 404


def test_channel_admin_shows_the_feed_url(client, posts):
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(admin)
    html = client.get(reverse("wagtail_smo_channels:index")).content.decode()
    assert feed_path("x-demo").replace("&", "&amp;").split("?")[0] in html
