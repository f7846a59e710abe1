"""Benchmark: ``smo_export`` (CSV and RSS) beside ``manage.py dumpdata wagtailcore.page``.

A fourth row, "ORM load only", is the floor of any export through the ORM: it instantiates the
section's specific pages (``.specific().iterator()``) and does nothing else.

Pages are generated in bulk (treebeard paths computed here, rows inserted with bulk_create and
one executemany per concrete table) in a throw-away SQLite database. For each size, every command
runs in its own process on the same pages, and the script prints pages per second, peak memory
(max RSS of that process) and the ratio to dumpdata.

    python benchmarks/export.py              # default sizes: 500 / 1,000 / 2,000 pages
    SMO_BENCH_FULL=1 python benchmarks/export.py   # the full 10,000 / 50,000 / 100,000
    python benchmarks/export.py --sizes 1000,3000  # any sizes
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SIZES = [500, 1_000, 2_000]
FULL_SIZES = [10_000, 50_000, 100_000]
COMMANDS = {
    "smo_export csv": ["smo_export", "--format", "csv", "--section", "/bench/", "--limit", "0"],
    "smo_export rss": ["smo_export", "--format", "rss", "--section", "/bench/", "--limit", "0"],
    "dumpdata": ["dumpdata", "wagtailcore.page"],
    # The floor: only loading the section's specific pages with the ORM, no resolving, no output.
    # What an export costs above this row is the resolver and the writers.
    "ORM load only": ["orm"],
}


def setup_django(var_dir: str) -> None:
    os.environ["SMO_VAR_DIR"] = var_dir
    os.environ["DJANGO_DEBUG"] = "0"  # DEBUG would keep every query in memory
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "example_site.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def child(var_dir: str, name: str, output: str) -> None:
    """Run one command in this process and print its time and peak memory as JSON."""
    setup_django(var_dir)
    from django.core.management import call_command

    args = COMMANDS[name]
    before = resource.getrusage(resource.RUSAGE_SELF)
    baseline_kb = peak_rss_kb()  # Django loaded, no work done yet
    started = time.perf_counter()
    if args[0] == "dumpdata":
        call_command(*args, output=output, verbosity=0)
    elif args[0] == "orm":
        load_specific_pages(output)
    else:
        call_command(*args, "--output", output, stderr=open(os.devnull, "w"))
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    # CPU seconds as well as wall time: the machine may be shared, CPU time is steadier.
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    peak_kb = peak_rss_kb()
    print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mb": peak_kb / 1024,
                      "growth_mb": (peak_kb - baseline_kb) / 1024}))


def peak_rss_kb() -> int:
    """Peak RSS of this process's own memory, in KiB.

    Not ``ru_maxrss``: Linux carries it over ``execve``, so a child started by this script would
    report the parent's peak (the Python process that created 100,000 pages) instead of its own.
    ``VmHWM`` belongs to the memory map the child got at exec.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def load_specific_pages(output: str) -> None:
    """Instantiate every live page of the bench section as its specific class; write the count."""
    from wagtail.models import Page

    section = Page.objects.get(slug="bench", depth=3)
    pages = Page.objects.descendant_of(section).live().specific().iterator(chunk_size=200)
    count = sum(1 for _page in pages)
    Path(output).write_text(f"{count}\n")


def create_pages(total: int) -> None:
    """Grow the bench section to ``total`` BlogPage rows (bulk inserts, no signals)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone
    from wagtail.models import Locale, Page

    from example_site.blog.models import BlogIndexPage, BlogPage

    home = Page.objects.get(depth=2, slug="home")
    section = BlogIndexPage.objects.filter(slug="bench").first()
    if section is None:
        section = home.add_child(instance=BlogIndexPage(title="Bench", slug="bench", intro="Bench"))
        section.save_revision().publish()
        section.refresh_from_db()
    existing = section.numchild
    content_type = ContentType.objects.get_for_model(BlogPage)
    locale = Locale.get_default()
    now = timezone.now()
    child_fields = [f for f in BlogPage._meta.local_concrete_fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in child_fields)
    marks = ", ".join(["%s"] * len(child_fields))
    insert = f"INSERT INTO {BlogPage._meta.db_table} ({columns}) VALUES ({marks})"
    batch = 5_000
    with transaction.atomic():
        for start in range(existing, total, batch):
            numbers = range(start, min(start + batch, total))
            rows = [
                Page(
                    title=f"Bench post {n}", draft_title=f"Bench post {n}", slug=f"post-{n}",
                    content_type=content_type, locale=locale,
                    path=Page._get_path(section.path, section.depth + 1, n + 1),
                    depth=section.depth + 1, numchild=0,
                    url_path=f"{section.url_path}post-{n}/", live=True,
                    first_published_at=now, last_published_at=now,
                )
                for n in numbers
            ]
            Page.objects.bulk_create(rows)
            values = []
            for page in rows:
                post = BlogPage(
                    page_ptr_id=page.pk, intro=f"Intro of bench post {page.pk}.",
                    author="Bench Author", body="[]",
                )
                values.append([
                    f.get_db_prep_save(getattr(post, f.attname), connection) for f in child_fields
                ])
            with connection.cursor() as cursor:
                cursor.executemany(insert, values)
        Page.objects.filter(pk=section.pk).update(numchild=total)


def run_child(var_dir: str, name: str, output: str) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--child", name, "--var", var_dir, "--output", output],
        capture_output=True, text=True, cwd=ROOT,
    )
    if result.returncode != 0:
        raise SystemExit(f"{name} failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", help="Comma-separated page counts.")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--var", help=argparse.SUPPRESS)
    parser.add_argument("--output", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.var, args.child, args.output)
        return
    sizes = (
        [int(s) for s in args.sizes.split(",")] if args.sizes
        else FULL_SIZES if os.environ.get("SMO_BENCH_FULL") else DEFAULT_SIZES
    )
    with tempfile.TemporaryDirectory(prefix="smo-bench-export-") as var_dir:
        setup_django(var_dir)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("load_demo_content", hostname="bench.example", port=80,
                     stdout=open(os.devnull, "w"))
        print(f"Sizes: {', '.join(f'{s:,}' for s in sizes)} pages (SQLite, one process each)")
        print(f"{'pages':>8} {'command':<16} {'wall s':>7} {'CPU s':>7} {'pages/CPU s':>11} "
              f"{'peak MB':>8} {'+MB':>6} {'CPU vs dumpdata':>16} {'output MB':>9}")
        for size in sorted(sizes):
            started = time.perf_counter()
            create_pages(size)
            created = time.perf_counter() - started
            results = {}
            for name in COMMANDS:
                output = os.path.join(var_dir, "out-" + name.replace(" ", "-"))
                results[name] = run_child(var_dir, name, output)
                results[name]["mb"] = os.path.getsize(output) / 1e6
            base = results["dumpdata"]["cpu"]
            for name, result in results.items():
                rate = size / result["cpu"]
                print(f"{size:>8,} {name:<16} {result['seconds']:>7.2f} {result['cpu']:>7.2f} "
                      f"{rate:>11,.0f} {result['peak_mb']:>8.1f} {result['growth_mb']:>6.1f} "
                      f"{base / result['cpu']:>15.2f}x {result['mb']:>9.1f}")
            print(f"{'':>8} (pages created in {created:.1f} s)")


if __name__ == "__main__":
    main()
