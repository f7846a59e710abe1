"""The share, follow and subscribe template tags on real pages of the example site."""

from __future__ import annotations

import gzip
import logging
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.template import Context, Template
from django.test import override_settings

from wagtail_smo.share.networks import NETWORKS

STATIC = Path(__file__).resolve().parent.parent / "wagtail_smo" / "static" / "wagtail_smo"


def _post(slug="social-cards-explained"):
    from example_site.blog.models import BlogPage

    return BlogPage.objects.get(slug=slug)


def _render(source: str, **context) -> BeautifulSoup:
    html = Template("{% load wagtail_smo_tags %}" + source).render(Context(context))
    return BeautifulSoup(html, "html.parser")


def _share_block(client, page):
    response = client.get(urlsplit(page.full_url).path)
    assert response.status_code == 200
    doc = BeautifulSoup(response.content.decode(), "html.parser")
    blocks = doc.select(".smo-share")
    assert len(blocks) == 1
    return doc, blocks[0]


def test_post_page_has_every_default_network_as_an_accessible_plain_link(client, demo_content):
    from wagtail_smo.conf import smo_settings

    doc, block = _share_block(client, _post())
    buttons = block.select(".smo-btn:not([data-smo-close]):not([type=submit])")
    keys = [b["class"][1].removeprefix("smo-") for b in buttons]
    assert keys == list(smo_settings.SHARE_NETWORKS)
    for button, key in zip(buttons, keys):
        network = NETWORKS[key]
        assert button.get("aria-label") == network.accessible_name
        svg = button.select("svg")[0]
        assert svg.get("aria-hidden") == "true"
        if network.kind == "native":
            assert button.name == "button" and button.has_attr("hidden")
            continue
        assert button.name == "a" and button.get("href")
        if network.kind in ("link", "mastodon"):
            assert set(button["rel"]) == {"noopener", "noreferrer"}
        else:
            assert urlsplit(button.get("href")).hostname == "localhost"


def test_page_has_only_external_scripts_and_the_share_assets(client, demo_content):
    response = client.get(urlsplit(_post().full_url).path)
    doc = BeautifulSoup(response.content.decode(), "html.parser")
    for script in doc.select("script"):
        # JSON-LD data blocks are fine under a strict CSP; executable code must come from a file.
        assert script.get("src") or script.get("type") == "application/ld+json"
    assert doc.select('script[src$="wagtail_smo/share.js"][defer]')
    assert doc.select('link[rel=stylesheet][href$="wagtail_smo/share.css"]')
    assert not doc.select("[style]")
    assert not [el for el in doc.find_all(True) if any(a.startswith("on") for a in el.attrs)]


def test_site_setting_chooses_networks_and_order(client, demo_content):
    from wagtail_smo.models import SocialMediaSettings

    smo = SocialMediaSettings.for_site(demo_content)
    smo.share_networks = [("network", "telegram"), ("network", "mastodon"), ("network", "x")]
    smo.save()
    _doc, block = _share_block(client, _post())
    labels = [a.get("aria-label") for a in block.select(".smo-links > li > .smo-btn")]
    assert labels == ["Share on Telegram", "Share on Mastodon", "Share on X"]


def test_template_argument_overrides_networks_variant_and_size(demo_content):
    root = _render(
        '{% share_buttons page networks="reddit, email" variant="icons" large=True %}',
        page=_post(),
    )
    block = root.select(".smo-share")[0]
    assert set(block["class"]) == {"smo-share", "smo-icons", "smo-large"}
    hosts = [urlsplit(a.get("href")) for a in block.select(".smo-links > li > a")]
    assert [(u.scheme, u.hostname) for u in hosts] == [
        ("https", "www.reddit.com"),
        ("mailto", None),
    ]


def test_unknown_network_in_template_is_left_out_with_a_warning(demo_content, caplog):
    with caplog.at_level(logging.WARNING, logger="wagtail_smo"):
        root = _render('{% share_buttons page networks="x,myspace" %}', page=_post())
    assert len(root.select(".smo-links > li")) == 1
    assert "myspace" in caplog.text


def test_titles_are_escaped(demo_content):
    from wagtail_smo.meta import resolve

    page = _post("quotes-and-brackets")
    html = Template("{% load wagtail_smo_tags %}{% share_buttons page %}").render(
        Context({"page": page})
    )
    assert "<angle>" not in html
    block = BeautifulSoup(html, "html.parser").select(".smo-share")[0]
    assert block.get("data-smo-title") == resolve(page).title


@pytest.mark.django_db
def test_page_without_url_renders_nothing():
    from wagtail.models import Page

    from example_site.blog.models import BlogPage

    orphan = Page.get_first_root_node().add_child(
        instance=BlogPage(title="Not routable", slug="not-routable", intro="x")
    )
    html = Template(
        "{% load wagtail_smo_tags %}{% share_buttons page %}{% read_next page %}"
        "{% subscribe_links page %}"
    ).render(Context({"page": orphan}))
    assert html.strip() == ""


def test_no_page_in_context_renders_nothing(db):
    assert Template("{% load wagtail_smo_tags %}{% share_buttons %}").render(Context({})) == ""


def test_follow_links_are_rel_me_profiles(demo_content):
    from wagtail_smo.models import SocialMediaSettings

    expected = [b.value["url"] for b in SocialMediaSettings.for_site(demo_content).profile_links]
    assert expected  # the demo has profiles
    root = _render("{% follow_links page %}", page=_post())
    links = root.select(".smo-follow a")
    assert [a.get("href") for a in links] == expected
    assert all(a["rel"] == ["me"] for a in links)
    assert [a.get("aria-label") for a in links] == ["Mastodon profile", "Bluesky profile"]


def test_subscribe_links_list_the_feeds_with_copy_buttons(demo_content):
    from wagtail_smo import feeds

    page = _post()
    expected = feeds.feed_links_for(page)
    root = _render("{% subscribe_links page %}", page=page)
    subscribe = root.select(".smo-subscribe a:not([data-smo-copy])")
    copy = root.select(".smo-subscribe a[data-smo-copy]")
    assert [(a.get("href"), a.get("type")) for a in subscribe] == [
        (f.url, f.mime_type) for f in expected
    ]
    assert [a.get("href") for a in copy] == [f.url for f in expected]
    assert all(a.get("aria-label").startswith("Copy the URL of") for a in copy)


def test_share_assets_are_small():
    """share.css + share.js, as shipped, are at most 3 KB gzipped."""
    payload = (STATIC / "share.css").read_bytes() + (STATIC / "share.js").read_bytes()
    size = len(gzip.compress(payload, compresslevel=9))
    assert size <= 3 * 1024, size


@override_settings(WAGTAIL_SMO={"SHARE_NETWORKS": ["x", "myspace", "Telegram"]})
def test_system_check_reports_unknown_networks():
    errors = [e for e in checks.run_checks() if e.id == "wagtail_smo.E021"]
    assert sorted(e.msg.split()[-1] for e in errors) == ["'Telegram'.", "'myspace'."]
    with pytest.raises(SystemCheckError, match="myspace"):
        call_command("check")


@override_settings(WAGTAIL_SMO={"SHARE_NETWORKS": "x,telegram"})
def test_system_check_rejects_a_string():
    assert [e.id for e in checks.run_checks() if e.id.startswith("wagtail_smo.E02")] == [
        "wagtail_smo.E020"
    ]


def test_default_networks_pass_the_check():
    assert not [e for e in checks.run_checks() if e.id.startswith("wagtail_smo.E02")]


def test_database_check_warns_about_unknown_networks_saved_for_a_site(demo_content):
    from wagtail_smo.models import SocialMediaSettings

    smo = SocialMediaSettings.for_site(demo_content)
    smo.share_networks = [("network", "x"), ("network", "myspace")]
    smo.save()
    assert not [e for e in checks.run_checks() if e.id == "wagtail_smo.W022"]  # no DB access
    warnings = [e for e in checks.run_checks(databases=["default"]) if e.id == "wagtail_smo.W022"]
    assert len(warnings) == 1 and "'myspace'" in warnings[0].msg


def test_share_networks_are_edited_in_the_site_settings(admin_client, demo_content):
    from django.urls import reverse

    from wagtail_smo.models import SocialMediaSettings

    url = reverse(
        "wagtailsettings:edit", args=["wagtail_smo", "socialmediasettings", demo_content.pk]
    )
    response = admin_client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    # The StreamField's block definition, with the network choices, is part of the form.
    assert "share_networks" in content and "Pinterest" in content
    field = SocialMediaSettings._meta.get_field("share_networks")
    choices = field.stream_block.child_blocks["network"].field.choices
    assert [key for key, _label in choices if key] == list(NETWORKS)
