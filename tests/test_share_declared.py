"""Share buttons are declarations: a network declared outside the package (tests/example_network.py)
gets a share button from its ``ShareLink`` alone; built-in links are rendered from the same kind of
declaration; a broken declaration is named by the system check."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.template import Context, Template
from django.test import override_settings

from wagtail_smo.core.networks import Network, ShareLink, get_network, missing
from wagtail_smo.core.share import SHARE_PLACEHOLDERS
from wagtail_smo.share.checks import check_share_networks
from wagtail_smo.share.networks import NETWORKS

pytestmark = pytest.mark.django_db

EXAMPLE = {"PROVIDERS": {"example-main": {"BACKEND": "tests.example_network.ExampleProvider"}}}


def _post():
    from example_site.blog.models import BlogPage

    return BlogPage.objects.get(slug="social-cards-explained")


def _buttons(networks: str) -> list:
    html = Template("{% load wagtail_smo_tags %}{% share_buttons page networks=nets %}").render(
        Context({"page": _post(), "nets": networks}))
    return BeautifulSoup(html, "html.parser").select(".smo-links > li > .smo-btn")


def test_the_site_network_gets_a_share_button_from_its_declaration(demo_content):
    from wagtail_smo.meta import resolve

    assert _buttons("example") == []  # not configured: no such button
    with override_settings(WAGTAIL_SMO={**EXAMPLE, "UTM": {"ENABLED": True}}):
        [button] = _buttons("example")
        meta = resolve(_post())
    assert button["aria-label"] == "Share on Example Net"
    assert button.select_one(".smo-label").get_text() == "Example Net"
    assert set(button["rel"]) == {"noopener", "noreferrer"}
    href = urlsplit(button["href"])
    assert (href.scheme, href.hostname, href.path) == ("https", "share.example.net", "/post")
    query = parse_qs(href.query, strict_parsing=True)
    assert query["t"] == [meta.title]
    assert query["pic"] == [meta.image.url]
    shared = urlsplit(query["u"][0])
    assert shared._replace(query="").geturl() == meta.url
    assert parse_qs(shared.query)["utm_source"] == ["example"]
    # "note=via {via}": the demo site has an X handle, so the literal text stays, encoded.
    assert query["note"] == [f"via {meta.x_site.lstrip('@')}"]
    assert " " not in button["href"] and "+" not in button["href"]


def test_a_parameter_whose_placeholders_are_empty_is_left_out():
    link = ShareLink("https://share.example.net/post?u={url}&pic={image}&note=via {via}")
    href = link.render({"url": "https://example.org/a b?x=1&y=2"})
    query = parse_qs(urlsplit(href).query, strict_parsing=True)
    # "note" keeps its literal "via": a value is left out only when it comes out empty.
    assert query == {"u": ["https://example.org/a b?x=1&y=2"], "note": ["via"]}
    assert link.render({}, base="https://other.example/share") == \
        "https://other.example/share?note=via"


def test_the_system_check_knows_the_site_network_only_when_it_is_configured():
    with override_settings(WAGTAIL_SMO={"SHARE_NETWORKS": ["x", "example"]}):
        [error] = check_share_networks()
    assert error.id == "wagtail_smo.E021" and "'example'" in error.msg
    with override_settings(WAGTAIL_SMO={**EXAMPLE, "SHARE_NETWORKS": ["x", "example"]}):
        assert check_share_networks() == []
        assert "example" in NETWORKS and NETWORKS["example"].label == "Example Net"
    assert "example" not in NETWORKS


def test_every_built_in_share_button_but_mastodon_is_its_network_declaration():
    for key, target in NETWORKS.items():
        if target.kind != "link":
            continue
        declared = get_network(key).share
        assert declared is not None and declared.base.startswith(("https://", "mailto:"))
        assert target.build.__doc__.endswith(f"({declared.template}).")
    assert NETWORKS["mastodon"].kind == "mastodon"  # the one link with code (the instance)


@pytest.mark.parametrize(("template", "problem"), [
    ("http://share.example.net/?u={url}", "a share link starting with https:// or mailto:"),
    ("javascript:alert(1)//?u={url}", "a share link starting with https:// or mailto:"),
    ("https://share.example.net/?u={link}", "a valid share link parameter u (line 1, column 1: "
                                            "unknown placeholder {link}"),
    ("https://share.example.net/?u={url", "a valid share link parameter u"),
    ("https://share.example.net/?={url}", "a share link parameter name"),
])
def test_a_broken_share_declaration_is_named(template, problem):
    network = Network("bad-share", "Bad", share_only=True, share=ShareLink(template))
    assert any(p.startswith(problem) for p in missing(network)), missing(network)


def test_placeholders_documented_are_those_the_buttons_fill():
    from tests.test_share_links import _meta
    from wagtail_smo.share.networks import share_values

    assert set(share_values(_meta(), "https://example.org/")) == set(SHARE_PLACEHOLDERS)
