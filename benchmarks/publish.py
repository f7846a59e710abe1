"""Cost of post drafts on publish: ``revision.publish()`` with 0, 1, 4 and 8 enabled channels.

Side by side in one run, on a fresh SQLite database of the example site: the same kind of blog
page (intro, body, tags, image) is published with no channel enabled on the site, then with 1, 4
and 8 console channels imitating eight networks, in interleaved rounds so that drift affects
every case alike. Each publish is a first publish, so every channel gets its draft (composed,
inserted, logged). Printed: median milliseconds and queries per publish, the extra cost of 8
channels, and the queries each further channel adds (the goal: a fixed number per channel).

``SMO_BENCH_PAGES`` (default 30) sets the pages published per case. The database lives in
/dev/shm when it exists: the figures then show the work done, not the disk's fsync latency
(on a plain disk every SQLite commit costs 15-20 ms here, which would drown the comparison).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PAGES = int(os.environ.get("SMO_BENCH_PAGES", "30"))
NETWORKS = ["x", "mastodon", "bluesky", "threads", "linkedin", "telegram", "facebook", "vk"]
CASES = [0, 1, 4, 8]
SHM = "/dev/shm" if os.path.isdir("/dev/shm") else None


def main() -> None:
    os.environ.update({
        "SMO_VAR_DIR": tempfile.mkdtemp(prefix="smo-bench-publish-", dir=SHM),
        "DJANGO_SETTINGS_MODULE": "example_site.settings", "DJANGO_DEBUG": "0",
    })
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from example_site.blog.models import BlogIndexPage, BlogPage
    from wagtail_smo.models import SocialChannel, SocialPost

    settings.WAGTAIL_SMO = {**settings.WAGTAIL_SMO, "PROVIDERS": {
        f"{network}-bench": {"BACKEND": "wagtail_smo.providers.console.ConsoleProvider",
                             "OPTIONS": {"NETWORK": network}}
        for network in NETWORKS
    }}
    call_command("migrate", verbosity=0)
    call_command("load_demo_content", hostname="localhost", port=80,
                 stdout=open(os.devnull, "w"))
    blog = BlogIndexPage.objects.get(slug="blog")
    template = BlogPage.objects.get(slug="social-cards-explained")
    site = blog.get_site()
    SocialChannel.objects.all().delete()
    for network in NETWORKS:
        SocialChannel.objects.create(site=site, channel=f"{network}-bench", enabled=False)

    def draft_page(n: int, case: int):
        page = BlogPage(title=f"Bench page {case}-{n} about social cards",
                        slug=f"bench-{case}-{n}", intro=template.intro, body=template.body,
                        main_image=template.main_image, author="Ada", live=False)
        blog.add_child(instance=page)
        page.tags.set(["social", "open graph", "bench", "wagtail"])
        return page.save_revision()

    def enable(count: int) -> None:
        SocialChannel.objects.update(enabled=False)
        SocialChannel.objects.filter(channel__in=[f"{n}-bench" for n in NETWORKS[:count]]) \
            .update(enabled=True)

    times: dict[int, list[float]] = {case: [] for case in CASES}
    queries: dict[int, list[int]] = {case: [] for case in CASES}
    for n in range(PAGES + 1):  # round 0 warms caches up and is not counted
        for case in CASES:
            revision = draft_page(n, case)
            enable(case)
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                revision.publish()  # autocommit: the on-commit draft creation runs inside
                elapsed = time.perf_counter() - started
            if n:
                times[case].append(elapsed * 1000)
                queries[case].append(len(captured))
            expected = case
            made = SocialPost.objects.filter(page_id=revision.object_id).count()
            assert made == expected, (case, made)

    where = "in /dev/shm" if SHM else "on disk"
    print(f"revision.publish() of a blog page, {PAGES} pages per case (SQLite {where})")
    print(f"{'channels':>8} {'median ms':>10} {'queries':>8}")
    for case in CASES:
        print(f"{case:>8} {statistics.median(times[case]):>10.2f} "
              f"{statistics.median(queries[case]):>8.0f}")
    base_ms, eight_ms = statistics.median(times[0]), statistics.median(times[8])
    q = {case: statistics.median(queries[case]) for case in CASES}
    print(f"8 channels add {eight_ms - base_ms:.2f} ms per publish "
          f"({eight_ms / base_ms:.2f}x the time of a publish without channels); goal < 20 ms")
    print(f"queries: {q[1] - q[0]:.0f} fixed when any channel is enabled, then "
          f"{(q[4] - q[1]) / 3:.2f} (1->4) and {(q[8] - q[4]) / 4:.2f} (4->8) per further channel")


if __name__ == "__main__":
    main()
