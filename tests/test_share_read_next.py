"""{% read_next %}: related by shared tags first, then the section's latest, in fixed queries."""

from __future__ import annotations

import datetime

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from wagtail_smo.share.read_next import read_next_pages

START = timezone.make_aware(datetime.datetime(2026, 1, 1))


@pytest.fixture
def section(demo_content):
    from example_site.blog.models import BlogIndexPage

    home = demo_content.root_page
    index = BlogIndexPage(title="Read next test", slug="read-next-test", intro="")
    home.add_child(instance=index)
    return index


def _add(section, slug: str, tags=(), *, day: int = 0, live: bool = True):
    from example_site.blog.models import BlogPage

    page = BlogPage(title=slug.replace("-", " ").title(), slug=slug, intro="x", live=live)
    page.tags.set(list(tags))
    page.first_published_at = START + datetime.timedelta(days=day) if live else None
    section.add_child(instance=page)
    return page


def _render(page) -> list[str]:
    html = Template("{% load wagtail_smo_tags %}{% read_next page count=3 %}").render(
        Context({"page": page})
    )
    return [a.get_text() for a in BeautifulSoup(html, "html.parser").select(".smo-read-next a")]


def test_related_by_shared_tags_first_then_latest_in_section(section):
    current = _add(section, "current", ["a", "b", "c"], day=0)
    _add(section, "three-shared", ["a", "b", "c"], day=1)
    _add(section, "one-shared-newer", ["c", "z"], day=5)
    _add(section, "no-tags-newest", [], day=9)
    _add(section, "no-tags-older", [], day=2)
    _add(section, "draft-shared", ["a", "b", "c"], live=False)
    restricted = _add(section, "restricted-shared", ["a", "b", "c"], day=8)
    PageViewRestriction.objects.create(
        page=restricted, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    assert _render(current) == ["Three Shared", "One Shared Newer", "No Tags Newest"]


def test_never_lists_the_current_page_and_respects_count(section):
    current = _add(section, "current", ["a"], day=0)
    for i in range(5):
        _add(section, f"other-{i}", ["a"], day=i + 1)
    pages = read_next_pages(current, 4)
    assert len(pages) == 4 and current.pk not in [p.pk for p in pages]
    assert read_next_pages(current, 0) == []


def test_untagged_page_gets_latest_of_its_section(section):
    current = _add(section, "current", [], day=0)
    _add(section, "older", [], day=-3)
    _add(section, "newer", [], day=3)
    assert _render(current) == ["Newer", "Older"]


def _queries(page) -> int:
    _render(page)  # warm the per-process caches (site root paths)
    with CaptureQueriesContext(connection) as queries:
        titles = _render(page)
    assert titles  # the block really rendered something
    return len(queries)


@pytest.mark.parametrize("tags", [["a"], []], ids=["tagged", "untagged"])
def test_same_number_of_queries_for_1_and_50_candidates(section, tags):
    from example_site.blog.models import BlogIndexPage

    small = _add(section, "small-current", tags, day=0)
    _add(section, "small-other", tags, day=1)
    counts = {1: _queries(small)}

    other_section = BlogIndexPage(title="Big section", slug="big-section", intro="")
    section.get_parent().add_child(instance=other_section)
    big = _add(other_section, "big-current", tags, day=0)
    for i in range(50):
        _add(other_section, f"big-{i}", tags, day=i + 1)
    counts[50] = _queries(big)
    assert counts[1] == counts[50]


def test_read_next_orders_and_shows_the_pages_own_date(section, settings):
    # A page's date field is its date (docs/meta.md#dates), not when it was first published:
    # the list's order and the dates it shows agree with what the article and its tags say.
    from wagtail_smo.meta import resolve

    settings.TIME_ZONE = "America/New_York"  # a date field's day must not move a day back
    current = _add(section, "current", day=0)
    written_last = _add(section, "written-last", day=1)  # published first, dated last
    written_first = _add(section, "written-first", day=9)
    for page, date in [(written_last, datetime.date(2025, 6, 30)),
                       (written_first, datetime.date(2025, 6, 1))]:
        page.date = date
        page.save_revision().publish()
    html = Template("{% load wagtail_smo_tags %}{% read_next page count=3 %}").render(
        Context({"page": current}))
    items = BeautifulSoup(html, "html.parser").select(".smo-read-next li")
    assert [li.a.get_text() for li in items] == ["Written Last", "Written First"]
    assert [li.time["datetime"] for li in items] == ["2025-06-30", "2025-06-01"]
    for li, page in zip(items, [written_last, written_first], strict=True):
        published = resolve(type(page).objects.get(pk=page.pk)).published_time
        assert li.time["datetime"] == published.date().isoformat()
