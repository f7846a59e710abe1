"""Share URLs of every network: values survive the round trip, hosts are right, UTM per network."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from wagtail_smo.meta.resolver import SocialImage, SocialMeta
from wagtail_smo.share.links import share_links
from wagtail_smo.share.networks import NETWORKS

TRICKY_TITLE = "Привет, мир 🚀 Q&A #1? 1+1 = 2  done"
TRICKY_URL = "https://example.com/блог/q&a/?x=1&y=a+b#frag ment"
TRICKY_DESCRIPTION = "Ünïcødé & <more> 👍🏽 50% + more"
IMAGE_URL = "https://example.com/media/i m&g#1.jpg"

# network -> (scheme, host, path) of its share endpoint (from docs/REFERENCE share links)
ENDPOINTS = {
    "x": ("https", "twitter.com", "/intent/tweet"),
    "facebook": ("https", "www.facebook.com", "/sharer/sharer.php"),
    "linkedin": ("https", "www.linkedin.com", "/sharing/share-offsite/"),
    "telegram": ("https", "t.me", "/share/url"),
    "whatsapp": ("https", "wa.me", "/"),
    "vk": ("https", "vk.com", "/share.php"),
    "reddit": ("https", "www.reddit.com", "/submit"),
    "pinterest": ("https", "www.pinterest.com", "/pin/create/button/"),
    "bluesky": ("https", "bsky.app", "/intent/compose"),
    "threads": ("https", "www.threads.net", "/intent/post"),
    "mastodon": ("https", "share.joinmastodon.org", "/"),
    "email": ("mailto", "", ""),
}

# network -> the decoded query the share URL must carry, given title T, url U, description D
EXPECTED = {
    "x": lambda T, U, D: {"text": [T], "url": [U], "via": ["smodemo"]},
    "facebook": lambda T, U, D: {"u": [U]},
    "linkedin": lambda T, U, D: {"url": [U]},
    "telegram": lambda T, U, D: {"url": [U], "text": [T]},
    "whatsapp": lambda T, U, D: {"text": [f"{T} {U}"]},
    "vk": lambda T, U, D: {"url": [U], "title": [T], "image": [IMAGE_URL]},
    "reddit": lambda T, U, D: {"url": [U], "title": [T]},
    "pinterest": lambda T, U, D: {"url": [U], "media": [IMAGE_URL], "description": [D]},
    "bluesky": lambda T, U, D: {"text": [f"{T} {U}"]},
    "threads": lambda T, U, D: {"text": [T], "url": [U]},
    "mastodon": lambda T, U, D: {"text": [f"{T} {U}"]},
    "email": lambda T, U, D: {"subject": [T], "body": [f"{D}\n\n{U}"]},
}


def _meta(**changes) -> SocialMeta:
    values = dict(
        title=TRICKY_TITLE,
        description=TRICKY_DESCRIPTION,
        url=TRICKY_URL,
        og_type="article",
        site_name="Demo",
        locale="en",
        image=SocialImage(url=IMAGE_URL, width=1200, height=630, mime_type="image/jpeg", alt="a"),
        x_site="@smodemo",
    )
    values.update(changes)
    return SocialMeta(**values)


def test_every_third_party_network_is_covered():
    third_party = {key for key, network in NETWORKS.items() if network.kind in ("link", "mastodon")}
    assert third_party == set(ENDPOINTS)


@pytest.mark.parametrize("network", sorted(ENDPOINTS))
def test_share_url_round_trips_tricky_title_and_url(network):
    meta = _meta()
    href = NETWORKS[network].build(meta, TRICKY_URL)
    parts = urlsplit(href)
    assert (parts.scheme, parts.hostname or "", parts.path) == ENDPOINTS[network]
    # Fully encoded: no raw space, no fragment, "+" never left to be read as a space.
    assert " " not in href and "#" not in href and "+" not in href
    assert parts.fragment == ""
    decoded = parse_qs(parts.query, keep_blank_values=True, strict_parsing=True)
    assert decoded == EXPECTED[network](TRICKY_TITLE, TRICKY_URL, TRICKY_DESCRIPTION)


def test_mastodon_instance_share_url():
    href = NETWORKS["mastodon"].build(_meta(), TRICKY_URL, "mastodon.example")
    parts = urlsplit(href)
    assert (parts.hostname, parts.path) == ("mastodon.example", "/share")
    assert parse_qs(parts.query) == {"text": [f"{TRICKY_TITLE} {TRICKY_URL}"]}


def test_without_image_or_handle_empty_parameters_are_left_out():
    meta = _meta(image=None, x_site="", description="")
    assert "via" not in parse_qs(urlsplit(NETWORKS["x"].build(meta, TRICKY_URL)).query)
    pin = parse_qs(urlsplit(NETWORKS["pinterest"].build(meta, TRICKY_URL)).query)
    assert "media" not in pin and pin["description"] == [TRICKY_TITLE]
    mail = parse_qs(urlsplit(NETWORKS["email"].build(meta, TRICKY_URL)).query)
    assert mail["body"] == [TRICKY_URL]


@pytest.fixture
def tricky_page(demo_content):
    from example_site.blog.models import BlogIndexPage, BlogPage

    blog = BlogIndexPage.objects.get(slug="blog")
    page = BlogPage(title=TRICKY_TITLE, slug="tricky-q-and-a", intro=TRICKY_DESCRIPTION)
    blog.add_child(instance=page)
    page.save_revision().publish()
    return page


def _shared_url(link) -> str:
    """The page URL carried inside a share link, whatever parameter the network uses."""
    query = parse_qs(urlsplit(link.href).query)
    for key in ("url", "u"):
        if key in query:
            return query[key][0]
    text = query.get("text") or query.get("body")
    return text[0].rsplit(None, 1)[-1]


def test_real_page_links_carry_its_url_with_per_network_utm(tricky_page):
    from wagtail_smo.meta import resolve

    meta = resolve(tricky_page)
    links = share_links(tricky_page, list(ENDPOINTS))
    assert [link.network for link in links] == list(ENDPOINTS)
    for link in links:
        shared = urlsplit(_shared_url(link))
        assert shared._replace(query="").geturl() == meta.url
        utm = parse_qs(shared.query)
        assert utm["utm_source"] == [link.network]
        assert utm["utm_medium"] == ["social"]
        assert utm["utm_campaign"] == ["tricky-q-and-a"]
    x = parse_qs(urlsplit(links[0].href).query)
    assert x["text"] == [meta.title]
    assert meta.title == " ".join(TRICKY_TITLE.split())  # the resolver folds whitespace


def test_copy_and_native_share_the_plain_page_url(tricky_page):
    from wagtail_smo.meta import resolve

    links = share_links(tricky_page, "copy, native")
    assert [(link.kind, link.href) for link in links] == [
        ("copy", resolve(tricky_page).url),
        ("native", resolve(tricky_page).url),
    ]


def test_accessible_names():
    assert NETWORKS["telegram"].accessible_name == "Share on Telegram"
    assert NETWORKS["email"].accessible_name == "Share by e-mail"
    assert NETWORKS["copy"].accessible_name == "Copy link"
