"""The Social tab and the "Social cards" live preview in real headless Chromium."""

from __future__ import annotations

import pytest

from tests.browser import (
    TIMEOUT,
    card,
    load_demo_on,
    login,
    open_social_preview,
    wait_for_edit_tracking,
)

# Live server: committed data, restored after each test (Wagtail's root page and collection).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def site(live_server):
    """Demo content on the live server's host and port, with the demo admin user."""
    return load_demo_on(live_server, create_admin=True)


def test_social_preview_follows_the_editor(browser_page, site, test_output_dir):
    from playwright.sync_api import expect

    from example_site.blog.models import BlogPage
    from wagtail_smo.meta import resolve

    post = BlogPage.objects.get(slug="social-cards-explained")
    meta = resolve(post)
    page = browser_page
    server_errors = []
    page.on("response", lambda r: server_errors.append((r.status, r.url)) if r.status >= 500
            else None)
    page.set_viewport_size({"width": 1600, "height": 1000})
    login(page, site)
    frame = open_social_preview(page, site, post.pk)
    for network in ("facebook", "x", "linkedin", "mastodon", "bluesky"):
        expect(card(frame, network, "title")).to_have_text(meta.title, timeout=TIMEOUT)
        image = card(frame, network, "image")
        expect(image).to_have_attribute("alt", meta.image.alt)
        assert meta.image.url.endswith(image.get_attribute("src"))
    # Each network's crop: X 2:1, Facebook and LinkedIn 1.91:1.
    for network, ratio in (("x", 2.0), ("facebook", 1.91), ("linkedin", 1.91)):
        box = card(frame, network, "media").bounding_box()
        assert box["width"] / box["height"] == pytest.approx(ratio, rel=0.03)
    expect(frame.locator('[data-smo-source="title"] .smo-sources__from')).to_have_text(
        "from the Social title field (Social tab)")

    # Wagtail's unsaved-changes tracker snapshots the form about 2 s after the editor loads (on
    # two timers); the preview refreshes only for changes made after that snapshot. A test that
    # types sooner than any editor would sees its edit swallowed: wait for the snapshot.
    wait_for_edit_tracking(page)

    # Edit the social title in the Social tab: the counter and the cards follow.
    page.get_by_role("tab", name="Social").click()
    field = page.locator("input[name=social_title]")
    new_title = "Edited in Chromium: a title that is clearly longer than sixty chars"
    field.fill(new_title)
    counter = page.locator("#id_social_title-smo-counter")
    expect(counter).to_contain_text(f"{len(new_title)} characters")
    expect(counter).to_contain_text("cut by Facebook, LinkedIn (60)")
    expect(counter).to_have_attribute("data-state", "warning")

    expect(card(frame, "x", "title")).to_have_text(new_title, timeout=TIMEOUT)
    cut = card(frame, "facebook", "title").inner_text()
    assert len(cut) <= 60 and cut.endswith("…") and new_title.startswith(cut[:-1].rstrip())
    expect(frame.locator('[data-smo-finding="title-too-long"]')).to_have_count(1)
    page.screenshot(path=str(test_output_dir / "editor-social-cards-preview.png"), full_page=True)
    assert (test_output_dir / "editor-social-cards-preview.png").stat().st_size > 10_000

    # Nothing was published: the preview works on the unsaved form (Wagtail's autosave keeps a
    # draft revision). The live server shares the test's in-memory SQLite connection: read only
    # once its requests (autosave, preview refreshes) are over.
    page.wait_for_load_state("networkidle")
    post.refresh_from_db()
    assert post.social_title != new_title
    assert server_errors == []  # preview refreshes and autosaves all succeeded


def test_counters_word_each_limit(browser_page, site):
    from playwright.sync_api import expect

    from example_site.blog.models import BlogPage

    post = BlogPage.objects.get(slug="hashtags-and-reach")
    page = browser_page
    login(page, site)
    page.goto(f"{site}/admin/pages/{post.pk}/edit/")
    page.get_by_role("tab", name="Social").click()
    description = page.locator("textarea[name=social_description]")
    counter = page.locator("#id_social_description-smo-counter")
    expect(counter).to_have_attribute("data-state", "empty")
    description.fill("Too short.")
    expect(counter).to_contain_text("10 characters")
    expect(counter).to_contain_text("shorter than 50")
    description.fill("é" * 120)  # code points, as the server counts them
    expect(counter).to_contain_text("120 characters")
    expect(counter).to_contain_text("cut by Facebook (110)")
    expect(counter).to_contain_text("fits Mastodon, Bluesky (150)")
    description.fill("")
    expect(counter).to_have_attribute("data-state", "empty")
    # The field points screen readers at its counter.
    assert "id_social_description-smo-counter" in description.get_attribute("aria-describedby")
