"""Feeds of the example site, checked with feedparser and json against the resolver's values."""

from __future__ import annotations

import html
import json
import os
import re
from html.parser import HTMLParser

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction

from example_site.blog.models import BlogIndexPage, BlogPage
from wagtail_smo.conf import smo_settings
from wagtail_smo.meta import resolve

SECTIONS = ["", "blog/", "news/"]
FILES = {"rss.xml": "rss", "atom.xml": "atom", "feed.json": "json"}
GUID_RE = re.compile(r"^tag:[^,]+,\d{4}-\d{2}-\d{2}:page:(\d+)$")


def feed_url(section: str, filename: str) -> str:
    return f"/smo/feeds/{section}{filename}"


def page_of(guid: str):
    match = GUID_RE.match(guid)
    assert match, guid
    return Page.objects.get(pk=int(match.group(1))).specific


def rendition_size(url: str) -> int:
    """Size of the rendition file behind ``url``, read from disk (not from the feed code)."""
    from django.conf import settings

    path = url.split(settings.MEDIA_URL, 1)[1]
    return os.path.getsize(os.path.join(settings.MEDIA_ROOT, path))


def publish_post(parent, slug, **fields):
    page = BlogPage(slug=slug, title=fields.pop("title", slug), **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def blog(demo_content):
    return BlogIndexPage.objects.get(slug="blog")




@pytest.mark.django_db
@pytest.mark.parametrize("section", SECTIONS)
@pytest.mark.parametrize("filename", ["rss.xml", "atom.xml"])
def test_xml_feeds_parse_and_match_the_resolver(client, demo_content, section, filename):
    response = client.get(feed_url(section, filename))
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.entries, "the demo sections have items"
    root = Page.objects.get(url_path=f"/home/{section}").specific
    root_meta = resolve(root)
    assert parsed.feed.link == root_meta.url
    assert parsed.feed.language.replace("-", "_") == root_meta.locale
    for entry in parsed.entries:
        page = page_of(entry.id)
        meta = resolve(page)
        assert entry.title == meta.title
        assert entry.link == meta.url
        assert html.unescape(entry.summary) == meta.description
        # Tag order is the database's (unordered on PostgreSQL): compare the tags themselves.
        assert sorted(t.term for t in entry.get("tags", [])) == sorted(meta.tags)
        if meta.author:
            assert entry.author == meta.author
        assert entry.published_parsed[:3] == meta.published_time.timetuple()[:3]
        if meta.image:
            enclosure = next(link for link in entry.links if link.rel == "enclosure")
            assert enclosure.href == meta.image.url
            assert enclosure.type == meta.image.mime_type
            assert int(enclosure.length) == rendition_size(meta.image.url)
            media = entry.media_content[0]
            assert media["url"] == meta.image.url
            assert (int(media["width"]), int(media["height"])) == (
                meta.image.width, meta.image.height)
            assert int(media["filesize"]) == rendition_size(meta.image.url)
            assert entry.media_thumbnail[0]["url"] == meta.image.url
        else:
            assert not any(link.rel == "enclosure" for link in entry.links)


@pytest.mark.django_db
@pytest.mark.parametrize("section", SECTIONS)
def test_json_feed_has_the_required_keys_and_matches_the_resolver(client, demo_content, section):
    response = client.get(feed_url(section, "feed.json"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/feed+json")
    feed = json.loads(response.content)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert isinstance(feed["title"], str) and feed["title"]
    assert isinstance(feed["items"], list) and feed["items"]
    assert feed["feed_url"].endswith(feed_url(section, "feed.json"))
    for item in feed["items"]:
        assert isinstance(item["id"], str) and item["id"]
        assert "content_text" in item or "content_html" in item
        meta = resolve(page_of(item["id"]))
        assert item["title"] == meta.title
        assert item["url"] == meta.url
        assert item["summary"] == meta.description
        assert sorted(item.get("tags", [])) == sorted(meta.tags)
        if meta.image:
            assert item["image"] == meta.image.url
            assert item["attachments"][0]["size_in_bytes"] == rendition_size(meta.image.url)
        else:
            assert "image" not in item


@pytest.mark.django_db
def test_items_are_newest_first_and_limited(client, blog, settings):
    settings.WAGTAIL_SMO = {**settings.WAGTAIL_SMO, "FEEDS": {"LIMIT": 3}}
    parsed = feedparser.parse(client.get("/smo/feeds/blog/rss.xml").content)
    assert len(parsed.entries) == 3
    # Newest first by the date the feed shows (the page's date field, docs/meta.md#dates), read
    # back through the resolver: the order and the dates shown agree.
    pages = BlogPage.objects.live().child_of(blog)
    expected = [p.pk for p in sorted(pages, key=lambda p: (resolve(p).published_time, p.pk),
                                     reverse=True)][:3]
    assert [page_of(e.id).pk for e in parsed.entries] == expected


@pytest.mark.django_db
def test_only_live_public_and_included_pages_appear(client, blog):
    visible = publish_post(blog, "visible-post", intro="Visible")
    draft = BlogPage(slug="draft-post", title="Draft post", live=False)
    blog.add_child(instance=draft)
    draft.save_revision()
    excluded = publish_post(blog, "excluded-post", exclude_from_feeds=True)
    private = publish_post(blog, "private-post")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    login_only = publish_post(blog, "login-post")
    PageViewRestriction.objects.create(page=login_only, restriction_type="login")
    for section in ("", "blog/"):
        for filename in ("rss.xml", "atom.xml"):
            parsed = feedparser.parse(client.get(feed_url(section, filename)).content)
            ids = {page_of(e.id).pk for e in parsed.entries}
            assert visible.pk in ids
            assert not ids & {draft.pk, excluded.pk, private.pk, login_only.pk}
        items = json.loads(client.get(feed_url(section, "feed.json")).content)["items"]
        ids = {page_of(item["id"]).pk for item in items}
        assert visible.pk in ids and not ids & {draft.pk, excluded.pk, private.pk, login_only.pk}


@pytest.mark.django_db
def test_a_private_section_has_no_feed(client, blog):
    PageViewRestriction.objects.create(page=blog, restriction_type="login")
    assert client.get("/smo/feeds/blog/rss.xml").status_code == 404
    parsed = feedparser.parse(client.get("/smo/feeds/rss.xml").content)
    assert all(not page_of(e.id).url_path.startswith("/home/blog/") for e in parsed.entries)


@pytest.mark.django_db
def test_control_characters_give_a_well_formed_feed(client, blog):
    page = publish_post(
        blog, "control-chars", title="Bell\x07 and\x0b vertical\x1f tab",
        intro="Intro\x01 with\x08 controls", author="Ann\x02 Author",
    )
    page.tags.add("tag\x03one")
    page.save_revision().publish()
    for filename in ("rss.xml", "atom.xml"):
        response = client.get(f"/smo/feeds/blog/{filename}")
        assert response.status_code == 200
        parsed = feedparser.parse(response.content)
        assert parsed.bozo == 0, parsed.get("bozo_exception")
        entry = next(e for e in parsed.entries if page_of(e.id).pk == page.pk)
        assert entry.title == resolve(page).title
        assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", entry.title + entry.summary)
    json.loads(client.get("/smo/feeds/blog/feed.json").content)


@pytest.mark.django_db
def test_markup_in_values_stays_text(client, demo_content):
    page = BlogPage.objects.get(slug="quotes-and-brackets")
    meta = resolve(page)
    for filename in ("rss.xml", "atom.xml"):
        parsed = feedparser.parse(client.get(f"/smo/feeds/blog/{filename}").content)
        entry = next(e for e in parsed.entries if page_of(e.id).pk == page.pk)
        assert entry.title == meta.title
        # The summary is HTML: the description's "<b>" arrives escaped, as text.
        assert "<b>" not in entry.summary and html.unescape(entry.summary) == meta.description


@pytest.mark.django_db
def test_full_content_has_absolute_links_and_images(client, demo_content, settings):
    settings.WAGTAIL_SMO = {**settings.WAGTAIL_SMO, "FEEDS": {"FULL_CONTENT": True}}
    parsed = feedparser.parse(client.get("/smo/feeds/blog/rss.xml").content)
    assert parsed.bozo == 0
    entry = next(e for e in parsed.entries if e.link.endswith("/only-a-body-image/"))
    body = entry.content[0].value
    sources = re.findall(r'src="([^"]+)"', body)
    assert sources and all(src.startswith("http://localhost/") for src in sources)
    items = json.loads(client.get("/smo/feeds/blog/feed.json").content)["items"]
    assert all("content_html" in item for item in items)


@pytest.mark.django_db
def test_utm_on_feed_links_when_enabled(client, demo_content, settings):
    settings.WAGTAIL_SMO = {**settings.WAGTAIL_SMO, "FEEDS": {"UTM": True}}
    parsed = feedparser.parse(client.get("/smo/feeds/blog/rss.xml").content)
    for entry in parsed.entries:
        assert "utm_medium=rss" in entry.link
        assert entry.link.startswith(resolve(page_of(entry.id)).url + "?")


@pytest.mark.django_db
def test_not_a_section_or_unknown_gives_404(client, demo_content):
    assert client.get("/smo/feeds/blog/social-cards-explained/rss.xml").status_code == 404
    assert client.get("/smo/feeds/no-such-section/rss.xml").status_code == 404
    assert client.get("/smo/feeds/blog/rss.txt").status_code == 404


def small_and_large_sections(settings) -> None:
    """Sections /small/ (10 posts) and /large/ (200), every post in their feeds."""
    home = Page.objects.get(url_path="/home/")
    small = home.add_child(instance=BlogIndexPage(title="Small", slug="small"))
    large = home.add_child(instance=BlogIndexPage(title="Large", slug="large"))
    _make_posts(small, 10, "s")
    _make_posts(large, 200, "l")
    settings.WAGTAIL_SMO = {**settings.WAGTAIL_SMO, "FEEDS": {"LIMIT": 500}}


def _make_posts(parent, count, prefix):
    image = get_image_model().objects.first()
    for index in range(count):
        # One publish per post, tags included (publishing twice doubled this test's set-up).
        page = BlogPage(slug=f"{prefix}-{index}", title=f"{prefix}-{index}", intro=f"Post {index}",
                        author="A", social_image=image)
        parent.add_child(instance=page)
        page.tags.add("one", "two")
        page.save_revision().publish()


@pytest.mark.django_db
def test_feed_queries_do_not_grow_with_items(client, demo_content, settings):
    small_and_large_sections(settings)
    counts = {}
    for name in ("small", "large"):
        for filename in FILES:
            client.get(f"/smo/feeds/{name}/{filename}")  # warm Wagtail's and Django's caches
            with CaptureQueriesContext(connection) as queries:
                response = client.get(f"/smo/feeds/{name}/{filename}")
            assert response.status_code == 200
            counts[name, filename] = len(queries)
    assert len(feedparser.parse(client.get("/smo/feeds/large/rss.xml").content).entries) == 200
    for filename in FILES:
        assert counts["small", filename] == counts["large", filename], counts


@pytest.mark.django_db
@pytest.mark.parametrize("filename", list(FILES))
def test_conditional_get(client, demo_content, filename):
    url = f"/smo/feeds/blog/{filename}"
    first = client.get(url)
    assert first.status_code == 200
    assert f"max-age={smo_settings.FEEDS['CACHE_MAX_AGE']}" in first["Cache-Control"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


@pytest.mark.django_db
def test_unpublishing_an_item_invalidates_the_validators(client, blog):
    url = "/smo/feeds/blog/rss.xml"
    first = client.get(url)
    BlogPage.objects.get(slug="hashtags-and-reach").unpublish()
    second = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert b"hashtags-and-reach" not in second.content


class _LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "alternate":
            self.links.append(attrs)


@pytest.mark.django_db
def test_autodiscovery_links_on_a_post_page(client, demo_content):
    response = client.get("/blog/social-cards-explained/")
    parser = _LinkParser()
    parser.feed(response.content.decode())
    hrefs = {link["href"]: link["type"] for link in parser.links}
    for section in ("", "blog/"):
        assert hrefs[f"http://localhost/smo/feeds/{section}rss.xml"] == "application/rss+xml"
        assert hrefs[f"http://localhost/smo/feeds/{section}atom.xml"] == "application/atom+xml"
        assert hrefs[f"http://localhost/smo/feeds/{section}feed.json"] == "application/feed+json"
    for href in hrefs:
        assert client.get(href.removeprefix("http://localhost")).status_code == 200
    home = _LinkParser()
    home.feed(client.get("/").content.decode())
    assert {link["href"] for link in home.links} == {
        f"http://localhost/smo/feeds/{name}" for name in FILES}


@pytest.mark.django_db
def test_feed_links_for_interface(demo_content):
    from wagtail_smo.feeds import feed_links_for

    page = BlogPage.objects.get(slug="social-cards-explained")
    links = feed_links_for(page)
    assert [(link.scope, link.kind) for link in links] == [
        ("section", "rss"), ("section", "atom"), ("section", "json"),
        ("site", "rss"), ("site", "atom"), ("site", "json")]
    assert all(link.url.startswith("http://localhost/smo/feeds/") for link in links)
    assert links[0].title.startswith(resolve(page.get_parent()).title)


@pytest.mark.django_db
def test_an_excluded_index_page_keeps_its_section_feed(client, blog):
    BlogIndexPage.objects.filter(pk=blog.pk).update(exclude_from_feeds=True)
    response = client.get("/smo/feeds/blog/rss.xml")
    assert response.status_code == 200
    assert feedparser.parse(response.content).entries


def test_system_checks_report_bad_feed_settings(settings):
    from wagtail_smo.checks import check_settings

    settings.WAGTAIL_SMO = {"FEEDS": {"PAGE_TYPES": ["blog.BlogPage", "auth.User", "no.Such"],
                                      "LIMIT": 0, "LIMT": 5}}
    ids = sorted(error.id for error in check_settings(None))
    assert ids == ["wagtail_smo.E030", "wagtail_smo.E031", "wagtail_smo.E031", "wagtail_smo.E032"]
    settings.WAGTAIL_SMO = {"FEEDS": {"PAGE_TYPES": ["blog.BlogPage"]}}
    assert check_settings(None) == []
