"""Share block costs, side by side in one run on a fresh SQLite database of the example site.

- **read_next** with 1, 50 and 500 candidate pages sharing the current page's tag: queries and
  time per render (the query count must not grow; the time ratio shows what the ranking costs);
- **share_buttons** (14 networks) next to **social_meta** on the same post, one fresh request per
  page view as on the site: what the buttons add to a page render;
- the gzip size of ``share.css`` + ``share.js`` as shipped.

``SMO_BENCH_ROUNDS`` (default 100) sets the renders per measurement.
"""

from __future__ import annotations

import gzip
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ROUNDS = int(os.environ.get("SMO_BENCH_ROUNDS", "100"))
SIZES = (1, 50, 500)


def queries_of(render) -> int:
    """Queries of one call of ``render``, after a warm-up call."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    render()
    with CaptureQueriesContext(connection) as queries:
        render()
    return len(queries)


def interleaved(renders: dict, rounds: int = ROUNDS) -> dict:
    """Median milliseconds per call of each render, taking turns so that load hits all alike."""
    times = {name: [] for name in renders}
    for _ in range(rounds):
        for name, render in renders.items():
            started = time.perf_counter()
            render()
            times[name].append((time.perf_counter() - started) * 1000)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    os.environ.update({
        "SMO_VAR_DIR": tempfile.mkdtemp(prefix="smo-bench-share-"),
        "DJANGO_SETTINGS_MODULE": "example_site.settings", "DJANGO_DEBUG": "0",
    })
    import django

    django.setup()
    from django.core.management import call_command
    from django.template import Context, Template
    from django.test import RequestFactory
    from wagtail.models import Site

    from example_site.blog.models import BlogIndexPage, BlogPage

    call_command("migrate", verbosity=0)
    call_command("load_demo_content", stdout=open(os.devnull, "w"))
    home = Site.objects.get(is_default_site=True).root_page

    def section_with(count: int) -> BlogPage:
        index = home.add_child(instance=BlogIndexPage(title=f"Bench {count}", slug=f"bench-{count}"))
        current = None
        for i in range(count + 1):
            page = BlogPage(title=f"Bench {count} #{i}", slug=f"p{i}", intro="x")
            page.tags.set(["bench", f"t{i % 7}"])
            index.add_child(instance=page)
            current = current or page
        return current

    read_next = Template("{% load wagtail_smo_tags %}{% read_next page count=4 %}")
    renders = {}
    for count in SIZES:
        page = section_with(count)
        renders[count] = lambda page=page: read_next.render(Context({"page": page}))
    read_next_queries = {count: queries_of(render) for count, render in renders.items()}
    read_next_ms = interleaved(renders)

    post = BlogPage.objects.get(slug="social-cards-explained")
    meta_only = Template("{% load wagtail_smo_tags %}{% social_meta page %}")
    with_share = Template("{% load wagtail_smo_tags %}{% social_meta page %}{% share_buttons page %}")
    factory = RequestFactory()

    def page_view(template) -> str:
        """One page view: a fresh request, shared by the tags as in a real page render."""
        request = factory.get(post.url, HTTP_HOST=post.get_site().hostname)
        Site.find_for_request(request)  # as Wagtail's serve view does before rendering
        return template.render(Context({"page": post, "request": request}))

    views = {"meta": lambda: page_view(meta_only), "share": lambda: page_view(with_share)}
    view_queries = {name: queries_of(render) for name, render in views.items()}
    view_ms = interleaved(views)

    static = ROOT / "wagtail_smo" / "static" / "wagtail_smo"
    payload = (static / "share.css").read_bytes() + (static / "share.js").read_bytes()

    base = read_next_ms[SIZES[0]]
    print("| read_next candidates | queries | median ms per render | ratio to 1 candidate |")
    print("|---|---|---|---|")
    for count in SIZES:
        ms = read_next_ms[count]
        print(f"| {count} | {read_next_queries[count]} | {ms:.2f} | {ms / base:.2f} |")
    print()
    print("| one page view of a post | queries | median ms | ratio |")
    print("|---|---|---|---|")
    for name, label in (("meta", "social_meta"), ("share", "social_meta + share_buttons")):
        ms = view_ms[name]
        print(f"| {label} | {view_queries[name]} | {ms:.2f} | {ms / view_ms['meta']:.2f} |")
    print()
    print(f"share.css + share.js: {len(payload)} bytes, {len(gzip.compress(payload, 9))} bytes gzipped")
    assert len(set(read_next_queries.values())) == 1, "read_next queries grew"


if __name__ == "__main__":
    main()
