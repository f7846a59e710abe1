"""On publish: feed URLs purged through wagtail.contrib.frontend_cache, WebSub hub pinged.

Both the cache and the hub are loopback HTTP servers started by the tests.
"""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import feedparser
import pytest
from django.core.cache import cache
from django.utils import timezone

from example_site.blog.models import BlogIndexPage, BlogPage

SITE_FEEDS = {f"/smo/feeds/{name}" for name in ("rss.xml", "atom.xml", "feed.json")}
BLOG_FEEDS = {f"/smo/feeds/blog/{name}" for name in ("rss.xml", "atom.xml", "feed.json")}


class Recorder(BaseHTTPRequestHandler):
    """Records every request (method, path, Host, form body) and answers 200/202."""

    def _record(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        self.server.requests.append(
            {"method": self.command, "path": self.path, "host": self.headers["Host"],
             "form": parse_qs(body)}
        )
        self.send_response(202 if self.command == "POST" else 200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_PURGE = do_POST = do_GET = _record

    def log_message(self, *args):
        pass


@pytest.fixture
def recorder():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def new_post(slug="fresh-post", **fields):
    blog = BlogIndexPage.objects.get(slug="blog")
    page = BlogPage(slug=slug, title=fields.pop("title", "Fresh post"), **fields)
    blog.add_child(instance=page)
    return page


@pytest.mark.django_db
def test_publishing_purges_the_site_and_section_feeds(
    demo_content, recorder, settings, django_capture_on_commit_callbacks
):
    settings.WAGTAILFRONTENDCACHE = {"default": {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": f"http://127.0.0.1:{recorder.server_port}",
    }}
    page = new_post()
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    purged = {r["path"] for r in recorder.requests if r["method"] == "PURGE"}
    assert SITE_FEEDS | BLOG_FEEDS <= purged
    assert {r["host"] for r in recorder.requests} == {"localhost"}

    recorder.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert SITE_FEEDS | BLOG_FEEDS <= {r["path"] for r in recorder.requests}


@pytest.mark.django_db
def test_only_scheduling_a_page_purges_nothing(
    demo_content, recorder, settings, django_capture_on_commit_callbacks
):
    settings.WAGTAILFRONTENDCACHE = {"default": {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": f"http://127.0.0.1:{recorder.server_port}",
    }}
    page = new_post("scheduled-post", live=False)
    revision = page.save_revision()
    revision.content["go_live_at"] = (timezone.now() + timedelta(days=3)).isoformat()
    revision.save()
    with django_capture_on_commit_callbacks(execute=True):
        revision.publish()
    page.refresh_from_db()
    assert not page.live
    assert recorder.requests == []


@pytest.mark.django_db
def test_no_purge_without_frontend_cache(demo_content, recorder, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        new_post().save_revision().publish()
    assert recorder.requests == []


@pytest.mark.django_db
def test_websub_hub_link_and_ping_on_publish(
    client, demo_content, recorder, settings, django_capture_on_commit_callbacks
):
    hub = f"http://127.0.0.1:{recorder.server_port}/hub"
    settings.WAGTAIL_SMO = {**settings.WAGTAIL_SMO, "FEEDS": {"WEBSUB_HUB": hub}}
    for url in ("/smo/feeds/rss.xml", "/smo/feeds/blog/atom.xml"):
        parsed = feedparser.parse(client.get(url).content)
        assert parsed.bozo == 0
        assert hub in [link.href for link in parsed.feed.links if link.rel == "hub"]
    assert json.loads(client.get("/smo/feeds/feed.json").content)["hubs"] == [
        {"type": "WebSub", "url": hub}]

    with django_capture_on_commit_callbacks(execute=True):
        new_post().save_revision().publish()
    pings = [r for r in recorder.requests if r["path"] == "/hub"]
    assert all(r["method"] == "POST" and r["form"]["hub.mode"] == ["publish"] for r in pings)
    pinged = {r["form"]["hub.url"][0].removeprefix("http://localhost") for r in pings}
    assert pinged == SITE_FEEDS | BLOG_FEEDS


@pytest.mark.django_db
def test_a_failing_hub_does_not_break_publishing(
    demo_content, settings, django_capture_on_commit_callbacks
):
    settings.WAGTAIL_SMO = {**settings.WAGTAIL_SMO, "FEEDS": {"WEBSUB_HUB": "http://127.0.0.1:9/"}}
    page = new_post()
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    page.refresh_from_db()
    assert page.live
