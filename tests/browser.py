"""Steps the Chromium tests share: logging in, the editor's "Social cards" preview, its cards.

The browser itself is the ``chromium`` / ``browser_page`` fixtures of tests/conftest.py.
"""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

from django.core.management import call_command

TIMEOUT = 20_000  # ms: the preview refreshes on a timer after each change


def load_demo_on(live_server, **options) -> str:
    """Load the demo content for the live server's host and port; return the server's URL."""
    port = urlsplit(live_server.url).port
    call_command("load_demo_content", hostname="localhost", port=port,
                 stdout=open(os.devnull, "w"), **options)
    return live_server.url


def login(page, base: str, username: str = "admin", password: str = "changeme") -> None:
    """Log into Wagtail's admin at ``base`` and wait for the dashboard."""
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))


def wait_for_edit_tracking(page) -> None:
    """Wait until Wagtail's ``w-unsaved`` controller has taken its snapshot of the edit form."""
    page.wait_for_function(
        """() => {
            const form = document.getElementById("page-edit-form");
            const unsaved = form && window.wagtail.app.getControllerForElementAndIdentifier(
                form, "w-unsaved");
            return Boolean(unsaved && unsaved.initialFormData);
        }""",
        timeout=TIMEOUT,
    )
    page.wait_for_timeout(1_000)  # the second of Wagtail's two snapshot timers


def open_social_preview(page, base: str, page_id: int):
    """Open a page's editor, switch the live preview to "Social cards"; return the frame."""
    from playwright.sync_api import expect

    from wagtail_smo.editor.preview import SOCIAL_PREVIEW_MODE

    page.goto(f"{base}/admin/pages/{page_id}/edit/")
    page.click('[data-side-panel-toggle="preview"]')
    iframe = page.locator("#w-preview-iframe")
    # Wait for the first (default) preview, so that the mode switch is not lost while the
    # preview panel is still starting.
    expect(iframe).to_have_attribute("src", re.compile(r"mode=&"), timeout=TIMEOUT)
    page.select_option("#id_preview_mode", SOCIAL_PREVIEW_MODE)
    expect(iframe).to_have_attribute("src", re.compile(f"mode={SOCIAL_PREVIEW_MODE}"),
                                     timeout=TIMEOUT)
    return page.frame_locator("#w-preview-iframe")


def card(frame, network: str, part: str):
    """One part (title, image, description...) of a network's card in the preview frame."""
    return frame.locator(f'article[data-network="{network}"] .smo-card__{part}')
