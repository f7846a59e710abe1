"""Feeds served from the cache: built once per change of what they list, and only then."""

from __future__ import annotations

import json
import logging

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from example_site.blog.models import BlogIndexPage, BlogPage, NewsIndexPage
from tests.test_feeds import publish_post, small_and_large_sections
from wagtail_smo.meta import cache as meta_cache

pytestmark = pytest.mark.django_db
FILES = ("rss.xml", "atom.xml", "feed.json")


def titles(response) -> list[str]:
    return [entry.title for entry in feedparser.parse(response.content).entries]


def warm_queries(client, url: str) -> int:
    """Queries of a request for ``url`` after one that built it."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("filename", FILES)
def test_a_warm_feed_runs_a_few_queries_whatever_its_length(client, demo_content, settings,
                                                            filename):
    small_and_large_sections(settings)
    with CaptureQueriesContext(connection) as cold:
        client.get(f"/smo/feeds/large/{filename}")
    cold_count = len(cold)  # now: Django's query log is a bounded deque
    counts = [warm_queries(client, f"/smo/feeds/{name}/{filename}") for name in ("small", "large")]
    # The site for the request (1), the section with the view restrictions (2), its pages' last
    # publication and the settings' last change (the validators, 2): nothing is resolved.
    assert counts == [5, 5], counts
    assert cold_count > 5


def test_a_publish_rebuilds_the_feeds_it_appears_in_and_no_other(client, demo_content):
    blog = BlogIndexPage.objects.get(slug="blog")
    news = NewsIndexPage.objects.get(slug="news")
    urls = {"blog": "/smo/feeds/blog/rss.xml", "news": "/smo/feeds/news/rss.xml",
            "site": "/smo/feeds/rss.xml"}
    before = {name: client.get(url).content for name, url in urls.items()}
    publish_post(blog, "fresh-in-blog", title="Fresh in the blog")
    after = {name: client.get(url) for name, url in urls.items()}
    assert "Fresh in the blog" in titles(after["blog"])
    assert "Fresh in the blog" in titles(after["site"])
    # The news feed was not rebuilt: served from the cache with the very same bytes, and
    # without resolving a page (the warm number of queries).
    assert after["news"].content == before["news"]
    with CaptureQueriesContext(connection) as queries:
        client.get(urls["news"])
    assert len(queries) == 5
    stamp = meta_cache.subtree_stamp(news)
    assert stamp is not None and all(stamp)


def test_a_change_to_a_section_reaches_its_cached_feed(client, demo_content):
    blog = BlogIndexPage.objects.get(slug="blog")
    url = "/smo/feeds/blog/rss.xml"
    client.get(url)
    blog.title = "Journal"
    blog.save_revision().publish()
    assert feedparser.parse(client.get(url).content).feed.title.startswith("Journal")


def test_a_restricted_page_leaves_the_cached_feed(client, demo_content):
    blog = BlogIndexPage.objects.get(slug="blog")
    post = publish_post(blog, "soon-private", title="Soon private")
    url = "/smo/feeds/blog/atom.xml"
    assert "Soon private" in titles(client.get(url))
    PageViewRestriction.objects.create(page=post, restriction_type="login")
    assert "Soon private" not in titles(client.get(url))
    assert "Soon private" not in titles(client.get("/smo/feeds/atom.xml"))


def test_an_unpublished_page_leaves_the_cached_feed(client, demo_content):
    url = "/smo/feeds/blog/feed.json"
    page = BlogPage.objects.get(slug="hashtags-and-reach")

    def urls() -> list[str]:
        return [item["url"] for item in json.loads(client.get(url).content)["items"]]

    assert page.full_url in urls()
    page.unpublish()
    assert page.full_url not in urls() and urls()


def test_a_cache_that_is_down_serves_the_feed_uncached(client, demo_content, settings, caplog):
    settings.CACHES = {  # nothing listens there
        **settings.CACHES,
        "down": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                 "LOCATION": "redis://127.0.0.1:1/0"},
    }
    settings.WAGTAIL_SMO = {**settings.WAGTAIL_SMO, "META_CACHE": "down"}
    caplog.set_level(logging.WARNING, logger="wagtail_smo")
    for _ in range(2):
        response = client.get("/smo/feeds/blog/rss.xml")
        assert response.status_code == 200 and titles(response)
    # Logged once, not per request.
    assert len([r for r in caplog.records if "failed" in r.getMessage()]) == 1
