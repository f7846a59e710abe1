"""The package installs, its migrations are complete, and the demo loads idempotently."""

from io import StringIO

import pytest
from django.core.management import call_command
from wagtail.images import get_image_model
from wagtail.models import Page


@pytest.mark.django_db
def test_migrations_are_complete():
    out = StringIO()
    # Exits non-zero (SystemExit) when a model change has no migration.
    call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)


@pytest.mark.django_db
def test_demo_content_twice_creates_no_duplicates():
    call_command("load_demo_content", hostname="localhost", port=80, stdout=StringIO())
    pages = sorted(Page.objects.values_list("url_path", flat=True))
    images = get_image_model().objects.count()
    call_command("load_demo_content", hostname="localhost", port=80, stdout=StringIO())
    assert sorted(Page.objects.values_list("url_path", flat=True)) == pages
    assert get_image_model().objects.count() == images
    assert len(pages) >= 13  # the root plus at least 12 demo pages
    assert len(set(pages)) == len(pages)


@pytest.mark.django_db
def test_demo_content_covers_the_tricky_cases(demo_content):
    from example_site.blog.models import BlogPage, NewsPage

    titles = [p.title for p in BlogPage.objects.all()] + [p.title for p in NewsPage.objects.all()]
    assert any(any("\u0400" <= ch <= "\u04ff" for ch in t) for t in titles), "a Cyrillic title"
    assert any(all(c in t for c in "\"&<>") for t in titles), "a title with quotes, & and <>"
    assert max(len(t) for t in titles) > 120, "a very long title"
    body_only = BlogPage.objects.get(slug="only-a-body-image")
    assert body_only.main_image is None and body_only.social_image is None
    assert any(block.block_type == "image" for block in body_only.body)


@pytest.mark.django_db
def test_demo_pages_render(client, demo_content):
    for path in ["/", "/blog/", "/news/", "/blog/social-cards-explained/", "/news/demo-launched/",
                 "/blog/kak-sdelat-kartochki/", "/blog/quotes-and-brackets/"]:
        response = client.get(path)
        assert response.status_code == 200, path


@pytest.mark.django_db
def test_admin_login_works(client, demo_content):
    call_command("load_demo_content", create_admin=True, hostname="localhost", port=80,
                 stdout=StringIO())
    assert client.login(username="admin", password="changeme")
    assert client.get("/admin/").status_code == 200


def test_migrate_on_a_fresh_database_passes_its_checks(tmp_path):
    """`make demo` migrates an empty database: no system check may query a table not yet made."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    env = {**__import__("os").environ, "SMO_VAR_DIR": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "example_site.settings"}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=root, env=env, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "db.sqlite3").exists()
