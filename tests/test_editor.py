"""The Social tab, its counters and checks panel, and the "Social cards" preview mode."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from wagtail.models import Page

from example_site.blog.models import BlogIndexPage, BlogPage
from example_site.home.models import HomePage
from tests.test_audit_checks import break_resolver
from wagtail_smo.editor.preview import SOCIAL_PREVIEW_MODE
from wagtail_smo.meta import resolve

pytestmark = pytest.mark.django_db
NETWORKS = {"facebook", "x", "linkedin", "telegram", "mastodon", "bluesky", "slack",
            "whatsapp", "pinterest", "threads", "vk", "instagram"}


def preview(page) -> BeautifulSoup:
    response = page.make_preview_request(preview_mode=SOCIAL_PREVIEW_MODE)
    assert response.status_code == 200
    response.render()
    return BeautifulSoup(response.content, "html.parser")


def cards(soup) -> dict:
    return {card["data-network"]: card for card in soup.select("article.smo-card")}


def text(node) -> str:
    return " ".join(node.get_text().split()) if node else ""


def test_mixin_pages_offer_the_social_cards_mode_after_their_own(demo_content):
    for page in (BlogPage.objects.first(), HomePage.objects.first(), BlogIndexPage.objects.first()):
        modes = dict(page.preview_modes)
        assert modes[SOCIAL_PREVIEW_MODE] == "Social cards"
        assert page.default_preview_mode == ""  # the page itself stays the default preview


def test_normal_preview_is_untouched(demo_content):
    page = BlogPage.objects.get(slug="social-cards-explained")
    response = page.make_preview_request(preview_mode="")
    assert response.status_code == 200
    assert b"smo-card" not in response.render().content


def test_cards_for_every_network_show_the_resolved_values(demo_content):
    page = BlogPage.objects.get(slug="social-cards-explained")
    meta = resolve(page)
    soup = preview(page)
    found = cards(soup)
    assert set(found) == NETWORKS
    for card in found.values():
        assert text(card.select_one(".smo-card__title")) == meta.title  # short: never cut
        image = card.select_one("img.smo-card__image")
        assert meta.image.url.endswith(image["src"])
        assert image["alt"] == meta.image.alt
    assert text(found["facebook"].select_one(".smo-card__description")) == meta.description
    assert found["x"].select_one(".smo-card__description") is None  # X shows no description
    assert "smo-aspect-2" in found["x"].select_one(".smo-card__media")["class"]
    assert "smo-aspect-1-91" in found["facebook"].select_one(".smo-card__media")["class"]


def test_the_share_networks_cards_follow_their_layouts(demo_content):
    """WhatsApp, Pinterest, Threads, VK and Instagram: each card's crop and what it shows."""
    page = BlogPage.objects.get(slug="social-cards-explained")
    meta = resolve(page)
    found = cards(preview(page))
    crops = {"whatsapp": "smo-aspect-1", "pinterest": "smo-aspect-2-3",
             "threads": "smo-aspect-1-91", "vk": "smo-aspect-2", "instagram": "smo-aspect-4-5"}
    for network, crop in crops.items():
        assert crop in found[network].select_one(".smo-card__media")["class"], network
    # Only WhatsApp's chat preview shows a description; the others show the title alone.
    assert text(found["whatsapp"].select_one(".smo-card__description")) == meta.description[:80] \
        or text(found["whatsapp"].select_one(".smo-card__description")).endswith("…")
    for network in ("pinterest", "threads", "vk", "instagram"):
        assert found[network].select_one(".smo-card__description") is None, network
    # Instagram names the account (the site's name); the others the domain.
    assert text(found["instagram"].select_one(".smo-card__site")) == meta.site_name
    assert text(found["vk"].select_one(".smo-card__site")) == text(
        found["facebook"].select_one(".smo-card__site")).lower()


def test_long_titles_are_cut_where_each_network_cuts_them_on_share_networks(demo_content):
    page = BlogPage.objects.get(slug="very-long-title")
    found = cards(preview(page))
    for network, limit in {"whatsapp": 65, "threads": 70, "vk": 80}.items():
        title = text(found[network].select_one(".smo-card__title"))
        assert len(title) <= limit and title.endswith("…"), network
        assert page.title.startswith(title.rstrip("…").rstrip())
        assert f"cuts the title after {limit} characters" in text(
            found[network].select_one(".smo-card__note"))


def test_long_titles_are_cut_where_each_network_cuts_them(demo_content):
    page = BlogPage.objects.get(slug="very-long-title")
    found = cards(preview(page))
    for network, limit in {"facebook": 60, "linkedin": 60, "x": 70}.items():
        title = text(found[network].select_one(".smo-card__title"))
        assert len(title) <= limit and title.endswith("…")
        assert page.title.startswith(title.rstrip("…").rstrip())
        assert f"cuts the title after {limit} characters" in text(
            found[network].select_one(".smo-card__note"))


def test_each_value_is_labelled_with_its_source_in_words(demo_content):
    page = BlogPage.objects.get(slug="inherits-section-image")
    soup = preview(page)
    rows = {row["data-smo-source"]: row for row in soup.select("[data-smo-source]")}
    assert text(rows["title"].select_one(".smo-sources__from")) == "from the page's title"
    assert text(rows["description"].select_one(".smo-sources__from")) == "from the page's intro"
    assert text(rows["image"].select_one(".smo-sources__from")) == "inherited from Blog"
    card = cards(soup)["facebook"]
    assert card.select_one("img")["title"] == "Image: inherited from Blog"


def test_site_default_is_named(demo_content):
    page = Page.objects.get(slug="no-image-at-all").specific
    soup = preview(page)
    source = text(soup.select_one('[data-smo-source="image"] .smo-sources__from'))
    assert source.startswith("site default")


def test_preview_uses_the_unsaved_page(demo_content):
    page = BlogPage.objects.get(slug="social-cards-explained")
    page.social_title = "Typed but not saved <b>yet</b>"
    found = cards(preview(page))
    assert text(found["bluesky"].select_one(".smo-card__title")) == "Typed but not saved <b>yet</b>"
    assert BlogPage.objects.get(pk=page.pk).social_title != page.social_title


def test_preview_lists_the_checks_with_fixes(demo_content):
    soup = preview(BlogPage.objects.get(slug="very-long-title"))
    findings = {li["data-smo-finding"]: li for li in soup.select("[data-smo-finding]")}
    assert "title-too-long" in findings
    assert text(findings["title-too-long"].select_one(".smo-finding__fix")).startswith("Fix:")
    assert text(soup.select_one("[data-smo-count]")) == str(len(findings))


def test_page_without_image_shows_the_gap(demo_content):
    page = BlogPage.objects.get(slug="social-cards-explained")
    page.social_image = None
    page.social_image_fallback = False
    soup = preview(page)
    assert not soup.select("img.smo-card__image")
    assert len(soup.select(".smo-card__media--none")) == len(NETWORKS)
    assert soup.select('[data-smo-finding="image-missing"]')


def test_resolver_failure_is_shown_not_a_500(demo_content, monkeypatch):
    page = BlogPage.objects.get(slug="social-cards-explained")
    break_resolver(monkeypatch, BlogPage)
    soup = preview(page)
    assert soup.select('[data-smo-finding="resolver-failed"]')
    assert not soup.select("article.smo-card")


def test_preview_page_has_no_inline_script(demo_content):
    soup = preview(BlogPage.objects.get(slug="quotes-and-brackets"))
    assert not soup.find_all("script")
    assert not soup.select("[style]")
    assert not any(attr.startswith("on") for tag in soup.find_all(True) for attr in tag.attrs)


@pytest.fixture
def admin_client(client, demo_content):
    call_command("load_demo_content", create_admin=True, hostname="localhost", port=80,
                 stdout=StringIO())
    client.login(username="admin", password="changeme")
    return client


def test_edit_view_has_a_social_tab_with_counters_and_checks(admin_client):
    page = BlogPage.objects.get(slug="very-long-title")
    response = admin_client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    tabs = [text(a) for a in soup.select("[role=tab]")]
    assert any(t.startswith("Social") for t in tabs)
    title_input = soup.select_one("input[name=social_title]")
    limits = json.loads(title_input["data-smo-limits"])
    assert [limit["max"] for limit in limits["limits"]] == [60, 70]
    description = json.loads(soup.select_one("textarea[name=social_description]")["data-smo-limits"])
    assert description["min"] == 50 and max(lim["max"] for lim in description["limits"]) == 200
    assert soup.select_one("input[name=social_image_alt]")["data-smo-limits"]
    scripts = [s.get("src", "") for s in soup.find_all("script")]
    assert any(src.endswith("wagtail_smo/editor.js") for src in scripts)
    panel = soup.select_one("[data-smo-checks-panel]")
    assert panel.select('[data-smo-finding="title-too-long"]')


def test_preview_mode_is_offered_in_the_editor(admin_client):
    page = BlogPage.objects.get(slug="social-cards-explained")
    soup = BeautifulSoup(admin_client.get(f"/admin/pages/{page.pk}/edit/").content,
                         "html.parser")
    options = {o["value"]: text(o) for o in soup.select("select option")}
    assert options.get(SOCIAL_PREVIEW_MODE) == "Social cards"


def test_create_view_renders_with_the_social_tab(admin_client):
    blog = BlogIndexPage.objects.get(slug="blog")
    response = admin_client.get(f"/admin/pages/add/blog/blogpage/{blog.pk}/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert "Save a draft to see the checks" in text(soup.select_one("[data-smo-checks-panel]"))
