"""The posts workflow in real headless Chromium: publish, review, count, schedule, calendar."""

from __future__ import annotations

import datetime
import os
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from twitter_text import parse_tweet

from example_site.blog.models import NewsIndexPage, NewsPage
from tests import browser
from wagtail_smo.models import PostStatus, SocialPost
from wagtail_smo.providers import channel_aliases

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def site(live_server):
    """Demo content (channels enabled) served by the live server, an admin and a draft page."""
    port = urlsplit(live_server.url).port
    call_command("load_demo_content", hostname="localhost", port=port, stdout=open(os.devnull, "w"))
    get_user_model().objects.create_superuser("boss", "boss@example.com", "secret-pw")
    news = NewsIndexPage.objects.get(slug="news")
    page = NewsPage(title="Browser news: социальные карточки 🚀", slug="browser-news",
                    body="<p>Published from the browser.</p>", live=False)
    news.add_child(instance=page)
    page.tags.set(["browser test", "wagtail"])
    page.save_revision()
    return live_server.url, page


def login(page, base: str) -> None:
    browser.login(page, base, "boss", "secret-pw")


def test_publish_review_count_schedule_and_find_in_calendar(browser_page, site, test_output_dir):
    base, news_page = site
    page = browser_page
    login(page, base)

    # 1. Publish the page from the page editor (the "Publish" item of the action menu).
    page.goto(f"{base}/admin/pages/{news_page.pk}/edit/")
    page.locator("footer [data-w-dropdown-target='toggle'], footer .dropdown-toggle").first.click()
    page.locator("button[name='action-publish']").click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/"))
    assert NewsPage.objects.get(pk=news_page.pk).live
    posts = SocialPost.objects.filter(page=news_page)
    assert sorted(posts.values_list("channel", flat=True)) == sorted(channel_aliases())

    # 2. The page editor links to the page's posts; the listing shows the drafts.
    page.goto(f"{base}/admin/pages/{news_page.pk}/edit/")
    # The header's "Actions" menu holds "Social posts (Draft: 3)", linking to the listing.
    page.click("header button[aria-label='Actions']")
    button = page.locator(f"a[href$='social-posts/?page_id={news_page.pk}']")
    button.wait_for()
    assert f"Social posts (Draft: {len(channel_aliases())})" in button.inner_text()
    button.click()
    page.wait_for_url(re.compile(r"/admin/social-posts/\?page_id="))
    rows = page.locator("table.listing tbody tr")
    assert rows.count() == len(channel_aliases())
    page.screenshot(path=str(test_output_dir / "posts-listing.png"), full_page=True)

    # 3. Open the X draft, type: the counter follows the way X counts (checked by twitter-text).
    x_post = posts.get(channel="x-demo")
    page.goto(f"{base}/admin/social-posts/edit/{x_post.pk}/")
    counter = page.locator("#smo-length")
    initial = parse_tweet(x_post.text).weightedLength
    assert counter.inner_text() == str(initial)
    long_text = "日本語のテキスト " * 20 + "https://example.com/" + "a" * 200
    page.fill("#id_text", long_text)
    expected = parse_tweet(long_text).weightedLength
    assert expected > 280
    page.wait_for_function(
        f"document.getElementById('smo-length').textContent === '{expected}'")
    assert page.locator("#smo-over").is_visible()
    page.screenshot(path=str(test_output_dir / "posts-counter-over.png"), full_page=True)
    short_text = "Короткий текст для X 🚀 https://example.com/news"
    page.fill("#id_text", short_text)
    page.wait_for_function(
        f"document.getElementById('smo-length').textContent === "
        f"'{parse_tweet(short_text).weightedLength}'")
    assert not page.locator("#smo-over").is_visible()
    # Each form below is read back from the database once the page its POST leads to has loaded:
    # waiting for the load state of the page already shown returns at once (a race).
    with page.expect_navigation():
        page.locator("footer button[type=submit]").first.click()
    x_post.refresh_from_db()
    assert x_post.text == short_text

    # 4. Schedule it (approving it for that time).
    when = timezone.localtime() + datetime.timedelta(days=2)
    when = when.replace(hour=10, minute=30, second=0, microsecond=0)
    page.goto(f"{base}/admin/social-posts/edit/{x_post.pk}/")
    page.fill("#smo-schedule-at", when.strftime("%Y-%m-%dT%H:%M"))
    with page.expect_navigation():
        page.click("[data-smo-action='schedule']")
    x_post.refresh_from_db()
    assert x_post.status == PostStatus.SCHEDULED
    assert x_post.approved_by.username == "boss"
    assert timezone.localtime(x_post.scheduled_at) == when

    # 5. Approve the Mastodon draft from its page.
    mastodon = posts.get(channel="mastodon-demo")
    page.goto(f"{base}/admin/social-posts/edit/{mastodon.pk}/")
    with page.expect_navigation():
        page.click("[data-smo-action='approve']")
    mastodon.refresh_from_db()
    assert mastodon.status != PostStatus.DRAFT and mastodon.approved_by.username == "boss"

    # 6. The scheduled post is in the calendar, month and week, on its day.
    day = when.date().isoformat()
    for view in ("month", "week"):
        page.goto(f"{base}/admin/social-posts/calendar/?view={view}&date={day}")
        cell = page.locator(f"td[data-date='{day}']")
        link = cell.locator(f"li[data-post-id='{x_post.pk}'] a")
        assert link.count() == 1
        # The channel is shown by its name (X), the alias kept in its data attribute.
        assert link.locator("[data-channel='x-demo']").inner_text() == "X"
        assert "10:30" in link.inner_text()
    page.screenshot(path=str(test_output_dir / "posts-calendar-week.png"), full_page=True)
    link.click()
    page.wait_for_url(re.compile(rf"/admin/social-posts/edit/{x_post.pk}/"))
