"""The example site as a new user meets it: its pages, its documentation list, its settings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent


def title_of(client, path: str) -> str:
    """The text of the <title> of the page at ``path``."""
    response = client.get(path)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").title.get_text()


@pytest.mark.django_db
def test_the_home_page_title_names_the_site_once(client, demo_content):
    assert title_of(client, "/") == "SMO Demo"
    assert title_of(client, "/blog/hashtags-and-reach/") == "Hashtags and reach · SMO Demo"


def test_readme_lists_every_document():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    linked = set(re.findall(r"\]\((docs/[^)#]+\.md)\)", readme))
    assert linked == {f"docs/{path.name}" for path in (ROOT / "docs").glob("*.md")}


def test_sqlite_options_of_the_example_site(tmp_path, django_db_blocker):
    from django.db.backends.sqlite3.base import DatabaseWrapper

    from example_site.settings import SQLITE_OPTIONS

    wrapper = DatabaseWrapper({
        "ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "db.sqlite3"),
        "OPTIONS": SQLITE_OPTIONS, "TIME_ZONE": None, "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False, "AUTOCOMMIT": True, "ATOMIC_REQUESTS": False, "TEST": {},
        "USER": "", "PASSWORD": "", "HOST": "", "PORT": "",
    }, alias="sqlite_options_test")
    with django_db_blocker.unblock():
        try:
            with wrapper.cursor() as cursor:
                assert cursor.execute("PRAGMA journal_mode").fetchone() == ("wal",)
                assert cursor.execute("PRAGMA busy_timeout").fetchone() == (20_000,)
                assert cursor.execute("PRAGMA synchronous").fetchone() == (1,)  # NORMAL
            assert wrapper.transaction_mode == "IMMEDIATE"
        finally:
            wrapper.close()
