"""Posts are named by page title and channel name; channels by name; bulk actions say "posts";
the dashboard panel is built from Wagtail's panel components."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from example_site.blog.models import BlogPage
from tests.test_posts_admin import make_user
from wagtail_smo.core.networks import channel_label
from wagtail_smo.models import PostStatus, SocialPost

pytestmark = pytest.mark.django_db

BASE = ("add_socialpost", "change_socialpost", "view_socialpost", "approve_socialpost")


@pytest.fixture
def page(demo_content):
    return BlogPage.objects.get(slug="social-cards-explained")


def make(page, channel="x-demo", **fields):
    return SocialPost.objects.create(page=page, site=page.get_site(), channel=channel,
                                     text=fields.pop("text", "Hello"), **fields)


def test_a_post_is_named_by_page_title_and_channel_name(page):
    post = make(page)
    assert str(post) == "Social cards, explained · X"
    assert str(make(page, "mastodon-demo")) == "Social cards, explained · Mastodon"


def test_channel_names(settings):
    providers = dict(settings.WAGTAIL_SMO["PROVIDERS"])
    assert [channel_label(a) for a in providers] == ["Mastodon", "X", "LinkedIn"]
    providers["mastodon-second"] = {**providers["mastodon-demo"]}
    providers["x-demo"] = {**providers["x-demo"], "LABEL": "Newsroom on X"}
    settings.WAGTAIL_SMO = {**settings.WAGTAIL_SMO, "PROVIDERS": providers}
    assert channel_label("x-demo") == "Newsroom on X"
    # Two channels on one network: the alias tells them apart.
    assert channel_label("mastodon-demo") == "Mastodon (mastodon-demo)"
    assert channel_label("mastodon-second") == "Mastodon (mastodon-second)"
    assert channel_label("gone") == "gone"


def test_listing_names_posts_and_channels_and_bulk_words_say_posts(client, page):
    post = make(page, "linkedin-demo", text="A LinkedIn post")
    client.force_login(make_user("boss", *BASE))
    html = client.get(reverse("wagtail_smo_posts:list")).content.decode()
    row = html.split(reverse("wagtail_smo_posts:edit", args=(post.pk,)), 1)[1].split("</tr>")[0]
    assert "Social cards, explained · LinkedIn" in row and "A LinkedIn post" in row
    assert "linkedin-demo" not in row
    # The channel filter offers names.
    assert re.search(r'<option value="linkedin-demo"[^>]*>\s*LinkedIn\s*</option>', html)
    strings = json.loads(re.search(
        r'<script id="smo-bulk-strings" type="application/json">(.*?)</script>', html).group(1))
    assert strings["PLURAL"] == "%(objects)s posts selected"
    assert strings["ALL_IN_LISTING"] == "All posts in listing selected"
    footer = re.search(r'<section class="footer bulk-actions-choices.*?</section>', html,
                       re.S).group(0)
    assert 'data-bulk-action-footer="SOCIALPOST"' in footer and "snippet" not in footer.lower()


def test_history_names_the_post(client, page):
    post = make(page)
    client.force_login(make_user("boss", *BASE))
    client.post(reverse("wagtail_smo_posts:action", args=(post.pk, "approve")))
    entry = ModelLogEntry.objects.get(object_id=str(post.pk), action="wagtail_smo.post.approve")
    assert entry.label == "Social cards, explained · X"


def test_dashboard_panel_counts_next_scheduled_failures_and_stale(client, page):
    soon = timezone.now() + datetime.timedelta(days=1)
    later = timezone.now() + datetime.timedelta(days=4)
    first = make(page, "x-demo", status=PostStatus.SCHEDULED, scheduled_at=soon)
    make(page, "mastodon-demo", status=PostStatus.SCHEDULED, scheduled_at=later,
         page_changed={"title": ["Old", "New"]})
    make(page, "linkedin-demo", status=PostStatus.FAILED, last_error="Token expired")
    user = make_user("boss", *BASE)
    client.force_login(user)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    # Wagtail's own panel component ({% panel %}): its section, heading and anchor.
    assert re.search(r'<section class="w-panel[^"]*" id="smo-social-posts-section"', html)
    panel = html.split('id="smo-social-posts-section"', 1)[1]
    assert 'id="smo-social-posts-heading"' in panel
    listing = reverse("wagtail_smo_posts:list")
    assert f'<a href="{listing}?status=scheduled">' in panel
    counts = dict(re.findall(r'<li data-status="(\w+)">.*?<a href="[^"]+">\s*(\d+)', panel, re.S))
    assert counts["scheduled"] == "2" and counts["failed"] == "1" and counts["sent"] == "0"
    assert "1 post whose page changed since it was written" in panel
    assert "Token expired" in panel
    next_rows = panel.split("Next scheduled", 1)[1]
    assert next_rows.index(f'data-post-id="{first.pk}"') < next_rows.index("Mastodon")
    # Times are written out in the user's time zone, not "just now".
    local = timezone.localtime(soon).strftime("%H:%M")
    assert "<time datetime=" in next_rows and local in next_rows
