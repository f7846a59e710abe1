"""Social meta tags: wagtail-smo next to wagtail-metadata and django-meta, in one run.

One page model carries the three libraries' mixins (benchmarks/_meta_app), so every contender
renders the tags of the very same page: a post with an intro, a body, a main image, an author, a
date and five tags. For each contender the script prints the time per render (fresh request,
page freshly loaded, caches warm as on a live site), the queries per render, the tags emitted
(counted by parsing the output with BeautifulSoup) and the time ratios to wagtail-smo. The median
is the figure to read on a busy machine: a render of under a millisecond that the scheduler
pre-empts for a 20 ms slice weighs on a mean far more than on a median.

wagtail-smo is measured three times: warm, as shipped (the rendered head cached across
requests); cold, the first view after the page is published (before each render, untimed, the
page's cache entry is invalidated as a publish does it; the site-wide values and the ancestors
stay cached); and with
``META_CACHE_TIMEOUT = 0`` (nothing cached at all). The peers cache nothing, so each has one
figure, which is both their warm and their cold cost. The last column is each figure's ratio to
django-meta: issue 19 asks for cold <= 1.0x and warm <= 0.15x.

``SMO_BENCH_ROUNDS`` (default 500) sets the renders per contender. Needs the ``bench`` extra
(``pip install -e .[bench]``; ``make bench`` does it).
"""

from __future__ import annotations

import gc
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# This file is called meta.py, like django-meta's package: take its folder off the path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "benchmarks"]
sys.path.insert(0, str(ROOT))
ROUNDS = int(os.environ.get("SMO_BENCH_ROUNDS", "500"))


def build_site():
    """A fresh database with a site, its settings and one bench post; returns the post's id."""
    import datetime

    from django.core.management import call_command
    from wagtail.models import Page, Site

    from benchmarks._meta_app.models import BenchPage
    from example_site.blog.management.commands.load_demo_content import make_image
    from example_site.home.models import HomePage
    from wagtail_smo.models import SocialMediaSettings

    call_command("makemigrations", "_meta_app", verbosity=0)
    call_command("migrate", verbosity=0)
    root = Page.get_first_root_node()
    Page.objects.filter(depth=2).delete()
    home = root.add_child(instance=HomePage(title="SMO Demo", slug="home"))
    Site.objects.all().delete()
    site = Site.objects.create(hostname="localhost", port=80, root_page=home,
                               is_default_site=True, site_name="SMO Demo")
    smo = SocialMediaSettings.for_site(site)
    smo.site_name, smo.x_handle, smo.facebook_app_id = "SMO Demo", "@smodemo", "1234567890"
    smo.fediverse_creator = "@demo@mastodon.example"
    smo.organisation_name, smo.organisation_logo = "SMO Demo Ltd", make_image("logo")
    smo.default_image = make_image("site")
    smo.profile_links = [("profile", {"network": "Mastodon", "url": "https://mastodon.example/@demo",
                                      "label": "Mastodon"})]
    smo.save()
    paragraph = "<p>" + " ".join(["Social cards make links travel."] * 40) + "</p>"
    post = home.add_child(instance=BenchPage(
        title="Social cards, explained", slug="post", intro="How a page becomes a link card.",
        author="Ada Lovelace", date=datetime.date(2026, 11, 2), main_image=make_image("hero"),
        body=[("paragraph", paragraph), ("image", make_image("body")), ("paragraph", paragraph)],
    ))
    post.tags.set(["social", "open graph", "howto", "wagtail", "cards"])
    post.save_revision().publish()
    return post.pk


def contenders():
    """name -> (template source, extra context builder, WAGTAIL_SMO override or None, whether
    the page's meta cache entry is deleted before each render)."""
    smo = "{% load wagtail_smo_tags %}{% social_meta %}"
    return {
        "wagtail-smo": (smo, lambda page, request: {}, None, False),
        "wagtail-smo, cold": (smo, lambda page, request: {}, None, True),
        "wagtail-smo, no meta cache": (smo, lambda page, request: {},
                                       {"META_CACHE_TIMEOUT": 0}, False),
        "wagtail-metadata": ("{% load wagtailmetadata_tags %}{% meta_tags %}",
                             lambda page, request: {}, None, False),
        "django-meta": ('{% include "meta/meta.html" %}',
                        lambda page, request: {"meta": page.as_meta(request)}, None, False),
    }


def make_render(source, extra, smo_settings, drop_entry: bool, page_id: int):
    """A function rendering the contender once: (seconds, output). Page loading is not timed."""
    from django.template import Context, Template
    from django.test import RequestFactory
    from django.test.utils import override_settings

    from benchmarks._meta_app.models import BenchPage
    from wagtail_smo.meta.cache import invalidate_page

    template, factory = Template(source), RequestFactory()

    def render(queries=None) -> tuple[float, str]:
        page = BenchPage.objects.get(pk=page_id)  # as Wagtail's router loads it
        if drop_entry:  # as publishing the page does
            invalidate_page(page)
        request = factory.get("/post/", HTTP_HOST="localhost")
        context = Context({"page": page, "self": page, "request": request})
        if queries is not None:  # count the queries of the tags alone
            with queries:
                return render_with(context, page, request)
        return render_with(context, page, request)

    def render_with(context, page, request) -> tuple[float, str]:
        if smo_settings is None:
            started = time.perf_counter()
            context.update(extra(page, request))
            html = template.render(context)
            return time.perf_counter() - started, html
        with override_settings(WAGTAIL_SMO=smo_settings):
            started = time.perf_counter()
            html = template.render(context)
            return time.perf_counter() - started, html

    return render


def queries_of(render) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    queries = CaptureQueriesContext(connection)
    render(queries)
    return len(queries)


def count_tags(html: str) -> int:
    """Social elements a crawler sees: meta and link tags with content, JSON-LD scripts."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    metas = [m for m in soup.find_all("meta") if (m.get("content") or "").strip()]
    links = soup.find_all("link")
    return len(metas) + len(links) + len(soup.find_all("script"))


def main() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks._meta_settings"
    import django

    django.setup()
    page_id = build_site()
    renders = {name: make_render(*spec, page_id) for name, spec in contenders().items()}
    for render in renders.values():
        render()
        render()  # warm: renditions made and cached, site root paths and meta cached
    queries = {name: queries_of(render) for name, render in renders.items()}
    tags = {name: count_tags(render()[1]) for name, render in renders.items()}
    # Round-robin, so that a busy moment of the machine falls on every contender alike; the
    # garbage collector runs between rounds, not inside a render (as timeit does).
    times: dict[str, list[float]] = {name: [] for name in renders}
    gc.disable()
    try:
        for number in range(ROUNDS):
            if number % 20 == 0:
                gc.collect()
            for name, render in renders.items():
                times[name].append(render()[0])
    finally:
        gc.enable()
    smo_mean = statistics.mean(times["wagtail-smo"])
    smo_median = statistics.median(times["wagtail-smo"])
    peer_median = statistics.median(times["django-meta"])
    print(f"Social meta tags of one post, {ROUNDS} renders each, round-robin "
          f"(Python {sys.version.split()[0]})")
    print(f"{'contender':28} {'median µs':>10} {'mean µs':>9} {'queries':>8} {'tags':>5} "
          f"{'median / smo':>13} {'mean / smo':>11} {'/ django-meta':>14}")
    for name, samples in times.items():
        mean, median = statistics.mean(samples), statistics.median(samples)
        print(f"{name:28} {median * 1e6:10.0f} {mean * 1e6:9.0f} {queries[name]:8d} "
              f"{tags[name]:5d} {median / smo_median:12.2f}x {mean / smo_mean:10.2f}x "
              f"{median / peer_median:13.2f}x")

if __name__ == "__main__":
    main()
