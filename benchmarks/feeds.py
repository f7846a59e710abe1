"""Feeds: wagtail-smo's RSS feed of a section beside a plain ``django.contrib.syndication`` feed.

The same 50 posts of one section (title, intro, date, link), in a fresh SQLite database of the
example site. Both views are called directly with a ``RequestFactory`` request (no middleware),
taking turns, and the script prints the median milliseconds and queries per request:

- **wagtail-smo, warm**: the feed built before and served from the meta cache;
- **wagtail-smo, cold**: the feed built afresh, as after a publish in its section (before each
  request, untimed, one post's meta is invalidated as its publish does it, which also makes the
  section's feed stale; the other posts' meta stays cached);
- **syndication**: a ``Feed`` subclass listing the same live pages with their title, intro,
  URL and date (no images, no enclosures, no tags: less than wagtail-smo's items carry).

``SMO_BENCH_ROUNDS`` (default 100) sets the requests per contender.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ROUNDS = int(os.environ.get("SMO_BENCH_ROUNDS", "100"))
POSTS = 50


def main() -> None:
    os.environ.update({
        "SMO_VAR_DIR": tempfile.mkdtemp(prefix="smo-bench-feeds-"),
        "DJANGO_SETTINGS_MODULE": "example_site.settings", "DJANGO_DEBUG": "0",
    })
    os.environ.setdefault("SMO_DEMO_I18N", "0")
    import django

    django.setup()
    from django.contrib.syndication.views import Feed
    from django.core.management import call_command
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext
    from wagtail.models import Page, Site

    from example_site.blog.models import BlogIndexPage, BlogPage
    from wagtail_smo.feeds.views import feed as smo_feed
    from wagtail_smo.meta.cache import invalidate_page

    call_command("migrate", verbosity=0)
    call_command("load_demo_content", stdout=open(os.devnull, "w"))
    site = Site.objects.get(is_default_site=True)
    section = site.root_page.add_child(instance=BlogIndexPage(title="Bench", slug="bench"))
    section.save_revision().publish()
    first_post = None
    for number in range(POSTS):
        post = BlogPage(title=f"Bench post {number}", slug=f"post-{number}",
                        intro=f"The intro of bench post {number}.", author="Bench Author")
        section.add_child(instance=post)
        post.tags.add("bench")
        post.save_revision().publish()
        first_post = first_post or post.pk

    class PlainFeed(Feed):
        """What a site writes by hand with Django's syndication framework."""

        title = "Bench"
        link = "/bench/"
        description = "The bench section"

        def items(self):
            return BlogPage.objects.live().public().descendant_of(section).order_by(
                "-first_published_at")[:POSTS]

        def item_title(self, item):
            return item.title

        def item_description(self, item):
            return item.intro

        def item_link(self, item):
            return item.full_url

        def item_pubdate(self, item):
            return item.first_published_at

    factory, plain = RequestFactory(), PlainFeed()
    host = site.hostname

    def smo(cold: bool):
        def request():
            if cold:  # as a publish in the section does (untimed)
                invalidate_page(Page.objects.get(pk=first_post))
            started = time.perf_counter()
            response = smo_feed(factory.get("/smo/feeds/bench/rss.xml", HTTP_HOST=host),
                                "rss.xml", "bench")
            elapsed = time.perf_counter() - started
            assert response.status_code == 200 and response.content.count(b"<item>") == POSTS
            return elapsed
        return request

    def syndication():
        started = time.perf_counter()
        response = plain(factory.get("/bench/rss.xml", HTTP_HOST=host))
        elapsed = time.perf_counter() - started
        assert response.status_code == 200 and response.content.count(b"<item>") == POSTS
        return elapsed

    contenders = {"wagtail-smo, warm": smo(False), "wagtail-smo, cold": smo(True),
                  "syndication": syndication}
    queries = {}
    for name, request in contenders.items():
        request()
        with CaptureQueriesContext(connection) as captured:
            request()
        queries[name] = len(captured)
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(ROUNDS):
        for name, request in contenders.items():
            times[name].append(request())
    base = statistics.median(times["syndication"])
    print(f"RSS feed of a section with {POSTS} posts, {ROUNDS} requests each, taking turns")
    print("| contender | median ms | queries | ratio to syndication |")
    print("|---|---:|---:|---:|")
    for name, samples in times.items():
        median = statistics.median(samples)
        print(f"| {name} | {median * 1000:.2f} | {queries[name]} | {median / base:.2f}x |")


if __name__ == "__main__":
    main()
