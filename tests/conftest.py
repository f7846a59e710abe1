"""Shared fixtures: demo content, the Debian Chromium browser for browser tests."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.demo_snapshot import DemoSnapshot, load_demo_content

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by fixtures in
# that thread are still synchronous, so Django's async-safety guard must be relaxed for tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

TEST_OUTPUT = Path(__file__).resolve().parent.parent / "test-output"
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(autouse=True)
def fresh_cache():
    """Cached meta and file sizes must not leak from one test's database into the next.

    Primary keys repeat from test to test, so a cached result could describe another test's page;
    for the same reason the "warn once" memory of the resolver is emptied (a warning about image
    7 in one test would otherwise silence the warning about another test's image 7).
    """
    from django.core.cache import caches

    from wagtail_smo.meta.images import _warned

    _warned.clear()
    _clear_every_cache(caches)
    yield
    # Every configured cache, not only those used in this process: a test that overrides CACHES
    # makes Django drop its cache objects, and a LocMemCache made afresh still holds the data.
    _clear_every_cache(caches)


def _clear_every_cache(caches) -> None:
    for cache in caches.all():
        try:
            cache.clear()
        except Exception:  # a cache a test configured to be down
            pass


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker):
    """The rows ``load_demo_content`` writes, recorded once per session (see DemoSnapshot).

    Session-scoped, so pytest builds it before any test's own fixtures and transaction: from
    the freshly migrated database, in a transaction rolled back afterwards, as a plain ``db``
    test would load it (its on-commit callbacks never run).
    """
    with django_db_blocker.unblock():
        return DemoSnapshot.record()


@pytest.fixture
def demo_content(db, demo_snapshot):
    """The example site's demo content, loaded into the test database.

    Equal to running ``load_demo_content`` in the test: the rows the command wrote once per
    session are restored (about 20 ms instead of 1 to 2 s). Where that cannot be the same, the
    command runs for real: in transactional tests (whose load commits, so its on-commit work
    runs) and when an earlier fixture of the test already changed one of those tables.
    """
    from django.db import connection
    from wagtail.models import Site

    if not (connection.in_atomic_block and demo_snapshot.restore()):
        load_demo_content()
    return Site.objects.get(is_default_site=True)


@pytest.fixture(scope="session", autouse=True)
def live_server_one_request_at_a_time():
    """Make pytest-django's ``live_server`` run one request at a time through Django.

    On in-memory SQLite every thread of Django's threaded live server shares the test's one
    connection: two requests at once (Wagtail's autosave beside a preview refresh) interleave
    their savepoints on it and one fails with "no such savepoint" (a 500 in a browser test, now
    and then). Connections are still accepted and read by a thread each (a single-threaded
    server hangs on the idle sockets Chromium opens in advance); only the application runs under
    a lock.
    """
    import threading

    from django.core.servers.basehttp import ThreadedWSGIServer
    from django.test.testcases import LiveServerThread

    class OneAppCallAtATime(ThreadedWSGIServer):
        def set_app(self, application):
            lock = threading.Lock()

            def locked(environ, start_response):
                # The lock covers the view, where the database is used; a streamed body (static
                # and media files) is read after it is released.
                with lock:
                    return application(environ, start_response)

            super().set_app(locked)

    threaded = LiveServerThread.server_class
    LiveServerThread.server_class = OneAppCallAtATime
    yield
    LiveServerThread.server_class = threaded


@pytest.fixture(scope="session")
def test_output_dir() -> Path:
    """Folder for screenshots and other artefacts of the test run."""
    TEST_OUTPUT.mkdir(exist_ok=True)
    return TEST_OUTPUT


@pytest.fixture(scope="session")
def chromium():
    """A headless Debian Chromium driven by Playwright (skipped, or failed in CI, if missing)."""
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if not executable:
        if os.environ.get("SMO_REQUIRE_BROWSER"):
            pytest.fail("chromium is not installed: apt-get install chromium")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs the rest of the session in another context, where Django opens
    # new connection objects: carry over the test data snapshot that serialized_rollback
    # restores, or the first transactional browser test after a plain one empties the database.
    snapshots = {
        conn.alias: conn._test_serialized_contents
        for conn in connections.all(initialized_only=True)
        if hasattr(conn, "_test_serialized_contents")
    }
    with sync_playwright() as playwright:
        for alias, snapshot in snapshots.items():
            connections[alias]._test_serialized_contents = snapshot
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium):
    """A fresh browser tab (own context: no cookies shared between tests)."""
    context = chromium.new_context()
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    """The source of axe-core (from tests/node_modules, installed by make test)."""
    path = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
    if not path.exists():
        if os.environ.get("SMO_REQUIRE_BROWSER"):
            pytest.fail("axe-core is not installed: npm ci --prefix tests")
        pytest.skip("axe-core is not installed (npm ci --prefix tests)")
    return path.read_text()


def pytest_collection_modifyitems(config, items):
    """Keep transactional tests from emptying the database for the tests after them.

    A transactional test ends by flushing every table, Wagtail's root page and collection included.
    Only ``serialized_rollback`` puts them back, and mixing tests with and without it breaks the
    restore (content types recreated by the flush collide with the snapshot). So every
    transactional test here uses it, and PostgreSQL-only tests are skipped before any set-up.
    """
    from django.conf import settings

    on_postgres = "postgresql" in settings.DATABASES["default"]["ENGINE"]
    for item in items:
        if item.get_closest_marker("postgres") and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)"))
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            kwargs = {**marker.kwargs, "serialized_rollback": True}
            item.add_marker(pytest.mark.django_db(*marker.args, **kwargs), append=False)
