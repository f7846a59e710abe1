"""A person follows a post's link from a social network, in real headless Chromium: the visit
counts once after the flush, no cookie is set, and the browser asks no third party for anything.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Page

from wagtail_smo.analytics import clicks
from wagtail_smo.models import ClickCount, PostStatus, SocialPost
from wagtail_smo.posts import drafts

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

#: A desktop Chrome's user agent (headless Chromium calls itself "HeadlessChrome": a bot).
CHROME = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/131.0.0.0 Safari/537.36")
NETWORK = "https://mastodon.example/@site/1"


@pytest.fixture
def post(live_server):
    port = urlsplit(live_server.url).port
    call_command("load_demo_content", hostname="localhost", port=port, stdout=open(os.devnull, "w"))
    page = Page.objects.get(slug="social-cards-explained").specific
    made = SocialPost(page=page, site=page.get_site(), channel="mastodon-demo",
                      status=PostStatus.SENT, sent_at=timezone.now())
    made.link = drafts.composed_fields(page, "mastodon-demo", made.click_ref)["link"]
    made.save()
    clicks.MEMORY.take()
    yield made
    clicks.MEMORY.take()


def follow_the_post(chromium, post, user_agent, shot=None):
    """Open a stub of the post on its network and click its link; the browser's foreign
    requests (after the network's own page) and its cookies once on the site."""
    context = chromium.new_context(user_agent=user_agent)
    foreign = []

    def route(request_route):
        url = request_route.request.url
        if url == NETWORK:
            request_route.fulfill(status=200, content_type="text/html",
                                  body=f'<a id="post-link" href="{post.link}">Read</a>')
        elif urlsplit(url).netloc != urlsplit(post.link).netloc:
            foreign.append(url)
            request_route.fulfill(status=204)
        else:
            request_route.continue_()

    context.route("**/*", route)
    try:
        tab = context.new_page()
        tab.goto(NETWORK)
        with tab.expect_navigation(wait_until="networkidle"):
            tab.click("#post-link")
        assert tab.url == post.link
        if shot:
            tab.screenshot(path=str(shot))
        return foreign, context.cookies()
    finally:
        context.close()


@override_settings(WAGTAIL_SMO={"CLICKS": {"CACHE": ""}})
def test_following_a_posts_link_counts_once_and_sets_no_cookie(chromium, post, test_output_dir):
    foreign, cookies = follow_the_post(chromium, post, CHROME,
                                       shot=test_output_dir / "clicks-landing.png")
    assert foreign == [] and cookies == []
    # Headless Chromium's own agent is a bot's: the same visit counts nothing.
    follow_the_post(chromium, post, None)
    assert clicks.flush()["rows"] == 1
    row = ClickCount.objects.get()
    assert (row.page_id, row.post_id, row.network, row.count) == (
        post.page_id, post.pk, "mastodon", 1)
