"""The UTM builder shared by share buttons, post drafts, feeds and exports."""

from __future__ import annotations

from urllib.parse import parse_qs, parse_qsl, urlsplit

import pytest
from django.test import override_settings

from wagtail_smo.share.utm import build_utm_url


def _params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


def test_adds_source_medium_and_campaign_from_page_slug(demo_content):
    from example_site.blog.models import BlogPage

    post = BlogPage.objects.live().first()
    url = build_utm_url("https://example.com/a/", "telegram", page=post)
    assert _params(url) == {
        "utm_source": ["telegram"],
        "utm_medium": ["social"],
        "utm_campaign": [post.slug],
    }


def test_keeps_existing_query_parameters_and_fragment():
    url = build_utm_url("https://example.com/a/?q=caf%C3%A9&x=1&x=2#part", "x")
    parts = urlsplit(url)
    assert parts.fragment == "part"
    assert parse_qsl(parts.query)[:3] == [("q", "café"), ("x", "1"), ("x", "2")]
    assert _params(url)["utm_source"] == ["x"]


def test_existing_utm_parameters_win():
    url = build_utm_url("https://example.com/?utm_source=newsletter", "x", campaign="c")
    assert _params(url)["utm_source"] == ["newsletter"]
    assert _params(url)["utm_campaign"] == ["c"]


def test_campaign_and_content_are_encoded():
    url = build_utm_url("https://example.com/", "x", campaign="a&b c#d", content="é+1")
    assert _params(url)["utm_campaign"] == ["a&b c#d"]
    assert _params(url)["utm_content"] == ["é+1"]
    assert urlsplit(url).fragment == ""


def test_explicit_medium_for_feeds():
    assert _params(build_utm_url("https://example.com/", "rss", medium="rss"))["utm_medium"] == [
        "rss"
    ]


@override_settings(WAGTAIL_SMO={"UTM": {"ENABLED": False}})
def test_switched_off_returns_url_unchanged():
    assert build_utm_url("https://example.com/?a=1#f", "x") == "https://example.com/?a=1#f"


@override_settings(
    WAGTAIL_SMO={
        "UTM": {
            "MEDIUM": "share",
            "CAMPAIGN": "{site}-{network}-{slug}",
            "SOURCES": {"x": "twitter"},
        }
    }
)
def test_settings_template_medium_and_source_names(demo_content):
    from example_site.blog.models import BlogPage

    post = BlogPage.objects.live().first()
    params = _params(build_utm_url("https://example.com/", "x", page=post))
    assert params["utm_medium"] == ["share"]
    assert params["utm_source"] == ["twitter"]
    assert params["utm_campaign"] == [f"{demo_content.hostname}-x-{post.slug}"]


@pytest.mark.parametrize("template", ["{", "{unknown}", "{0}", ""])
@pytest.mark.django_db
def test_malformed_or_empty_campaign_template_never_crashes(template):
    with override_settings(WAGTAIL_SMO={"UTM": {"CAMPAIGN": template}}):
        url = build_utm_url("https://example.com/", "x")
    assert _params(url)["utm_source"] == ["x"]


def test_empty_url_stays_empty():
    assert build_utm_url("", "x") == ""
