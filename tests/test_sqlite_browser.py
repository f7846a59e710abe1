"""An editing session on SQLite as the demo runs it: autosave, preview and session pings at once.

The other browser tests run Django's live server on the in-memory test database, one request at a
time (tests/conftest.py): they cannot meet SQLite's locks. Here a real ``manage.py runserver``
(threaded, as ``make demo`` runs it) serves a database file configured with the example site's
``SQLITE_OPTIONS`` (WAL, IMMEDIATE transactions, a busy timeout; docs/configuration.md#sqlite),
and Chromium changes a page's social image while Wagtail's autosave, the preview refresh and the
editing-session pings write and read together. Without those options about 4 sessions in 6 met
``database is locked`` and the preview silently kept the old image.
"""

from __future__ import annotations

import json
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from example_site.settings import SQLITE_OPTIONS
from tests.browser import TIMEOUT, card, login, open_social_preview, wait_for_edit_tracking
from tests.workers import ROOT, worker_env

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def sqlite_site(tmp_path):
    """The demo on a SQLite file served by ``manage.py runserver``; yields (URL, log path)."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    port = free_port()
    call_command("load_demo_content", hostname="127.0.0.1", port=port, create_admin=True,
                 stdout=open("/dev/null", "w"))
    path = tmp_path / "db.sqlite3"
    target = sqlite3.connect(path)
    connection.ensure_connection()
    connection.connection.backup(target)
    target.close()
    env = worker_env(IMMEDIATE)
    env["SMO_TEST_DATABASE"] = json.dumps({"ENGINE": "django.db.backends.sqlite3",
                                           "NAME": str(path), "OPTIONS": SQLITE_OPTIONS})
    env["SMO_TEST_MEDIA_ROOT"] = str(settings.MEDIA_ROOT)
    log_path = tmp_path / "runserver.log"
    with open(log_path, "wb") as log:
        # --insecure: the admin's static files with DEBUG off, as the tests run.
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", "--insecure",
             f"127.0.0.1:{port}"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"{url}/admin/login/", timeout=5)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"runserver did not start: {log_path.read_text()[-3000:]}")
                time.sleep(0.5)
        yield url, log_path, path
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_autosave_and_preview_together_show_the_new_image(browser_page, sqlite_site,
                                                          test_output_dir):
    from playwright.sync_api import expect
    from wagtail.images import get_image_model

    from example_site.blog.models import BlogPage

    url, log_path, db_path = sqlite_site
    post = BlogPage.objects.get(slug="social-cards-explained")
    new_image = get_image_model().objects.get(title="Demo: newsroom")
    assert post.social_image_id != new_image.pk
    page = browser_page
    failures = []
    page.on("response", lambda r: failures.append((r.status, r.url)) if r.status >= 500
            else None)
    page.set_viewport_size({"width": 1600, "height": 1000})
    login(page, url)
    frame = open_social_preview(page, url, post.pk)
    expect(card(frame, "x", "image")).to_have_attribute("src", re.compile("images/harbou"),
                                                        timeout=TIMEOUT)
    wait_for_edit_tracking(page)

    # Keep typing in the title (autosave and preview requests) while the image changes, as the
    # chooser sets it: the hidden input's value and a change event.
    page.get_by_role("tab", name="Social").click()
    title = page.locator("input[name=social_title]")
    for n in range(6):
        title.fill(f"Typed while autosaving, take {n}")
        if n == 2:
            page.evaluate(
                """(pk) => {
                    const input = document.querySelector("input[name=social_image]");
                    input.value = String(pk);
                    input.dispatchEvent(new Event("change", {bubbles: true}));
                }""",
                new_image.pk,
            )
            # The Social tab's form asks for an alt text written for the new image.
            page.locator("[name=social_image_alt]").fill("A newsroom drawn in navy and pale blue")
        page.wait_for_timeout(400)
    expect(card(frame, "x", "image")).to_have_attribute("src", re.compile("images/newsro"),
                                                        timeout=TIMEOUT)
    expect(card(frame, "x", "title")).to_have_text("Typed while autosaving, take 5",
                                                   timeout=TIMEOUT)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1_500)  # the last autosave
    page.screenshot(path=str(test_output_dir / "sqlite-autosave-preview.png"), full_page=True)

    log = log_path.read_text(errors="replace")
    assert failures == [] and "database is locked" not in log, (failures, log[-3000:])
    # Autosave kept the editor's draft in the database file: the new image, not published.
    with sqlite3.connect(db_path) as db:
        [(content,)] = db.execute(
            "SELECT content FROM wagtailcore_revision WHERE object_id = ? "
            "ORDER BY id DESC LIMIT 1", (str(post.pk),)).fetchall()
        [(mode,)] = db.execute("PRAGMA journal_mode").fetchall()
    saved = json.loads(content)
    assert (saved["social_image"], saved["social_image_alt_for"]) == (new_image.pk, new_image.pk)
    assert mode == "wal"
