"""The "Social cards" preview shows a card for each of the twelve networks, in real Chromium."""

from __future__ import annotations

import pytest

from tests.browser import TIMEOUT, login, open_social_preview
from tests.test_editor_browser import site  # noqa: F401 (a fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TWELVE = ["facebook", "x", "linkedin", "telegram", "mastodon", "bluesky", "threads", "vk",
          "instagram", "pinterest", "slack", "whatsapp"]
#: Width / height of each new network's image crop, as its card layout declares it.
CROPS = {"whatsapp": 1.0, "pinterest": 2 / 3, "threads": 1.91, "vk": 2.0, "instagram": 0.8}


def test_the_preview_shows_twelve_network_cards(browser_page, site, test_output_dir):  # noqa: F811
    from playwright.sync_api import expect

    from example_site.blog.models import BlogPage
    from wagtail_smo.meta import resolve

    post = BlogPage.objects.get(slug="social-cards-explained")
    meta = resolve(post)
    page = browser_page
    page.set_viewport_size({"width": 1600, "height": 1000})
    login(page, site)
    frame = open_social_preview(page, site, post.pk)
    articles = frame.locator("article.smo-card")
    expect(articles).to_have_count(12, timeout=TIMEOUT)
    assert sorted(articles.evaluate_all("els => els.map(e => e.dataset.network)")) == sorted(TWELVE)
    for network in TWELVE:
        card = frame.locator(f'article[data-network="{network}"]')
        expect(card.locator(".smo-card__title")).to_have_text(meta.title)
        expect(card.locator(".smo-card__image")).to_be_visible()
    for network, ratio in CROPS.items():
        box = frame.locator(f'article[data-network="{network}"] .smo-card__media').bounding_box()
        assert box["width"] / box["height"] == pytest.approx(ratio, rel=0.03), network
    # WhatsApp's thumbnail sits beside the text; Instagram's account name is above the image,
    # the caption under it.
    whatsapp = frame.locator('article[data-network="whatsapp"]')
    media, text = (whatsapp.locator(f".smo-card__{part}").bounding_box() for part in ("media", "text"))
    assert media["x"] + media["width"] <= text["x"] + 1
    instagram = frame.locator('article[data-network="instagram"]')
    site_box = instagram.locator(".smo-card__site").bounding_box()
    media_box = instagram.locator(".smo-card__media").bounding_box()
    assert site_box["y"] < media_box["y"]
    assert instagram.locator(".smo-card__title").bounding_box()["y"] >= media_box["y"] + media_box["height"] - 1
    # The preview's own address (the session keeps the form), full page: all twelve cards.
    page.goto(page.locator("#w-preview-iframe").get_attribute("src"))
    expect(page.locator("article.smo-card")).to_have_count(12, timeout=TIMEOUT)
    page.locator("#smo-cards-heading").scroll_into_view_if_needed()
    shot = test_output_dir / "preview-twelve-cards.png"
    page.locator(".smo-cards").screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
