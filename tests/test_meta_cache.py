"""Cached social meta is invalidated per page and its descendants, not for the whole site."""

from __future__ import annotations

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, PageViewRestriction, Site

from example_site.blog.models import BlogPageTag
from tests import translations
from tests.meta_parsing import fresh_caches, parse_head  # noqa: F401 (fixture)
from tests.translations import i18n  # noqa: F401 (fixture)
from wagtail_smo.meta import cache, resolve_for_request

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_caches")]

TEMPLATE = Template("{% load wagtail_smo_tags %}{% social_meta %}")


def view(page_id: int):
    """One page view: (queries the resolver made, the rendered tags parsed, the SocialMeta)."""
    page = Page.objects.get(pk=page_id).specific  # loaded before counting, as Wagtail's serve does
    request = RequestFactory().get("/", HTTP_HOST="localhost")
    with CaptureQueriesContext(connection) as queries:
        meta = resolve_for_request(page, request)
    head = parse_head(TEMPLATE.render(Context({"page": page, "request": request})))
    return len(queries), head, meta


def pk(slug: str) -> int:
    return Page.objects.get(slug=slug).pk  # before any translation: slugs are unique


def publish(page_id: int, **fields) -> None:
    page = Page.objects.get(pk=page_id).specific
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()


def warm(*page_ids: int) -> None:
    for page_id in page_ids:
        view(page_id)
        assert view(page_id)[0] == 0  # served from the cache


def breadcrumb_names(head) -> list[str]:
    return [item["name"] for item in head.ld("BreadcrumbList")["itemListElement"]]


def test_publishing_a_page_keeps_its_siblings_cached(demo_content):
    post, sibling = pk("social-cards-explained"), pk("only-a-body-image")
    news_item = pk("demo-launched")
    warm(post, sibling, news_item)
    page = Page.objects.get(pk=post).specific
    page.social_title = "A fresh social title"
    page.tags.add("a-brand-new-tag")  # a new Tag row: on no other page
    page.save_revision().publish()
    queries, head, _ = view(post)
    assert queries > 0
    assert head.one("og:title") == "A fresh social title"
    assert "a-brand-new-tag" in head.og["article:tag"]
    for other in (sibling, news_item):
        queries, head, _ = view(other)
        assert queries == 0
    assert head.one("og:title") == "The SMO demo is live"


def test_publishing_a_section_refreshes_its_descendants_only(demo_content):
    blog, post, news_item = pk("blog"), pk("inherits-section-image"), pk("demo-launched")
    warm(post, news_item)
    publish(blog, title="Journal", social_image_alt="The journal's new banner")
    _, head, meta = view(post)
    assert head.one("article:section") == "Journal"
    assert breadcrumb_names(head)[-2:] == ["Journal", meta.title]
    assert head.one("og:image:alt") == "The journal's new banner"
    assert view(news_item)[0] == 0  # another section: untouched


def test_a_draft_of_a_section_keeps_its_descendants_cached(demo_content):
    blog, post = pk("blog"), pk("inherits-section-image")
    warm(post)
    page = Page.objects.get(pk=blog).specific
    page.title = "Journal (draft)"
    page.save_revision()
    queries, head, _ = view(post)
    assert queries == 0
    assert head.one("article:section") == "Blog"  # drafts are not public


def test_a_slug_change_refreshes_the_urls_below(demo_content):
    blog, post, news_item = pk("blog"), pk("inherits-section-image"), pk("demo-launched")
    warm(post, news_item)
    publish(blog, slug="journal")
    _, head, meta = view(post)
    assert head.one("og:url") == "http://localhost/journal/inherits-section-image/"
    assert meta.breadcrumbs[-2].url == "http://localhost/journal/"
    assert view(news_item)[0] == 0


def test_a_move_refreshes_the_moved_page(demo_content):
    post, news = pk("inherits-section-image"), pk("news")
    warm(post)
    Page.objects.get(pk=post).move(Page.objects.get(pk=news), pos="last-child")
    _, head, meta = view(post)
    assert head.one("og:url") == "http://localhost/news/inherits-section-image/"
    assert head.one("article:section") == "News"
    assert meta.breadcrumbs[-2].title == "News"


def test_a_view_restriction_refreshes_its_subtree_only(demo_content):
    blog, post, news_item = pk("blog"), pk("inherits-section-image"), pk("demo-launched")
    warm(post, news_item)
    PageViewRestriction.objects.create(page_id=blog, restriction_type="login")
    assert view(post)[0] > 0
    assert view(news_item)[0] == 0


def test_site_settings_refresh_every_page(demo_content):
    from wagtail_smo.models import SocialMediaSettings

    pages = [pk("home"), pk("blog"), pk("social-cards-explained"), pk("demo-launched")]
    warm(*pages)
    smo = SocialMediaSettings.for_site(demo_content)
    smo.site_name = "Renamed site"
    smo.save()
    for page_id in pages:
        assert view(page_id)[1].one("og:site_name") == "Renamed site"


def test_tag_links_refresh_the_tagged_page_only(demo_content):
    from taggit.models import Tag

    post, sibling = pk("social-cards-explained"), pk("only-a-body-image")
    warm(post, sibling)
    link = BlogPageTag.objects.create(content_object_id=post, tag=Tag.objects.get(name="reach"))
    assert "reach" in view(post)[1].og["article:tag"]
    assert view(sibling)[0] == 0
    link.delete()
    assert "reach" not in view(post)[1].og["article:tag"]
    assert view(sibling)[0] == 0


def test_renaming_a_tag_refreshes_the_pages_using_it(demo_content):
    from taggit.models import Tag

    tagged = [pk("social-cards-explained"), pk("hashtags-and-reach")]
    warm(*tagged)
    tag = Tag.objects.get(name="social")
    tag.name = "social media"
    tag.save()
    for page_id in tagged:
        tags = view(page_id)[1].og["article:tag"]
        assert "social media" in tags and "social" not in tags


def test_an_image_change_refreshes_the_pages_using_it(demo_content):
    post = pk("only-a-body-image")  # its body image, without alt text: the alt is the image title
    warm(post)
    _, _, meta = view(post)
    image = meta.image
    from wagtail.images import get_image_model

    stored = get_image_model().objects.get(pk=image.image_id)
    stored.title = "A renamed body image"
    stored.save()
    _, head, _ = view(post)
    assert head.one("og:image:alt") == "A renamed body image"
    assert head.one("twitter:image:alt") == "A renamed body image"


def test_a_lost_generation_never_serves_a_stale_result(demo_content):
    """A generation evicted from the cache counts as changed: the entry is resolved again."""
    from django.core.cache import caches

    from wagtail_smo.conf import smo_settings

    post = pk("only-a-body-image")
    page = Page.objects.get(pk=post)
    for number, key in enumerate(cache.dependency_keys(page)):
        warm(post)
        # A change that sends no signal, then the loss of one generation (LRU eviction).
        Page.objects.filter(pk=post).update(title=f"Renamed {number}")
        caches[smo_settings.META_CACHE].delete(key)
        assert view(post)[1].one("og:title") == f"Renamed {number}", key


def test_no_cache_key_per_page_beside_its_entry(demo_content):
    """Generations exist only for ancestors: N cached pages take N keys and a few (LocMem: 300)."""
    from django.core.cache import caches

    from wagtail_smo.conf import smo_settings

    store = getattr(caches[smo_settings.META_CACHE], "_cache", None)
    if store is None:
        pytest.skip("counts the keys of a LocMemCache")
    pages = list(Page.objects.filter(depth__gt=1).values_list("pk", flat=True))
    leaves = list(Page.objects.filter(depth__gt=1, numchild=0).values_list("pk", flat=True))
    for page_id in leaves:
        publish(page_id, title=f"Republished {page_id}")  # a change adds no key for a leaf
    warm(*pages)
    meta_keys = [key for key in store if "wagtail-smo:meta" in key]
    shared = [key for key in meta_keys if "meta-shared" in key]
    with_children = Page.objects.filter(numchild__gt=0).count()  # their paths, and the root's
    assert len(meta_keys) - len(shared) <= len(pages) + with_children + 1  # + global generation
    # Site-wide values: one per parent page (its ancestors), per site, per image read through a
    # page's image field, and the locales; none per leaf page.
    images = get_image_model().objects.count()
    assert 0 < len(shared) <= with_children + Site.objects.count() + images + 1, shared


# --- translations ------------------------------------------------------------------------------


def translate(page_id: int, code: str) -> int:
    """A live translation of the page (its ancestors translated first), by id."""
    return translations.translate(Page.objects.get(pk=page_id).specific, code).pk


def alternates(page_id: int) -> list[str]:
    return sorted(view(page_id)[1].og.get("og:locale:alternate", []))


@pytest.mark.usefixtures("i18n")
def test_a_translation_refreshes_the_alternates_of_the_others(demo_content):
    post = pk("social-cards-explained")
    french = translate(post, "fr")
    Locale.objects.get_or_create(language_code="pt-br")  # a new locale alone refreshes everything
    warm(post, french)
    assert alternates(post) == ["fr_FR"]
    brazilian = translate(post, "pt-br")
    assert alternates(post) == ["fr_FR", "pt_BR"]
    assert alternates(french) == ["en_US", "pt_BR"]
    Page.objects.get(pk=french).specific.unpublish()
    assert alternates(post) == ["pt_BR"]
    Page.objects.get(pk=brazilian).delete()
    assert alternates(post) == []
