"""Conditional GETs of feeds, /smo/meta/ and the API detail: validators before rendering.

A 304 must cost a few queries and no resolving: resolver calls are counted through a wrapper that
calls the real resolver (the ORM is real), and queries with CaptureQueriesContext.
"""

from __future__ import annotations

import time

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.images import get_image_model

from example_site.blog.models import BlogPage
from wagtail_smo.conf import smo_settings
from wagtail_smo.meta import requests as meta_requests
from wagtail_smo.models import SocialMediaSettings

POST = "/blog/social-cards-explained/"


@pytest.fixture
def resolves(monkeypatch):
    """A list that grows by one page id per call of the resolver through a request."""
    calls: list[int] = []
    real = meta_requests.resolve

    def counting(page, **kwargs):
        calls.append(page.pk)
        return real(page, **kwargs)

    monkeypatch.setattr(meta_requests, "resolve", counting)
    return calls


def urls() -> dict[str, str]:
    page = BlogPage.objects.get(url_path__endswith=POST)
    return {
        "feed": "/smo/feeds/blog/rss.xml",
        "site feed": "/smo/feeds/feed.json",
        "meta": f"/smo/meta/?path={POST}",
        "api": f"/api/v2/pages/{page.pk}/",
    }


def measure(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    return response, len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["feed", "site feed", "meta", "api"])
def test_a_304_costs_a_few_queries_and_no_resolving(client, demo_content, resolves, name):
    url = urls()[name]
    client.get(url)  # warm Wagtail's site root paths and the meta cache
    if name.endswith("feed"):
        # A warm feed is served built (tests/test_feeds_cache.py): drop it, so this 200 builds.
        caches[smo_settings.META_CACHE].clear()
    resolves.clear()
    full, full_queries = measure(client, url)
    assert full.status_code == 200
    assert resolves, "a 200 resolves the page"
    for header, value in [("HTTP_IF_NONE_MATCH", full["ETag"]),
                          ("HTTP_IF_MODIFIED_SINCE", full["Last-Modified"])]:
        resolves.clear()
        not_modified, queries = measure(client, url, **{header: value})
        assert not_modified.status_code == 304, header
        assert resolves == [], f"{name}: the resolver ran for a 304"
        assert not_modified.content == b""
        assert not_modified["ETag"] == full["ETag"]
        # The page lookup (routing a path: up to 8 queries) plus the validators' 2 or 3.
        assert queries <= 12, f"{name}: {queries} queries for a 304"
        assert queries <= full_queries, (name, queries, full_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["feed", "site feed", "meta", "api"])
def test_a_304_costs_less_than_a_200_that_resolves(client, demo_content, name):
    url = urls()[name]
    client.get(url)
    caches[smo_settings.META_CACHE].clear()  # a cold meta cache: the 200 resolves for real
    full, full_queries = measure(client, url)
    not_modified, queries = measure(client, url, HTTP_IF_NONE_MATCH=full["ETag"])
    assert not_modified.status_code == 304
    if name.endswith("feed"):  # a feed resolves every item
        assert queries * 3 < full_queries, (queries, full_queries)
    else:
        assert queries < full_queries, (queries, full_queries)


def validators(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response["ETag"], response["Last-Modified"]


def still_fresh(client, url, before) -> bool:
    return client.get(url, HTTP_IF_NONE_MATCH=before[0]).status_code == 304


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", ["feed", "site feed", "meta", "api"])
def test_publish_unpublish_and_settings_change_the_validators(client, demo_content, name):
    url = urls()[name]
    before = validators(client, url)
    assert still_fresh(client, url, before)

    page = BlogPage.objects.get(url_path__endswith=POST)
    page.social_title = "A new title for sharing"
    page.save_revision().publish()
    assert not still_fresh(client, url, before), "publish"

    if name != "api":  # the API detail of an unpublished page is a 404
        before = validators(client, url)
        other = BlogPage.objects.live().exclude(pk=page.pk).first()
        other.unpublish()
        if name != "meta":  # a feed loses an item; the meta of a sibling does not change
            assert not still_fresh(client, url, before), "unpublish"

    before = validators(client, url)
    settings = SocialMediaSettings.for_site(demo_content)
    settings.x_handle = "@changed"
    settings.save()
    assert not still_fresh(client, url, before), "settings"
    after = validators(client, url)
    assert after[1] >= before[1] or after[0] != before[0]
    assert still_fresh(client, url, after)


@pytest.mark.django_db
def test_an_image_change_changes_the_meta_validators(client, demo_content):
    url = urls()["meta"]
    before = validators(client, url)
    image = get_image_model().objects.first()
    image.title = "Renamed"
    image.save()
    assert not still_fresh(client, url, before)


@pytest.mark.django_db
def test_a_settings_change_made_by_another_process_is_seen_without_the_cache(
    client, demo_content
):
    """The settings' last change is read from the database: a process whose cache never heard
    of the change (simulated by putting the old content stamp back) still answers 200."""
    url = urls()["meta"]
    before = validators(client, url)
    cache = caches[smo_settings.META_CACHE]
    stamp = cache.get("wagtail-smo:content-changed")
    settings = SocialMediaSettings.for_site(demo_content)
    settings.x_handle = "@elsewhere"
    settings.save()
    cache.clear()
    cache.set("wagtail-smo:content-changed", stamp, None)
    assert not still_fresh(client, url, before)


@pytest.mark.django_db
def test_a_lost_stamp_never_gives_a_stale_304(client, demo_content):
    url = urls()["feed"]
    before = validators(client, url)
    # HTTP dates count whole seconds: a cache lost within the same second as the response
    # cannot be told apart by If-Modified-Since (the ETag can).
    time.sleep(1.05)
    caches[smo_settings.META_CACHE].clear()
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=before[1]).status_code == 200
    assert not still_fresh(client, url, before)


@pytest.mark.django_db
def test_the_query_string_selects_the_api_output(client, demo_content):
    url = urls()["api"]
    plain = validators(client, url)
    with_fields = client.get(url + "?fields=social_meta")
    assert with_fields["ETag"] != plain[0]
    assert client.get(url + "?fields=social_meta",
                      HTTP_IF_NONE_MATCH=plain[0]).status_code == 200


@pytest.mark.django_db
def test_cache_control(client, demo_content):
    links = urls()
    feed = client.get(links["feed"])
    assert f"max-age={smo_settings.FEEDS['CACHE_MAX_AGE']}" in feed["Cache-Control"]
    assert "public" in feed["Cache-Control"]
    for name in ("meta", "api"):
        response = client.get(links[name])
        assert {"public", "no-cache"} <= {
            part.strip() for part in response["Cache-Control"].split(",")
        }, name
    missing = client.get("/smo/meta/?path=/no/such/page/")
    assert missing.status_code == 404
    assert not missing.has_header("ETag")


@pytest.mark.django_db
def test_a_deploy_that_changes_the_settings_changes_the_validators(client, demo_content, settings):
    url = urls()["feed"]
    before = validators(client, url)
    settings.WAGTAIL_SMO = {**settings.WAGTAIL_SMO, "FEEDS": {"FULL_CONTENT": True}}
    assert not still_fresh(client, url, before)
    after = validators(client, url)
    # The channels' options (secrets) are no part of it.
    providers = {**settings.WAGTAIL_SMO["PROVIDERS"]}
    providers["x-demo"] = {**providers["x-demo"], "OPTIONS": {"NETWORK": "x", "TOKEN": "s3cret"}}
    settings.WAGTAIL_SMO = {**settings.WAGTAIL_SMO, "PROVIDERS": providers}
    assert still_fresh(client, url, after)
