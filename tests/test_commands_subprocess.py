"""Every management command as a user runs it: a real ``manage.py`` process, good and bad arguments.

``call_command`` skips the system checks and Django's command-line error handling, so a command
that crashes on every real call (a method shadowing ``BaseCommand.check``) or prints a traceback
for a typo passed its tests. Here each command runs in its own process on a copy of the test
database; bad arguments must print one line on stderr and exit non-zero.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from tests.meta_parsing import parse_head
from tests.workers import ROOT, worker_env
from wagtail_smo.models import SocialPost

pytestmark = pytest.mark.django_db(transaction=True)

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
#: Bad arguments need no database: settings without one that works prove it is not touched.
NO_DATABASE = {"DJANGO_SETTINGS_MODULE": "tests.settings", "PATH": "/usr/bin:/bin"}


def manage(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """``manage.py ARGS`` in its own process."""
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env or NO_DATABASE,
                          capture_output=True, text=True, timeout=300)


def one_line_error(result: subprocess.CompletedProcess, status: int, words: str) -> None:
    """The process failed with ``status`` and one line on stderr that contains ``words``."""
    assert result.returncode == status, (result.returncode, result.stderr[-2000:])
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0], result.stderr[-2000:]
    assert "Traceback" not in result.stderr


@pytest.fixture
def on_disk(demo_content, tmp_path) -> dict:
    """Environment for a command process: a copy on disk of this test's database (demo content).

    The tests are transactional: SQLite's backup waits for a write transaction left open to end,
    and in a plain django_db test the test's own one never does.
    """
    if connection.vendor != "sqlite":
        pytest.skip("copies the in-memory SQLite test database")
    # Publishing the demo made drafts for every channel; the schedule import wants none open.
    SocialPost.objects.all().delete()
    copy = tmp_path / "db.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(copy)
    connection.connection.backup(target)
    target.close()
    env = worker_env(IMMEDIATE)
    env["SMO_TEST_DATABASE"] = json.dumps({"ENGINE": "django.db.backends.sqlite3",
                                           "NAME": str(copy)})
    # The same media files (the demo's images and card logo) as the copied database names.
    env["SMO_TEST_MEDIA_ROOT"] = str(settings.MEDIA_ROOT)
    return env


# --- smo_audit --------------------------------------------------------------------------------


def test_smo_audit(on_disk):
    result = manage("smo_audit", "--format", "json", "--no-progress", env=on_disk)
    assert result.returncode == 0, result.stderr[-2000:]
    rows = json.loads(result.stdout)
    assert any(row["code"] for row in rows)  # the demo has pages with problems on purpose
    one_line_error(manage("smo_audit", "--fail-on", "catastrophe", env=on_disk), 2, "catastrophe")
    one_line_error(manage("smo_audit", "--bogus-option"), 2, "unrecognized arguments")


# --- smo_check_providers ---------------------------------------------------------------------


def test_smo_check_providers(on_disk):
    result = manage("smo_check_providers", env=on_disk)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "x-demo" in result.stdout and "FAILING" not in result.stdout
    one_line_error(manage("smo_check_providers", "nowhere", env=on_disk), 2, "nowhere")


# --- smo_deliver_due -------------------------------------------------------------------------


def test_smo_deliver_due(on_disk):
    result = manage("smo_deliver_due", env=on_disk)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "Nothing due."
    one_line_error(manage("smo_deliver_due", "--limit", "many"), 2, "invalid int value: 'many'")


# --- smo_flush_clicks ------------------------------------------------------------------------


def test_smo_flush_clicks(on_disk, tmp_path):
    """Counts a web process left in Redis reach the database when the command runs."""
    from django.core.cache.backends.redis import RedisCache
    from wagtail.models import Page

    from tests.redis_clicks import LOCATION, clicks_caches, redis_prefix
    from wagtail_smo.analytics.buffer import CacheBuffer

    page = Page.objects.get(slug="social-cards-explained")
    with redis_prefix() as prefix:
        env = {**on_disk, "SMO_TEST_CACHES": json.dumps(clicks_caches(prefix)),
               "SMO_TEST_WAGTAIL_SMO": json.dumps({"CLICKS": {"CACHE": "clicks"}})}
        buffer = CacheBuffer(RedisCache(LOCATION, {"KEY_PREFIX": prefix}), 60)
        for _ in range(3):
            buffer.add((page.pk, "", "x", "2026-12-05"))
        result = manage("smo_flush_clicks", env=env)  # the current period is left open
        assert result.returncode == 0, result.stderr[-2000:]
        assert result.stdout.strip() == "0 click count rows written."
        result = manage("smo_flush_clicks", "--all", env=env)
        assert result.returncode == 0, result.stderr[-2000:]
        assert result.stdout.strip() == "1 click count rows written."
    database = sqlite3.connect(json.loads(on_disk["SMO_TEST_DATABASE"])["NAME"])
    written = database.execute("SELECT page_id, post_id, network, day, count "
                               "FROM wagtail_smo_clickcount").fetchall()
    database.close()
    assert written == [(page.pk, None, "x", "2026-12-05", 3)]
    one_line_error(manage("smo_flush_clicks", "--every", "1"), 2, "unrecognized arguments")
    down = {**env, "SMO_TEST_CACHES": json.dumps(clicks_caches("down", "redis://127.0.0.1:1/0"))}
    one_line_error(manage("smo_flush_clicks", env=down), 1, "could not be flushed")


# --- smo_export ------------------------------------------------------------------------------


def test_smo_export(on_disk):
    result = manage("smo_export", "--format", "csv", env=on_disk)
    assert result.returncode == 0, result.stderr[-2000:]
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert "/blog/social-cards-explained/" in {urlpath(row).split("?")[0] for row in rows}
    one_line_error(manage("smo_export", "--format", "buffer", "--start", "2001-01-01 09:00",
                          env=on_disk), 2, "--start '2001-01-01 09:00' is in the past")
    one_line_error(manage("smo_export", "--every", "often"), 2, "invalid int value: 'often'")


def urlpath(row: dict) -> str:
    """The path of an export row's URL."""
    url = row.get("url") or row.get("link") or ""
    return "/" + url.split("/", 3)[3] if url.count("/") >= 3 else url


def test_smo_export_into_a_closed_pipe_ends_quietly(on_disk):
    # `smo_export | head` with head already gone: the reader's end is closed before the command
    # writes a byte, so its first write meets a closed pipe (not only when the output is large).
    process = subprocess.Popen([sys.executable, "manage.py", "smo_export", "--format", "json"],
                               cwd=ROOT, env=on_disk, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    process.stdout.close()
    stderr = process.stderr.read().decode()
    process.stderr.close()
    assert process.wait(timeout=300) == 141  # as a process ended by SIGPIPE, in a shell
    assert stderr == ""


def test_smo_export_piped_into_head_in_a_shell(on_disk):
    result = subprocess.run(
        f"set -o pipefail; {sys.executable} manage.py smo_export --format rss | head -c 20",
        shell=True, executable="/bin/bash", cwd=ROOT, env=on_disk, capture_output=True,
        text=True, timeout=300,
    )
    assert result.stdout.startswith("<?xml")
    assert result.stderr == "" and result.returncode in (0, 141)


# --- smo_generate_images ---------------------------------------------------------------------


def test_smo_generate_images(on_disk):
    result = manage("smo_generate_images", "--no-progress", env=on_disk)
    assert result.returncode == 0, result.stderr[-2000:]
    assert re.search(r"\d+ card\(s\) \w+ for \d+ of \d+ page\(s\)\.", result.stdout), result.stdout
    one_line_error(manage("smo_generate_images", "--clean", "--section", "/blog/", env=on_disk),
                   2, "--clean needs every site")
    one_line_error(manage("smo_generate_images", "--everything"), 2, "unrecognized arguments")


# --- smo_import_schedule ---------------------------------------------------------------------


def test_smo_import_schedule(on_disk, tmp_path):
    from example_site.blog.models import BlogPage

    link = BlogPage.objects.get(slug="hashtags-and-reach").full_url
    soon = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%d %H:%M")
    good = tmp_path / "good.csv"
    good.write_text(f"channel,datetime,text,link\nx-demo,{soon},Hello,{link}\n", encoding="utf-8")
    result = manage("smo_import_schedule", str(good), "--dry-run", env=on_disk)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "1 row(s) are valid" in result.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text(f"channel,datetime,text,link\nx-demo,2026-13-45 10:00,Hello,{link}\n",
                   encoding="utf-8")
    result = manage("smo_import_schedule", str(bad), env=on_disk)
    # One line per bad row, then the summary; no traceback.
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "row 2: bad date-time '2026-13-45 10:00' (use YYYY-MM-DD HH:MM)",
        f"CommandError: 1 problem(s) in {bad}: nothing was imported.",
    ]
    one_line_error(manage("smo_import_schedule", str(tmp_path / "missing.csv"), env=on_disk), 2,
                   "Cannot read")
    one_line_error(manage("smo_import_schedule", str(good), "--format", "xlsx"), 2,
                   "invalid choice: 'xlsx'")


# --- smo_render_meta -------------------------------------------------------------------------


def test_smo_render_meta(on_disk):
    result = manage("smo_render_meta", "/blog/social-cards-explained/", env=on_disk)
    assert result.returncode == 0, result.stderr[-2000:]
    head = parse_head(f"<html><head>{result.stdout}</head></html>")
    assert head.one("og:url").endswith("/blog/social-cards-explained/")
    one_line_error(manage("smo_render_meta", "/blog/", "--format", "yaml"), 2,
                   "invalid choice: 'yaml'")
    one_line_error(manage("smo_render_meta", "/no/such/page/", env=on_disk), 2, "/no/such/page/")


# --- the example site's load_demo_content ----------------------------------------------------


def test_load_demo_content(on_disk):
    result = manage("load_demo_content", env=on_disk)  # again: nothing is duplicated
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Demo content ready: 14 pages on http://127.0.0.1:8000" in result.stdout
    one_line_error(manage("load_demo_content", "--port", "eighty"), 2,
                   "invalid int value: 'eighty'")


def test_every_command_has_a_test_here():
    commands = {path.stem for folder in (ROOT / "wagtail_smo", ROOT / "example_site")
                for path in Path(folder).glob("**/management/commands/*.py")
                if not path.stem.startswith("_")}
    source = Path(__file__).read_text(encoding="utf-8")
    assert commands and all(f"def test_{name}(" in source for name in commands), commands
