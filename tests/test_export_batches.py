"""Batched feed/export items: a fixed number of queries per chunk, the same values as resolve()."""

from __future__ import annotations

import io
import json

import feedparser
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from example_site.blog.models import BlogIndexPage, BlogPage, BlogPageTag, NewsPage
from wagtail_smo.feeds import items as feed_items
from wagtail_smo.feeds.pages import item_pages
from wagtail_smo.meta import resolve

pytestmark = pytest.mark.django_db


def make_section(slug: str, count: int) -> BlogIndexPage:
    """A live section with ``count`` live posts: blog and news pages, tags, some own images."""
    home = Page.objects.get(url_path="/home/")
    section = home.add_child(instance=BlogIndexPage(title=slug.title(), slug=slug, live=True))
    image = get_image_model().objects.first()
    now = timezone.now()
    for n in range(count):
        if n % 3 == 2:
            page = NewsPage(title=f"News {n}", slug=f"news-{n}", body=f"<p>News body {n}</p>")
        else:
            page = BlogPage(title=f"Post {n}", slug=f"post-{n}", intro=f"Intro {n}",
                            author="A", social_image=image if n % 2 else None)
        page.live, page.first_published_at, page.last_published_at = True, now, now
        section.add_child(instance=page)
        if isinstance(page, BlogPage):
            tags = ["zeta", "Alpha", f"t{n}"]  # stored out of name order on purpose
            page.tags.add(*tags)
            page.save()
    return section


def item_queries(section: Page, site: Site, chunk_size: int) -> tuple[int, list]:
    """Queries made while every item of ``section`` is built, and the items."""
    pages = item_pages(site, section)
    with CaptureQueriesContext(connection) as queries:
        items = list(feed_items.iter_items(pages, chunk_size=chunk_size))
    return len(queries), items


def test_each_chunk_costs_the_same_fixed_number_of_queries(demo_content):
    section = make_section("batched", 60)
    list(feed_items.iter_items(item_pages(demo_content, section)))  # warm renditions, caches
    counts = {}
    for chunk_size in (60, 30, 20, 15):  # 1, 2, 3 and 4 chunks of the same 60 pages
        counts[60 // chunk_size], items = item_queries(section, demo_content, chunk_size)
        assert len(items) == 60
    per_chunk = counts[2] - counts[1]
    assert per_chunk > 0
    assert counts[3] - counts[2] == per_chunk and counts[4] - counts[3] == per_chunk, counts
    # No query per page: a chunk of 5 pages costs what a chunk of 60 does.
    small = make_section("small", 5)
    list(feed_items.iter_items(item_pages(demo_content, small)))
    few, items = item_queries(small, demo_content, 60)
    assert len(items) == 5 and few == counts[1], (few, counts)


def test_export_of_10_and_400_pages_uses_the_same_queries_per_chunk(demo_content):
    small, large = make_section("ten", 10), make_section("four-hundred", 400)
    list(feed_items.iter_items(item_pages(demo_content, small)))  # warm renditions, file sizes
    # What one more chunk costs, measured on the small section: 2 chunks of 5 against 1 of 10.
    per_chunk = (item_queries(small, demo_content, 5)[0]
                 - item_queries(small, demo_content, 10)[0])
    counts = {}
    for section in (small, large):
        run_export(section)  # warm the command's own caches
        with CaptureQueriesContext(connection) as queries:
            rows = run_export(section)
        counts[section.slug] = len(queries)
        assert len(rows) == section.get_children().count()
    assert feed_items.CHUNK_SIZE == 200  # 400 pages: 2 chunks, against 1 for 10 pages
    assert counts["four-hundred"] - counts["ten"] == per_chunk, (counts, per_chunk)


def run_export(section: Page) -> list:
    out = io.StringIO()
    call_command("smo_export", "--format", "json", "--section", str(section.pk), "--limit", "0",
                 stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


def test_batched_items_equal_a_single_page_resolve(demo_content):
    section = make_section("same", 12)
    items = list(feed_items.iter_items(item_pages(demo_content, section), chunk_size=5))
    items += list(feed_items.iter_items(item_pages(demo_content)))  # demo posts: every fallback
    assert len(items) > 12
    for item in items:
        alone = resolve(Page.objects.get(pk=item.page.pk).specific)
        assert item.meta == alone  # every field: images, breadcrumbs, tags, sources...


def test_each_page_is_loaded_once_as_its_specific_class(demo_content, monkeypatch):
    sections = {4: make_section("four", 4), 12: make_section("twelve", 12)}
    created = []
    original = Page.from_db.__func__

    def counting(cls, db, field_names, values):
        created.append(cls)
        return original(cls, db, field_names, values)

    list(feed_items.iter_items(item_pages(demo_content, sections[4])))  # warm process caches
    monkeypatch.setattr(Page, "from_db", classmethod(counting))
    base_pages = {}
    for size, section in sections.items():
        created.clear()
        items = list(feed_items.iter_items(item_pages(demo_content, section)))
        assert len(items) == size
        specific = [cls for cls in created if cls in (BlogPage, NewsPage)]
        assert sorted(cls.__name__ for cls in specific) == sorted(
            type(item.page).__name__ for item in items)
        base_pages[size] = created.count(Page)
    # Base pages only for what a chunk shares (ancestors, the Site's root page): the listing
    # query is read as ids, not as one base Page per item.
    assert base_pages[4] == base_pages[12] < 4, base_pages


def test_prefetched_tags_are_read_without_a_query(demo_content):
    section = make_section("tagged", 8)
    keys = list(item_pages(demo_content, section).values_list("pk", "content_type_id"))
    pages = feed_items.load_specific(keys)
    posts = [page for page in pages if isinstance(page, BlogPage)]
    assert posts
    with CaptureQueriesContext(connection) as queries:
        names = {page.pk: sorted(tag.name for tag in page.tags.all()) for page in posts}
        counts = {page.pk: page.tags.count() for page in posts}
    assert len(queries) == 0
    for page in posts:
        stored = sorted(BlogPageTag.objects.filter(content_object_id=page.pk)
                        .values_list("tag__name", flat=True))
        assert names[page.pk] == stored and counts[page.pk] == len(stored)


def test_resolver_reads_prefetched_tags_but_unsaved_edits_win(demo_content):
    section = make_section("edited-tags", 2)
    keys = list(item_pages(demo_content, section).values_list("pk", "content_type_id"))
    post = next(p for p in feed_items.load_specific(keys) if isinstance(p, BlogPage))
    with CaptureQueriesContext(connection) as queries:
        prefetched = resolve(post).tags
    assert not [q for q in queries if "tag" in q["sql"].lower()]
    stored = BlogPageTag.objects.filter(content_object_id=post.pk).values_list("tag__name", flat=True)
    assert sorted(prefetched, key=str.casefold) == sorted(stored, key=str.casefold)
    # Tags edited in memory (as a preview of the edit form holds them) replace the prefetched
    # ones, whether set through the tag manager or as the page's unsaved child objects.
    post.tags.set(["edited in memory"])
    assert resolve(post).tags == ("edited in memory",)
    other = next(p for p in feed_items.load_specific(keys)
                 if isinstance(p, BlogPage) and p.pk != post.pk)
    tag = BlogPageTag.tag.field.related_model.objects.create(name="child object")
    other.tagged_items = [BlogPageTag(tag=tag)]
    assert resolve(other).tags == ("child object",)
    assert not BlogPageTag.objects.filter(tag=tag).exists()  # nothing saved


def test_tags_are_in_name_order_in_every_output(client, demo_content):
    section = make_section("ordered", 3)
    post = BlogPage.objects.get(slug="post-0", path__startswith=section.path)
    expected = ["Alpha", "t0", "zeta"]  # by name, case-insensitive, whatever the insertion order
    assert list(resolve(post).tags) == expected
    record = next(r for r in run_export(section) if r["page_id"] == post.pk)
    assert record["tags"] == expected
    feed = feedparser.parse(client.get("/smo/feeds/ordered/rss.xml").content)
    entry = next(e for e in feed.entries if e.link.endswith("/post-0/"))
    assert [tag.term for tag in entry.tags] == expected


def test_export_unfreezes_the_collector_and_leaves_a_callers_freeze_alone(demo_content):
    import gc

    before = gc.get_freeze_count()  # Python 3.12 starts with a few hundred frozen objects
    assert run_export(Page.objects.get(url_path="/home/blog/"))
    assert gc.get_freeze_count() <= before  # the export left nothing in the permanent generation
    gc.freeze()  # a pre-forking server's own freeze
    try:
        frozen = gc.get_freeze_count()
        assert run_export(Page.objects.get(url_path="/home/blog/"))
        # Still frozen: not thawed (the count would drop to about nothing) nor frozen again (it
        # would grow by the export's objects). Frozen objects that die meanwhile leave the count.
        assert frozen // 2 < gc.get_freeze_count() <= frozen
    finally:
        gc.unfreeze()
