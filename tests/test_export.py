"""``manage.py smo_export``: every format parsed back, filters, static files, bad input."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import feedparser
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from wagtail.models import Page

from example_site.blog.models import BlogIndexPage, BlogPage, NewsPage
from wagtail_smo.meta import resolve

ROOT = Path(__file__).resolve().parent.parent


def run(*args) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("smo_export", *args, stdout=out, stderr=err)
    return out.getvalue()


def page_id_of(guid: str) -> int:
    return int(guid.rsplit(":", 1)[1])


def newest_first(pages) -> list:
    """``pages`` newest first by the date their tags and feeds show (docs/meta.md#dates)."""
    return sorted(pages, key=lambda p: (resolve(p).published_time, p.pk), reverse=True)


def visible_blog_ids():
    return set(BlogPage.objects.live().public().values_list("pk", flat=True))




@pytest.mark.django_db
def test_csv_rows_match_the_resolver(demo_content):
    rows = list(csv.DictReader(io.StringIO(run("--format", "csv", "--no-utm"))))
    assert {int(r["page_id"]) for r in rows} == visible_blog_ids() | set(
        NewsPage.objects.live().values_list("pk", flat=True))
    for row in rows:
        meta = resolve(Page.objects.get(pk=int(row["page_id"])).specific)
        assert row["title"] == meta.title
        assert row["description"] == meta.description
        assert row["url"] == meta.url
        assert sorted(filter(None, row["tags"].split(", "))) == sorted(meta.tags)
        assert row["image_url"] == (meta.image.url if meta.image else "")
        assert row["author"] == meta.author


@pytest.mark.django_db
def test_csv_defuses_spreadsheet_formulas(demo_content):
    blog = BlogIndexPage.objects.get(slug="blog")
    page = BlogPage(slug="formula", title="=HYPERLINK(\"http://evil\")", intro="+1")
    blog.add_child(instance=page)
    page.save_revision().publish()
    rows = list(csv.DictReader(io.StringIO(run("--format", "csv"))))
    row = next(r for r in rows if int(r["page_id"]) == page.pk)
    assert row["title"] == "'" + resolve(page).title
    assert row["description"].startswith("'+1")


@pytest.mark.django_db
def test_json_records_match_the_resolver_and_carry_sources(demo_content):
    records = json.loads(run("--format", "json", "--section", "/blog/"))
    assert {r["page_id"] for r in records} == visible_blog_ids()
    for record in records:
        meta = resolve(Page.objects.get(pk=record["page_id"]).specific)
        assert record["title"] == meta.title
        assert sorted(record["tags"]) == sorted(meta.tags)
        assert record["sources"] == {
            name: {"kind": source.kind, "field": source.field, "detail": source.detail,
                   "page_id": source.page_id}
            for name, source in meta.sources.items()
        }
        assert record["url"].startswith(meta.url)
        assert "utm_medium=export" in record["url"]  # exports tag links by default


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_feed_formats_parse(demo_content, fmt):
    parsed = feedparser.parse(run("--format", fmt, "--section", "/news/"))
    assert parsed.bozo == 0
    assert {page_id_of(e.id) for e in parsed.entries} == set(
        NewsPage.objects.live().values_list("pk", flat=True))
    for entry in parsed.entries:
        assert entry.title == resolve(Page.objects.get(pk=page_id_of(entry.id)).specific).title


@pytest.mark.django_db
def test_jsonfeed_format(demo_content):
    feed = json.loads(run("--format", "jsonfeed", "--limit", "0"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert len(feed["items"]) == len(visible_blog_ids()) + NewsPage.objects.live().count()


@pytest.mark.django_db
def test_hootsuite_rows(demo_content):
    start = "2030-01-02 09:00"
    text = run("--format", "hootsuite", "--section", "/blog/", "--start", start, "--every", "30")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == len(visible_blog_ids())
    assert rows[0][0] == "01/02/2030 09:00" and rows[1][0] == "01/02/2030 09:30"
    for date, message, link in rows:
        assert "utm_source=x" in link
        assert link in message
    first = newest_first(BlogPage.objects.live())[0]
    assert resolve(first.specific).title in rows[0][1] or rows[0][1].startswith(
        resolve(first.specific).title[:20])


@pytest.mark.django_db
def test_postcron_rows(demo_content):
    text = run("--format", "postcron", "--section", "/blog/", "--start", "2030-03-04 17:05")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Message", "Year", "Month", "Day", "Hour", "Minute", "Image URL", "Link"]
    assert len(rows[0]) == 8 and all(len(r) == 8 for r in rows)
    body = rows[1:]
    assert len(body) == len(visible_blog_ids())
    assert body[0][1:6] == ["2030", "3", "4", "17", "5"]
    assert body[1][1:6] == ["2030", "3", "4", "18", "5"]
    pages = newest_first(BlogPage.objects.live())
    for row, page in zip(body, pages, strict=True):
        meta = resolve(page.specific)
        assert row[7] and row[7] in row[0] and row[7].startswith(meta.url)
        assert row[6] == (meta.image.url if meta.image else "")


@pytest.mark.django_db
def test_buffer_rows(demo_content):
    text = run("--format", "buffer", "--section", "/news/", "--network", "mastodon", "--no-utm")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == NewsPage.objects.live().count()
    for row in rows:
        assert set(row) == {"Text", "Image URL", "Tags", "Posting Time"}
        assert "utm_" not in row["Text"]
        assert timezone.datetime.strptime(row["Posting Time"], "%Y-%m-%d %H:%M")


@pytest.mark.django_db
def test_filters(demo_content):
    all_ids = {r["page_id"] for r in json.loads(run("--format", "json"))}
    blog_ids = {r["page_id"] for r in json.loads(run("--format", "json", "--section", "/blog/"))}
    assert blog_ids == visible_blog_ids() and blog_ids < all_ids
    blog = BlogIndexPage.objects.get(slug="blog")
    by_id = {r["page_id"] for r in json.loads(run("--format", "json", "--section", str(blog.pk)))}
    assert by_id == blog_ids
    news = {r["page_id"] for r in json.loads(run("--format", "json", "--type", "blog.NewsPage"))}
    assert news == set(NewsPage.objects.live().values_list("pk", flat=True))
    assert len(json.loads(run("--format", "json", "--limit", "2"))) == 2
    # Dates (the page's date, docs/meta.md#dates): move one post back in time, select around it.
    old = BlogPage.objects.get(slug="hashtags-and-reach")
    earliest = min(resolve(p.specific).published_time for p in Page.objects.filter(pk__in=all_ids))
    moved = (earliest - timedelta(days=400)).date()
    BlogPage.objects.filter(pk=old.pk).update(date=moved)
    until = {r["page_id"] for r in json.loads(run("--format", "json", "--until",
                                                  moved.isoformat()))}
    since = {r["page_id"] for r in json.loads(
        run("--format", "json", "--since", (moved + timedelta(days=1)).isoformat()))}
    assert until == {old.pk}
    assert old.pk not in since and since == all_ids - {old.pk}
    # A page without a date field of its own counts from its first publication.
    Page.objects.filter(pk=old.pk).update(first_published_at=timezone.now() - timedelta(days=800))
    BlogPage.objects.filter(pk=old.pk).update(date=None)
    assert {r["page_id"] for r in json.loads(run("--format", "json", "--until",
                                                 moved.isoformat()))} == {old.pk}
    assert json.loads(run("--format", "json", "--locale", "en"))
    assert len(json.loads(run("--format", "json", "--site", "localhost"))) == len(all_ids)
    # The same --site values as smo_audit: id, hostname in any case, hostname:port.
    for site in (str(demo_content.pk), "LOCALHOST", f"localhost:{demo_content.port}"):
        assert len(json.loads(run("--format", "json", "--site", site))) == len(all_ids)


@pytest.mark.django_db
@pytest.mark.parametrize("section,fmt,filename", [
    ("/blog/", "rss", "blog/rss.xml"),
    ("/blog/", "atom", "blog/atom.xml"),
    ("/news/", "jsonfeed", "news/feed.json"),
    (None, "rss", "rss.xml"),
])
def test_static_file_equals_the_live_feed(client, demo_content, tmp_path, section, fmt, filename):
    output = tmp_path / "public" / "feed"
    output.parent.mkdir()
    args = ["--format", fmt, "--output", str(output)] + (["--section", section] if section else [])
    run(*args)
    live = client.get(f"/smo/feeds/{filename}")
    assert live.status_code == 200
    assert output.read_bytes() == live.content
    assert not [p for p in output.parent.iterdir() if p.name != "feed"], "no temporary file left"


@pytest.mark.django_db
@pytest.mark.parametrize("args,message", [
    (["--format", "xls"], "unknown format"),
    (["--since", "yesterday"], "bad date"),
    (["--until", "2024-13-45"], "bad date"),
    (["--section", "/no-such-section/"], "unknown section"),
    (["--section", "/blog/social-cards-explained/"], "not a section"),
    (["--site", "nowhere.example"], "unknown site"),
    (["--site", "localhost:http"], "unknown site"),
    (["--type", "blog.Nothing"], "unknown page type"),
    (["--locale", "xx"], "unknown locale"),
])
def test_bad_input_exits_2_without_output(demo_content, tmp_path, args, message):
    output = tmp_path / "out.csv"
    with pytest.raises(CommandError) as error:
        run(*args, "--output", str(output))
    assert error.value.returncode == 2
    assert message in str(error.value) and "\n" not in str(error.value)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.django_db
def test_a_host_name_shared_by_two_sites_needs_its_port(demo_content):
    from wagtail.models import Site

    Site.objects.create(hostname="localhost", port=demo_content.port + 1,
                        root_page=demo_content.root_page)
    with pytest.raises(CommandError) as error:
        run("--site", "localhost")
    assert error.value.returncode == 2
    assert str(error.value).startswith("ambiguous site 'localhost': known sites are ")
    assert run("--format", "json", "--site", f"localhost:{demo_content.port}")


@pytest.mark.django_db
def test_unwritable_output_exits_2(demo_content, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    for target in (blocker / "out.csv", tmp_path / "missing" / "out.csv", tmp_path):
        with pytest.raises(CommandError) as error:
            run("--output", str(target))
        assert error.value.returncode == 2 and "cannot write" in str(error.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


@pytest.mark.django_db
def test_a_failure_midway_leaves_the_old_file_untouched(demo_content, tmp_path, monkeypatch):
    from wagtail_smo.export import writers

    output = tmp_path / "out.csv"
    output.write_text("previous export\n")

    def broken(item, options):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(writers, "item_record", broken)
    with pytest.raises(RuntimeError):
        run("--format", "csv", "--output", str(output))
    assert output.read_text() == "previous export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_real_exit_status_and_one_line_error(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "smo_export", "--format", "pdf", "--output",
         str(tmp_path / "x")],
        cwd=ROOT, capture_output=True, text=True,
        env={"DJANGO_SETTINGS_MODULE": "tests.settings", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "unknown format" in result.stderr
    assert not (tmp_path / "x").exists()


@pytest.mark.django_db
def test_hootsuite_stops_at_350_rows_with_a_warning(demo_content):
    from itertools import repeat

    from wagtail.models import Site

    from wagtail_smo.export.writers import ExportOptions, Schedule, write_hootsuite
    from wagtail_smo.feeds.items import iter_items
    from wagtail_smo.feeds.pages import item_pages

    item = next(iter_items(item_pages(Site.objects.get(is_default_site=True))))
    warnings, out = [], io.StringIO()
    options = ExportOptions(utm=False, schedule=Schedule(timezone.now(), timedelta(minutes=5)),
                            warn=warnings.append)
    assert write_hootsuite(repeat(item, 351), out, options) == 350
    assert len(list(csv.reader(io.StringIO(out.getvalue())))) == 350
    assert len(warnings) == 1 and "350" in warnings[0]


@pytest.mark.django_db
def test_progress_bar_only_on_a_terminal(demo_content, tmp_path, capsys, monkeypatch):
    run("--format", "csv", "--output", str(tmp_path / "a.csv"))
    assert "page/s" not in capsys.readouterr().err
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    run("--format", "csv", "--output", str(tmp_path / "b.csv"))
    err = capsys.readouterr().err
    total = len(visible_blog_ids()) + NewsPage.objects.live().count()
    assert f"{total}/{total}" in err
