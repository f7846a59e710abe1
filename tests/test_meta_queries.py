"""Query counts: with warm caches the tags add at most 2 queries, whatever the number of tags."""

from __future__ import annotations

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from example_site.blog.models import BlogPage
from tests.meta_parsing import fresh_caches, parse_head  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_caches")]

TEMPLATE = Template("{% load wagtail_smo_tags %}{% social_meta %}")


def render_counting(slug: str) -> tuple[int, str]:
    """Queries made by {% social_meta %} in a fresh request for a freshly loaded page."""
    page = BlogPage.objects.get(slug=slug)  # loaded before counting, as Wagtail's serve does
    request = RequestFactory().get(page.url, HTTP_HOST="localhost")
    with CaptureQueriesContext(connection) as queries:
        html = TEMPLATE.render(Context({"page": page, "request": request}))
    return len(queries), html


def with_tags(slug: str, count: int) -> None:
    page = BlogPage.objects.get(slug=slug)
    page.tags.set([f"tag{n}" for n in range(count)])
    page.save_revision().publish()


@pytest.mark.parametrize("slug", ["social-cards-explained", "only-a-body-image",
                                  "inherits-section-image"])
def test_warm_caches_tags_add_at_most_two_queries(demo_content, slug):
    render_counting(slug)  # warms the caches (renditions, site root paths, resolved meta)
    count, html = render_counting(slug)
    assert count <= 2
    assert parse_head(html).one("og:image")


def test_same_count_for_1_or_20_tags_warm(demo_content):
    with_tags("hashtags-and-reach", 1)
    render_counting("hashtags-and-reach")
    one, html_one = render_counting("hashtags-and-reach")
    with_tags("hashtags-and-reach", 20)
    render_counting("hashtags-and-reach")
    twenty, html_twenty = render_counting("hashtags-and-reach")
    assert len(parse_head(html_one).og["article:tag"]) == 1
    assert len(parse_head(html_twenty).og["article:tag"]) == 20
    assert one == twenty <= 2


@override_settings(WAGTAIL_SMO={"META_CACHE_TIMEOUT": 0})
def test_same_count_for_1_or_20_tags_without_the_meta_cache(demo_content):
    """With the result cache off, resolving still costs a fixed number of queries."""
    with_tags("hashtags-and-reach", 1)
    render_counting("hashtags-and-reach")  # renditions and site settings warm
    one, _ = render_counting("hashtags-and-reach")
    with_tags("hashtags-and-reach", 20)
    render_counting("hashtags-and-reach")
    twenty, html = render_counting("hashtags-and-reach")
    assert len(parse_head(html).og["article:tag"]) == 20
    assert one == twenty
    assert twenty <= 8  # settings, site, image, rendition-free cache hit, tags, ancestors...


def test_inherited_image_costs_the_same_whatever_the_depth(demo_content):
    """The nearest ancestor's image is found in one query, not one per ancestor level."""
    with override_settings(WAGTAIL_SMO={"META_CACHE_TIMEOUT": 0}):
        render_counting("inherits-section-image")
        shallow, _ = render_counting("inherits-section-image")
        blog = Page.objects.get(slug="blog").specific
        from example_site.blog.models import BlogIndexPage

        # Move the post three levels deeper, under index pages without images of their own.
        parent = blog
        for depth in range(3):
            parent = parent.add_child(instance=BlogIndexPage(title=f"Level {depth}",
                                                             slug=f"level-{depth}"))
            parent.save_revision().publish()
        post = BlogPage.objects.get(slug="inherits-section-image")
        post.move(parent, pos="last-child")
        render_counting("inherits-section-image")
        deep, html = render_counting("inherits-section-image")
    assert parse_head(html).one("og:image:alt") == "Green and yellow banner of the blog section"
    assert deep == shallow


def test_a_change_invalidates_the_cached_meta(demo_content):
    render_counting("social-cards-explained")
    page = BlogPage.objects.get(slug="social-cards-explained")
    page.social_title = "A new title"
    page.save_revision().publish()
    _, html = render_counting("social-cards-explained")
    assert parse_head(html).one("og:title") == "A new title"
    from wagtail_smo.models import SocialMediaSettings

    smo = SocialMediaSettings.for_site(demo_content)
    smo.site_name = "Renamed"
    smo.save()
    _, html = render_counting("social-cards-explained")
    assert parse_head(html).one("og:site_name") == "Renamed"


@override_settings(WAGTAIL_SMO={"META_CACHE_TIMEOUT": 0})
def test_siblings_share_ancestor_lookups_in_one_request(demo_content):
    """Resolving many pages for one request (feeds, exports) reads each parent's tree once."""
    from wagtail_smo.meta import resolve_for_request

    slugs = ["inherits-section-image", "only-a-body-image", "social-cards-explained"]
    pages = [BlogPage.objects.get(slug=slug) for slug in slugs]
    request = RequestFactory().get("/", HTTP_HOST="localhost")
    for page in pages:
        resolve_for_request(page, request)  # warm renditions and tags' caches
    request = RequestFactory().get("/", HTTP_HOST="localhost")
    counts, sql = [], []
    for page in [BlogPage.objects.get(slug=slug) for slug in slugs]:
        with CaptureQueriesContext(connection) as queries:
            meta = resolve_for_request(page, request)
        counts.append(len(queries))
        sql.append(" ".join(q["sql"] for q in queries.captured_queries).lower())
        assert meta.breadcrumbs[-2].title == "Blog"
    fresh = RequestFactory().get("/", HTTP_HOST="localhost")
    first = BlogPage.objects.get(slug="inherits-section-image")
    with CaptureQueriesContext(connection) as queries:
        resolve_for_request(first, fresh)
    # The first page of the request pays for the site, settings, ancestors and the inherited
    # image; its siblings only for what is their own (their image, their tags).
    assert counts[0] == len(queries)
    assert " union " in sql[0] and "socialmediasettings" in sql[0]
    assert '"wagtailcore_page"."depth" >=' in sql[0]
    for sibling in (1, 2):
        assert counts[sibling] < counts[0]
        assert " union " not in sql[sibling] and "socialmediasettings" not in sql[sibling]
        assert '"wagtailcore_page"."depth" >=' not in sql[sibling]  # no ancestors query
