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


def test_packaging_lists_every_folder_and_ships_templates_and_static(tmp_path):
    # setuptools warned "Package would be ignored" once per template and static folder (they
    # hold no __init__.py); find_namespace: lists them, package_data ships their files.
    import shutil
    import subprocess
    import sys

    tree = tmp_path / "src"
    shutil.copytree(ROOT / "wagtail_smo", tree / "wagtail_smo",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("setup.cfg", "pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, tree / name)
    result = subprocess.run([sys.executable, "-c", "from setuptools import setup; setup()",
                             "build_py"], cwd=tree, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    output = result.stdout + result.stderr
    assert "would be ignored" not in output and "as data is deprecated" not in output
    built = tree / "build" / "lib" / "wagtail_smo"
    for source in [*(ROOT / "wagtail_smo" / "templates").rglob("*.html"),
                   *(ROOT / "wagtail_smo" / "static").rglob("*.*")]:
        assert (built / source.relative_to(ROOT / "wagtail_smo")).is_file(), source


def test_the_demo_worker_logs_task_problems_not_every_task(capsys):
    # db_worker sets its loggers to INFO (from --verbosity) and adds its own stdout handler only
    # when a logger has none: the example's LOGGING gives them one that passes warnings only.
    import logging
    import logging.config

    from django_tasks_db.management.commands.db_worker import Command as DbWorker

    from example_site.settings import LOGGING

    saved = {name: (logging.getLogger(name).handlers[:], logging.getLogger(name).level,
                    logging.getLogger(name).propagate)
             for name in ("django_tasks", "django.tasks", "django_tasks_db", "wagtail_smo")}
    try:
        logging.config.dictConfig(LOGGING)
        DbWorker().configure_logging(verbosity=1)
        for name in ("django_tasks", "django.tasks", "django_tasks_db"):
            logging.getLogger(name).info("Task id=1 state=SUCCEEDED")
            logging.getLogger(name).error("Task id=2 failed unexpectedly")
        logging.getLogger("wagtail_smo.posts").info("Post 3 sent to channel x-demo")
        captured = capsys.readouterr()
        output = captured.out + captured.err
        assert "SUCCEEDED" not in output
        assert output.count("failed unexpectedly") == 3
        assert "Post 3 sent" in output  # what was sent still shows
    finally:
        for name, (handlers, level, propagate) in saved.items():
            logger = logging.getLogger(name)
            logger.handlers[:] = handlers
            logger.setLevel(level)
            logger.propagate = propagate
