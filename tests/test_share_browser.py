"""Share buttons in real headless Chromium: plain links, copy, Mastodon picker, privacy, a11y."""

from __future__ import annotations

import json
import os
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command

from tests.test_share_links import ENDPOINTS

# Live server: committed data, restored after each test (Wagtail's root page and collection).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'"
)
POST = "/blog/kak-sdelat-kartochki/"  # Cyrillic and emoji in the title


@pytest.fixture
def site(live_server):
    """The demo content, with the site's URL being the live server's (so full URLs load)."""
    port = urlsplit(live_server.url).port
    call_command("load_demo_content", hostname="localhost", port=port, stdout=open(os.devnull, "w"))
    return live_server.url


def _own(url: str, site: str) -> bool:
    return urlsplit(url).netloc == urlsplit(site).netloc or url.startswith(("data:", "blob:"))


class Recorder:
    """Routes every request of a browser context: own host passes, others are stubbed and kept."""

    def __init__(self, context, site: str, csp: bool = False):
        self.site, self.csp, self.foreign = site, csp, []
        context.route("**/*", self.handle)

    def handle(self, route):
        url = route.request.url
        if not _own(url, self.site):
            self.foreign.append(url)
            route.fulfill(status=200, content_type="text/html", body="<title>stub</title>")
        elif self.csp and route.request.resource_type == "document":
            response = route.fetch()
            headers = {**response.headers, "content-security-policy": STRICT_CSP}
            route.fulfill(response=response, headers=headers)
        else:
            route.continue_()


def _open(context, site: str, path: str = POST, csp: bool = False):
    recorder = Recorder(context, site, csp=csp)
    page = context.new_page()
    violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    response = page.goto(site + path, wait_until="networkidle")
    assert response.status == 200
    return page, recorder, violations


def _share_buttons(page):
    return page.locator(".smo-share .smo-links > li > .smo-btn")


def test_without_javascript_every_button_is_a_working_link(chromium, site, test_output_dir):
    context = chromium.new_context(java_script_enabled=False)
    try:
        page, recorder, _ = _open(context, site)
        assert recorder.foreign == []
        page.locator(".smo-share").screenshot(path=str(test_output_dir / "share-nojs.png"))
        buttons = _share_buttons(page)
        names = {}
        for i in range(buttons.count()):
            button = buttons.nth(i)
            key = button.get_attribute("class").split()[1].removeprefix("smo-")
            names[key] = button.get_attribute("aria-label")
            if key == "native":  # needs the browser's share sheet: hidden without script
                assert not button.is_visible()
                continue
            href = button.get_attribute("href")
            if key in ("email", "copy"):
                expected = ("mailto", "", "") if key == "email" else ("http", "localhost", POST)
                parts = urlsplit(href)
                assert (parts.scheme, parts.hostname or "", parts.path) == expected
                continue
            with context.expect_page() as popup_info:
                button.click()
            popup = popup_info.value
            popup.wait_for_load_state()
            opened = urlsplit(popup.url)
            assert (opened.scheme, opened.hostname, opened.path) == ENDPOINTS[key], key
            assert recorder.foreign[-1] == popup.url
            popup.close()
        assert names["telegram"] == "Share on Telegram"
        assert len(recorder.foreign) == len(ENDPOINTS) - 1  # every network but e-mail
    finally:
        context.close()


def test_copy_link_puts_the_page_url_on_the_clipboard(chromium, site):
    context = chromium.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    try:
        page, recorder, _ = _open(context, site)
        page.get_by_role("link", name="Copy link").click()
        page.locator(".smo-share [data-smo-status]").filter(has_text="Link copied").wait_for()
        assert page.evaluate("navigator.clipboard.readText()") == site + POST
        assert urlsplit(page.url).path == POST  # the click did not navigate
        assert recorder.foreign == []
    finally:
        context.close()


def test_mastodon_picker_builds_the_instance_share_url_and_remembers_it(chromium, site):
    context = chromium.new_context()
    try:
        page, recorder, _ = _open(context, site)
        title = page.locator(".smo-share").get_attribute("data-smo-title")
        dialog = page.locator("dialog[data-smo-mastodon-dialog]")
        page.get_by_role("link", name="Share on Mastodon").click()
        assert dialog.is_visible()
        dialog.get_by_role("textbox").fill("not a server")
        dialog.get_by_role("button", name="Share").click()
        assert dialog.is_visible() and recorder.foreign == []  # refused, nothing opened

        dialog.get_by_role("textbox").fill("https://Mastodon.Example/@someone")
        with context.expect_page() as popup_info:
            dialog.get_by_role("button", name="Share").click()
        popup = popup_info.value
        popup.wait_for_load_state()
        opened = urlsplit(popup.url)
        assert (opened.scheme, opened.hostname, opened.path) == (
            "https",
            "mastodon.example",
            "/share",
        )
        text = parse_qs(opened.query)["text"][0]
        shared = urlsplit(text.rsplit(" ", 1)[1])
        assert text.startswith(title + " ") and (shared.netloc, shared.path) == (
            urlsplit(site).netloc,
            POST,
        )
        assert parse_qs(shared.query)["utm_source"] == ["mastodon"]
        popup.close()
        assert not dialog.is_visible()

        page.reload(wait_until="networkidle")
        page.get_by_role("link", name="Share on Mastodon").click()
        assert dialog.get_by_role("textbox").input_value() == "mastodon.example"
        dialog.get_by_role("button", name="Cancel").click()
        assert not dialog.is_visible()
    finally:
        context.close()


@pytest.mark.parametrize("path", [POST, "/news/demo-launched/"])
def test_loading_a_post_requests_nothing_from_third_parties_under_strict_csp(chromium, site, path):
    context = chromium.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    try:
        page, recorder, violations = _open(context, site, path, csp=True)
        assert page.locator(".smo-share").count() == 1
        requested = []
        page.on("request", lambda r: requested.append(r.url))
        page.reload(wait_until="networkidle")
        assert requested and all(_own(url, site) for url in requested)
        # The script runs under the strict policy: copy-link is enhanced, nothing was refused.
        page.get_by_role("link", name="Copy link").click()
        page.locator(".smo-share [data-smo-status]").filter(has_text="Link copied").wait_for()
        assert recorder.foreign == [] and violations == []
    finally:
        context.close()


@pytest.mark.parametrize("path", [POST, "/news/demo-launched/"], ids=["labels", "icons-large"])
def test_share_follow_subscribe_and_read_next_pass_axe(
    chromium, site, axe_source, path, test_output_dir
):
    context = chromium.new_context()
    try:
        page, _recorder, _ = _open(context, site, path)
        name = path.strip("/").replace("/", "-")
        page.screenshot(path=str(test_output_dir / f"share-{name}.png"), full_page=True)
        page.add_script_tag(content=axe_source)
        blocks = [
            s
            for s in (".smo-share", ".smo-follow", ".smo-subscribe", ".smo-read-next")
            if page.locator(s).count()
        ]
        assert ".smo-share" in blocks and ".smo-follow" in blocks and ".smo-read-next" in blocks
        result = page.evaluate("(include) => axe.run({include: include.map((s) => [s])})", blocks)
        assert result["violations"] == [], json.dumps(result["violations"], indent=1)[:3000]
        # The Mastodon dialog, once open, passes as well.
        page.get_by_role("link", name="Share on Mastodon").click()
        result = page.evaluate("axe.run({include: [['dialog[data-smo-mastodon-dialog]']]})")
        assert result["violations"] == [], json.dumps(result["violations"], indent=1)[:3000]
    finally:
        context.close()


def test_keyboard_focus_is_visible_and_targets_are_large_enough(chromium, site):
    context = chromium.new_context()
    try:
        page, _recorder, _ = _open(context, site, "/news/demo-launched/")
        first = _share_buttons(page).first
        first.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")  # keyboard focus, so :focus-visible applies
        style = first.evaluate(
            "(el) => { const s = getComputedStyle(el); "
            "return [el === document.activeElement, s.outlineStyle, parseFloat(s.outlineWidth)] }"
        )
        assert style[0] and style[1] != "none" and style[2] >= 2
        boxes = [_share_buttons(page).nth(i).bounding_box() for i in range(3)]
        assert all(b["width"] >= 44 and b["height"] >= 44 for b in boxes)  # the large variant
    finally:
        context.close()
