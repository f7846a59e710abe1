"""Benchmark: ``smo_audit`` streams — its memory stays flat while the section grows.

The pages come from benchmarks/export.py (bulk-created BlogPages in a throw-away SQLite
database). For each size, side by side in one process:

- **smo_audit**: the command as shipped (pages read in chunks, rows written as found);
- **load-all**: the same checks the naive way (every page loaded, every result kept, then written).

The script prints seconds, pages per second and the peak of Python allocations (tracemalloc)
of each, and how each peak compares with its own peak at the smallest size.

    python benchmarks/audit.py                   # default sizes: 100 / 200 / 400 pages
    python benchmarks/audit.py --sizes 500,2000  # any sizes
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.export import create_pages, setup_django  # noqa: E402  (reuse, not a copy)

DEFAULT_SIZES = [100, 200, 400]


class LineCounter(io.TextIOBase):
    """A stdout that counts lines and keeps nothing, as a file or a pipe would."""

    def __init__(self) -> None:
        self.lines = 0

    def write(self, text: str) -> int:
        self.lines += text.count("\n")
        return len(text)


def streaming() -> int:
    """The shipped command, writing CSV to a stream; returns the number of rows."""
    from django.core.management import call_command

    out = LineCounter()
    call_command("smo_audit", "--format", "csv", "--section", "/bench/", "--no-progress",
                 stdout=out, stderr=io.StringIO())
    return out.lines - 1


def load_all() -> int:
    """The naive way: load every page, keep every result, then write them."""
    from wagtail.models import Page

    from wagtail_smo.audit import AuditContext, audit_page

    section = Page.objects.get(slug="bench")
    pages = list(Page.objects.descendant_of(section, inclusive=True).live().specific())
    context = AuditContext()
    results = [audit_page(page, context=context) for page in pages]
    out = LineCounter()
    for result in results:
        for finding in result.findings:
            out.write(f"{result.page.pk},{finding.code},{finding.message}\n")
    return out.lines


def measure(function) -> tuple[float, float, int]:
    """Seconds, peak MB of Python allocations, and rows of one run of ``function``."""
    tracemalloc.start()
    started = time.perf_counter()
    rows = function()
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return seconds, peak, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", help="Comma-separated page counts.")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(",")) if args.sizes else DEFAULT_SIZES
    with tempfile.TemporaryDirectory(prefix="smo-bench-audit-") as var_dir:
        setup_django(var_dir)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("load_demo_content", hostname="bench.example", port=80,
                     stdout=open(os.devnull, "w"))
        contenders = {"smo_audit": streaming, "load-all": load_all}
        print(f"Sizes: {', '.join(f'{s:,}' for s in sizes)} pages (SQLite, one process)")
        print(f"{'pages':>7} {'contender':<10} {'seconds':>8} {'pages/s':>8} {'peak MB':>8} "
              f"{'peak vs smallest':>17} {'rows':>6}")
        first: dict[str, float] = {}
        for size in sizes:
            create_pages(size)
            peaks = {}
            for name, function in contenders.items():
                seconds, peak, rows = measure(function)
                peaks[name] = peak
                first.setdefault(name, peak)
                print(f"{size:>7,} {name:<10} {seconds:>8.2f} {size / seconds:>8,.0f} "
                      f"{peak:>8.1f} {peak / first[name]:>16.2f}x {rows:>6,}")
            print(f"{'':>7} load-all needs {peaks['load-all'] / peaks['smo_audit']:.1f}x the "
                  f"memory of smo_audit")


if __name__ == "__main__":
    main()
