"""Value sources are structured (kind, field, detail) and the API publishes the documented shape.

The schema below is written from docs/headless.md, not from the package's code: the API output is
checked with ``jsonschema``, an independent validator.
"""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.test import RequestFactory
from jsonschema import Draft202012Validator
from wagtail.models import Page

from example_site.blog.models import BlogPage
from tests.meta_parsing import fresh_caches  # noqa: F401 (fixture)
from tests.test_meta_bad_input import break_image_file
from wagtail_smo.meta import ResolveContext, Source, request_context, resolve, resolve_for_request
from wagtail_smo.meta.cache import entry_key

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_caches")]

SOURCE = {
    "type": "object",
    "properties": {
        "kind": {"enum": ["own_field", "page_field", "body", "body_image", "ancestor_image",
                          "site_setting", "site", "project_setting", "page_url", "not_routable",
                          "generated", "none"]},
        "field": {"type": "string"},
        "detail": {"enum": ["", "unusable_image", "turned_off", "small_image"]},
        "page_id": {"type": ["integer", "null"]},
    },
    "required": ["kind", "field", "detail", "page_id"],
    "additionalProperties": False,
    # Only an inherited image names another page.
    "if": {"properties": {"kind": {"const": "ancestor_image"}}},
    "then": {"properties": {"page_id": {"type": "integer"}}},
    "else": {"properties": {"page_id": {"type": "null"}}},
}
NAMES = ["title", "description", "image", "url", "site_name", "locale", "x_creator"]
IMAGE = {
    "type": ["object", "null"],
    "properties": {
        "url": {"type": "string", "pattern": "^https?://"},
        "width": {"type": "integer"}, "height": {"type": "integer"},
        "alt": {"type": "string"}, "type": {"type": "string", "pattern": "^image/"},
    },
    "required": ["url", "width", "height", "alt", "type"],
}
STRING_LIST = {"type": "array", "items": {"type": "string"}}
SOCIAL_META = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "title": {"type": "string"}, "description": {"type": "string"},
        "url": {"type": ["string", "null"]}, "og_type": {"type": "string"},
        "site_name": {"type": "string"}, "locale": {"type": "string"},
        "locale_alternates": STRING_LIST, "tags": STRING_LIST, "profile_links": STRING_LIST,
        "page_id": {"type": "integer"}, "image": IMAGE,
        "head": {"type": "array", "items": {"type": "object"}},
        "json_ld": {"type": "array", "items": {"type": "object"}},
        "sources": {
            "type": "object",
            "properties": {name: SOURCE for name in NAMES},
            "required": NAMES,
            "additionalProperties": False,
        },
    },
    "required": ["title", "description", "url", "image", "head", "json_ld", "sources"],
}


def validate(data: dict) -> None:
    errors = sorted(Draft202012Validator(SOCIAL_META).iter_errors(data), key=str)
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def test_schema_rejects_the_old_string_sources():
    """The schema can fail: the pre-1.0 shape (strings) does not pass it."""
    old = {"title": "t", "description": "", "url": None, "image": None, "head": [],
           "json_ld": [], "sources": {name: "social_title" for name in NAMES}}
    assert list(Draft202012Validator(SOCIAL_META).iter_errors(old))


def test_api_and_endpoint_sources_match_the_schema_on_every_live_page(client, demo_content):
    kinds = set()
    pages = Page.objects.live().filter(depth__gt=1)
    assert pages.count() > 5
    for page in pages:
        field = client.get(f"/api/v2/pages/{page.pk}/").json()["social_meta"]
        validate(field)
        endpoint = client.get("/smo/meta/", {"path": page.url})
        assert endpoint.status_code == 200
        validate(endpoint.json())
        assert endpoint.json()["sources"] == field["sources"]
        kinds |= {source["kind"] for source in field["sources"].values()}
    # The demo covers the common ways of finding a value.
    assert {"own_field", "page_field", "body", "body_image", "ancestor_image", "site_setting",
            "page_url"} <= kinds


def test_left_out_and_turned_off_images_in_the_api(client, demo_content):
    page = BlogPage.objects.get(slug="quotes-and-brackets")
    break_image_file(page.main_image)
    data = client.get(f"/api/v2/pages/{page.pk}/").json()["social_meta"]
    validate(data)
    assert data["image"] is None
    assert data["sources"]["image"] == {"kind": "page_field", "field": "main_image",
                                        "detail": "unusable_image", "page_id": None}
    # The demo's "shared without an image" page now asks for a generated card (issue 17): a
    # page with the fallback turned off and no card is made here.
    page = BlogPage.objects.get(slug="inherits-section-image")
    page.social_image_fallback = False
    page.save_revision().publish()
    data = client.get("/smo/meta/", {"path": page.url}).json()
    validate(data)
    assert data["sources"]["image"]["detail"] == "turned_off"


def test_sources_are_frozen_values():
    source = Source("page_field", "intro")
    with pytest.raises(AttributeError):
        source.kind = "body"  # type: ignore[misc]
    assert source == Source("page_field", "intro", "") and hash(source) == hash(
        Source("page_field", "intro"))


# --- the resolve context -----------------------------------------------------------------------


def cached(page) -> bool:
    return caches["default"].get(entry_key(page.pk)) is not None


def test_use_cache_false_keeps_the_meta_cache_out(demo_content):
    page = BlogPage.objects.get(slug="social-cards-explained")
    resolve(page, context=ResolveContext(), use_cache=False)
    assert not cached(page)
    resolve(page)  # no context: a one-off call never fills the cache either
    assert not cached(page)
    resolve(page, context=ResolveContext())
    assert cached(page)


def test_one_context_per_request_and_previews_stay_out_of_the_cache(demo_content):
    page = BlogPage.objects.get(slug="only-a-body-image")
    request = RequestFactory().get("/", HTTP_HOST="localhost")
    assert request_context(request) is request_context(request)
    assert request_context(RequestFactory().get("/")) is not request_context(request)
    preview = RequestFactory().get("/", HTTP_HOST="localhost")
    preview.is_preview = True
    resolve_for_request(page, preview)
    assert not cached(page)
    meta = resolve_for_request(page, request)
    assert cached(page)
    assert resolve_for_request(page, request) is meta  # served from the request's context


def test_a_context_shares_site_lookups_between_pages(demo_content):
    context = ResolveContext()
    first, second = (BlogPage.objects.get(slug=slug)
                     for slug in ("social-cards-explained", "quotes-and-brackets"))
    resolve(first, context=context, use_cache=False)
    assert len(context.sites) == 1 and context.site_settings and context.ancestors
    site_id = next(iter(context.sites))
    sites_before = dict(context.sites)
    resolve(second, context=context, use_cache=False)
    assert context.sites == sites_before and context.sites[site_id] is sites_before[site_id]
