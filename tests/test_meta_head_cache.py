"""The rendered head is cached with the meta: a warm ``{% social_meta %}`` is one cache read.

Same invalidation rules as the meta itself (a page, image or settings change shows in the next
render); a cache that is down never breaks a page and is logged once.
"""

from __future__ import annotations

import logging

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.images import get_image_model
from wagtail.models import Page

from tests.fakes.caches import CountingCache
from tests.meta_parsing import fresh_caches, parse_head  # noqa: F401 (fixture)
from wagtail_smo.models import SocialMediaSettings

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_caches")]

TAG = Template("{% load wagtail_smo_tags %}{% social_meta %}")
TAG_NO_LD = Template("{% load wagtail_smo_tags %}{% social_meta json_ld=False %}")
LOC = "django.core.cache.backends.locmem.LocMemCache"


def caches_with(meta_backend: str, **options) -> dict:
    """CACHES with the meta cache on its own alias (Wagtail keeps using "default")."""
    return {"default": {"BACKEND": LOC},
            "smo": {"BACKEND": meta_backend, "LOCATION": "smo-head-tests", **options}}


def render(slug: str, template: Template = TAG) -> tuple[str, int]:
    """One page view's head (a fresh request) and the queries the tag ran."""
    page = Page.objects.get(slug=slug).specific  # loaded before counting, as serve() does
    request = RequestFactory().get("/", HTTP_HOST="localhost")
    with CaptureQueriesContext(connection) as queries:
        html = template.render(Context({"page": page, "request": request}))
    return html, len(queries)


def test_a_warm_tag_is_one_cache_read_and_no_query(demo_content):
    with override_settings(CACHES=caches_with("tests.fakes.caches.CountingCache"),
                           WAGTAIL_SMO={"META_CACHE": "smo"}):
        cold, cold_queries = render("social-cards-explained")
        CountingCache.calls = []
        warm, warm_queries = render("social-cards-explained")
        assert CountingCache.calls == ["get_many"]
    assert cold_queries > 0 and warm_queries == 0
    assert warm == cold
    assert parse_head(warm).one("og:title")


def test_json_ld_on_and_off_are_kept_apart(demo_content):
    with_ld, _ = render("social-cards-explained")
    without, _ = render("social-cards-explained", TAG_NO_LD)
    assert parse_head(with_ld).json_ld and not parse_head(without).json_ld
    assert render("social-cards-explained", TAG_NO_LD) == (without, 0)
    assert render("social-cards-explained") == (with_ld, 0)


def test_a_page_change_shows_in_the_next_render(demo_content):
    render("social-cards-explained")
    page = Page.objects.get(slug="social-cards-explained").specific
    page.social_title = "Renamed for sharing"
    page.save_revision().publish()
    html, queries = render("social-cards-explained")
    assert parse_head(html).one("og:title") == "Renamed for sharing" and queries > 0


def test_a_settings_change_shows_in_the_next_render(demo_content):
    render("social-cards-explained")
    smo = SocialMediaSettings.for_site(demo_content)
    smo.site_name = "Renamed site"
    smo.save()
    assert parse_head(render("social-cards-explained")[0]).one("og:site_name") == "Renamed site"


def test_an_image_change_shows_in_the_next_render(demo_content):
    html, _ = render("social-cards-explained")
    image_url = parse_head(html).one("og:image")
    image = get_image_model().objects.get(pk=Page.objects.get(
        slug="social-cards-explained").specific.social_image_id)
    image.focal_point_x, image.focal_point_y = 10, 10
    image.focal_point_width = image.focal_point_height = 20
    image.save()  # a new focal point: a new crop, so a new rendition URL
    html, queries = render("social-cards-explained")
    assert queries > 0 and parse_head(html).one("og:image") != image_url


def test_a_cache_that_is_down_never_breaks_a_page_and_is_logged_once(demo_content, caplog):
    expected, _ = render("social-cards-explained")
    with override_settings(CACHES=caches_with("tests.fakes.caches.DownCache"),
                           WAGTAIL_SMO={"META_CACHE": "smo"}), \
            caplog.at_level(logging.WARNING, logger="wagtail_smo"):
        first, _ = render("social-cards-explained")
        second, queries = render("social-cards-explained")
        page = Page.objects.get(slug="social-cards-explained").specific
        page.save_revision().publish()  # invalidation fails too, the publish goes through
    assert first == second == expected and queries > 0
    failures = [r for r in caplog.records if "meta cache" in r.getMessage()]
    assert len(failures) == 1, [r.getMessage() for r in failures]
    assert "ConnectionRefusedError" in failures[0].getMessage()

