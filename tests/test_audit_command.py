"""``manage.py smo_audit``: formats, scopes, exit codes and bad input, on the demo site."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Page

from example_site.blog.models import BlogIndexPage, BlogPage
from tests.test_audit_checks import break_resolver

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str, int]:
    """Run smo_audit in-process: (stdout, stderr, exit code)."""
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("smo_audit", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        code = exc.code
    return out.getvalue(), err.getvalue(), code


def live_pages_under(root) -> set[int]:
    return set(Page.objects.descendant_of(root, inclusive=True).live().values_list("pk", flat=True))


def test_json_lists_findings_of_the_demo(demo_content):
    out, err, code = run("--format", "json")
    rows = json.loads(out)
    assert code == 0
    codes = {(row["page_id"], row["code"]) for row in rows}
    long_title = BlogPage.objects.get(slug="very-long-title")
    small = BlogPage.objects.get(slug="quotes-and-brackets")
    assert (long_title.pk, "title-too-long") in codes
    assert (small.pk, "image-too-small") in codes
    assert set(rows[0]) == {"level", "code", "page_id", "page_title", "url", "message", "fix",
                            "edit_url"}
    assert all(row["level"] in ("error", "warning", "info") for row in rows)
    assert all(row["fix"] for row in rows)
    assert f"/admin/pages/{long_title.pk}/edit/" in next(
        r["edit_url"] for r in rows if r["page_id"] == long_title.pk)
    assert "page(s) audited" in err  # the summary goes to stderr, not into the JSON


def test_site_wide_problem_is_reported_once(demo_content):
    # The demo site lives on localhost: every page shares that problem, one row says it.
    rows = json.loads(run("--format", "json")[0])
    assert [r["code"] for r in rows].count("site-root-url") == 1


def test_csv_has_a_header_and_the_same_rows_as_json(demo_content):
    rows_json = json.loads(run("--format", "json")[0])
    out, _err, code = run("--format", "csv")
    rows_csv = list(csv.DictReader(io.StringIO(out)))
    assert code == 0
    assert [(int(r["page_id"]), r["code"], r["message"]) for r in rows_csv] == [
        (r["page_id"], r["code"], r["message"]) for r in rows_json]


def test_table_is_readable_and_ends_with_a_summary(demo_content):
    rows = json.loads(run("--format", "json")[0])
    out, _err, code = run()
    lines = out.splitlines()
    assert code == 0
    pages = Page.objects.filter(depth__gt=1).live().count()
    assert lines[-1].startswith(f"{pages} page(s) audited")
    errors = sum(r["level"] == "error" for r in rows)
    assert f"{errors} error(s)" in lines[-1]
    long_title = BlogPage.objects.get(slug="very-long-title")
    assert any(line.startswith("WARNING") and "title-too-long" in line
               and f"#{long_title.pk}" in line for line in lines)
    assert sum(line.strip().startswith("Fix: ") for line in lines) == len(rows)


def test_section_by_path_and_by_id(demo_content):
    blog = BlogIndexPage.objects.get(slug="blog")
    expected = live_pages_under(blog)
    by_path = {r["page_id"] for r in json.loads(run("--format", "json", "--section", "/blog/")[0])}
    by_id = {r["page_id"] for r in json.loads(run("--format", "json", "--section", str(blog.pk))[0])}
    assert by_path and by_path <= expected
    assert by_path == by_id
    _out, err, _code = run("--format", "json", "--section", "/blog/")
    assert err.startswith(f"{len(expected)} page(s) audited")


def test_site_option(demo_content):
    _out, err, code = run("--format", "json", "--site", "localhost")
    assert code == 0
    pages = live_pages_under(demo_content.root_page)
    assert err.startswith(f"{len(pages)} page(s) audited")
    _out, err2, _ = run("--format", "json", "--site", f"localhost:{demo_content.port}")
    assert err2 == err
    _out, err3, _ = run("--format", "json", "--site", str(demo_content.pk))
    assert err3 == err
    _out, err4, _ = run("--format", "json", "--site", "LOCALHOST")  # host names ignore case
    assert err4 == err


def test_a_host_name_shared_by_two_sites_needs_its_port(demo_content):
    from wagtail.models import Site

    Site.objects.create(hostname="localhost", port=demo_content.port + 1,
                        root_page=demo_content.root_page)
    with pytest.raises(CommandError) as excinfo:
        call_command("smo_audit", "--site", "localhost", stdout=io.StringIO())
    assert excinfo.value.returncode == 2
    assert str(excinfo.value).startswith("Ambiguous --site 'localhost': known sites are ")
    assert f"localhost:{demo_content.port + 1}" in str(excinfo.value)
    _out, err, code = run("--format", "json", "--site", f"localhost:{demo_content.port}")
    assert code == 0 and err.startswith(f"{len(live_pages_under(demo_content.root_page))} page")


def test_fail_on_exit_codes(demo_content):
    rows = json.loads(run("--format", "json")[0])
    levels = {r["level"] for r in rows}
    assert "warning" in levels
    assert run("--fail-on", "warning")[2] == 1
    assert run("--fail-on", "error")[2] == (1 if "error" in levels else 0)
    # Fix every error-level problem of one section, then --fail-on error passes there.
    demo_content.hostname, demo_content.port = "www.example.org", 443
    demo_content.save()
    out, _err, code = run("--format", "json", "--section", "/news/", "--fail-on", "error")
    assert all(r["level"] != "error" for r in json.loads(out)) and code == 0


def test_clean_section_exits_zero_even_with_fail_on_warning(demo_content):
    demo_content.hostname, demo_content.port = "www.example.org", 443
    demo_content.save()
    blog = BlogIndexPage.objects.get(slug="blog")
    clean = BlogPage(slug="clean", title="A clean post", social_title="A clean post, well titled",
                     social_description="A description of just the right length for every card.",
                     social_image=BlogPage.objects.get(slug="social-cards-explained").social_image,
                     social_image_alt="A harbour at dawn")
    blog.add_child(instance=clean)
    clean.save_revision().publish()
    out, _err, code = run("--format", "json", "--section", str(clean.pk), "--fail-on", "warning")
    assert json.loads(out) == [] and code == 0


@pytest.mark.parametrize("args, message", [
    (["--format", "xml"], "Unknown --format 'xml'"),
    (["--section", "/no/such/section/"], "Unknown --section '/no/such/section/'"),
    (["--section", "999999"], "Unknown --section '999999'"),
    (["--site", "nowhere.example"], "Unknown --site 'nowhere.example'"),
    (["--fail-on", "info"], "Unknown --fail-on 'info'"),
])
def test_bad_input_is_a_one_line_error_with_exit_code_2(demo_content, args, message):
    with pytest.raises(CommandError) as excinfo:
        call_command("smo_audit", *args, stdout=io.StringIO())
    assert excinfo.value.returncode == 2
    assert str(excinfo.value).startswith(message)
    assert "\n" not in str(excinfo.value)


def test_bad_format_exit_code_from_the_command_line(tmp_path):
    # A real process: manage.py prints one line on stderr and exits 2, before touching the DB.
    result = subprocess.run(
        [sys.executable, "manage.py", "smo_audit", "--format", "yaml"],
        capture_output=True, text=True, env={"SMO_VAR_DIR": str(tmp_path), "PATH": ""},
        cwd=str(__import__("pathlib").Path(__file__).resolve().parent.parent),
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "CommandError: Unknown --format 'yaml': choose from table, csv, json."]


def test_a_page_whose_resolver_raises_is_an_error_row_and_the_audit_goes_on(
        demo_content, monkeypatch):
    broken = BlogPage.objects.get(slug="hashtags-and-reach")
    break_resolver(monkeypatch, BlogPage, only_pk=broken.pk, message="this page is broken")
    out, err, code = run("--format", "json")
    rows = json.loads(out)
    failed = [r for r in rows if r["code"] == "resolver-failed"]
    assert [(r["page_id"], r["level"]) for r in failed] == [(broken.pk, "error")]
    assert "this page is broken" in failed[0]["message"]
    long_title = BlogPage.objects.get(slug="very-long-title")
    assert any(r["page_id"] == long_title.pk for r in rows)  # later pages were still audited
    assert run("--fail-on", "error")[2] == 1


def test_queries_grow_linearly_with_pages(demo_content, django_assert_max_num_queries):
    """Streaming: each page costs a bounded number of queries, none load the whole tree."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    blog = BlogIndexPage.objects.get(slug="blog")

    created = []

    def queries_for(count_new: int) -> int:
        for _ in range(count_new):
            created.append(len(created))
            page = BlogPage(slug=f"bulk-{created[-1]}", title=f"Bulk {created[-1]}",
                            intro="An intro long enough to be a good description of the page.")
            blog.add_child(instance=page)
            page.save_revision().publish()
        with CaptureQueriesContext(connection) as ctx:
            run("--format", "csv", "--section", "/blog/")
        return len(ctx.captured_queries)

    totals = [queries_for(0), queries_for(10), queries_for(10), queries_for(10)]
    steps = [b - a for a, b in zip(totals, totals[1:])]
    assert max(steps) / 10 < 40  # a bounded number of queries per page
    assert steps[2] == steps[1]  # the same cost for each further page: linear, not quadratic


class FakeTerminal(io.StringIO):
    """A stream that says it is a terminal, as stderr is when a person runs the command."""

    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal(demo_content):
    pages = Page.objects.filter(depth__gt=1).live().count()
    terminal = FakeTerminal()
    call_command("smo_audit", "--format", "csv", stdout=io.StringIO(), stderr=terminal)
    bar = terminal.getvalue()
    assert re.search(rf"smo_audit: 100%.*{pages}/{pages}", bar)
    quiet = FakeTerminal()
    call_command("smo_audit", "--format", "csv", "--no-progress", stdout=io.StringIO(),
                 stderr=quiet)
    assert "100%" not in quiet.getvalue()
    _out, err, _code = run("--format", "csv")  # a plain StringIO: not a terminal
    assert "100%" not in err


def test_edit_url_without_an_admin_base_url_is_on_the_pages_site(demo_content, settings):
    # `make demo PORT=8123`: the Site records that port; the edit links must not say 8000.
    settings.WAGTAILADMIN_BASE_URL = None
    demo_content.port = 8123
    demo_content.save()
    rows = json.loads(run("--format", "json")[0])
    long_title = BlogPage.objects.get(slug="very-long-title")
    assert {r["edit_url"] for r in rows if r["page_id"] == long_title.pk} == {
        f"http://{demo_content.hostname}:8123/admin/pages/{long_title.pk}/edit/"}
