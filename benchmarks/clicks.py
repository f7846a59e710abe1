"""What first-party click counting costs a page view, side by side in one run.

On a fresh SQLite database of the example site, the same blog page is served through Django's
test client (the whole middleware stack, Wagtail's routing and serving hooks) in turns:

- **off**: ``CLICKS["ENABLED"] = False``, the post's tracked link;
- **untracked**: counting on, the page's plain URL (what most views are);
- **memory**: counting on, the tracked link, the in-process buffer (flushed every
  ``FLUSH_HITS`` clicks after a response, as on a site without a shared cache);
- **redis**: counting on, the tracked link, Redis at 127.0.0.1:6379 (database 3, a key prefix of
  its own, deleted afterwards); left out when Redis is not there.

Printed: the median milliseconds per view and each one's ratio to **off**, and the queries per
view (the same in every column: counting adds none). ``SMO_BENCH_ROUNDS`` (default 300) sets the
views per column. ``bench_clicks()`` returns the figures (``benchmarks/analytics.py`` may call it).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ROUNDS = int(os.environ.get("SMO_BENCH_ROUNDS", "300"))
AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0"


def _setup() -> None:
    os.environ.update({
        "SMO_VAR_DIR": tempfile.mkdtemp(prefix="smo-bench-clicks-"),
        "DJANGO_SETTINGS_MODULE": "example_site.settings", "DJANGO_DEBUG": "0",
    })
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_demo_content", stdout=open(os.devnull, "w"))  # noqa: SIM115


def _redis_prefix() -> str | None:
    try:
        import redis

        client = redis.Redis(host="127.0.0.1", port=6379, db=3, socket_connect_timeout=1)
        client.ping()
        client.close()
    except Exception:
        return None
    return f"smo-bench-{uuid.uuid4().hex[:12]}"


def _delete_prefix(prefix: str) -> None:
    import redis

    client = redis.Redis(host="127.0.0.1", port=6379, db=3)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
    client.close()


def bench_clicks(rounds: int = ROUNDS) -> dict:
    """Median ms and queries per view of each column (see the module docstring)."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from wagtail.models import Page

    from wagtail_smo.analytics import clicks
    from wagtail_smo.models import ClickCount, SocialPost
    from wagtail_smo.posts import drafts

    page = Page.objects.get(slug="social-cards-explained").specific
    post = SocialPost(page=page, site=page.get_site(), channel="mastodon-demo", status="sent")
    post.link = drafts.composed_fields(page, "mastodon-demo", post.click_ref)["link"]
    post.save()
    tracked = post.link.split("://", 1)[1].split("/", 1)[1]
    tracked, plain = "/" + tracked, page.url
    base = {**getattr(settings, "WAGTAIL_SMO", {})}
    caches = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    prefix = _redis_prefix()
    if prefix:
        caches["clicks"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                            "LOCATION": "redis://127.0.0.1:6379/3", "KEY_PREFIX": prefix}
    # Only WAGTAIL_SMO changes between columns (it is read on each view); CACHES stays, so the
    # Redis client keeps its connection as in a web process.
    columns = {
        "off": (tracked, {**base, "CLICKS": {"ENABLED": False}}),
        "untracked": (plain, {**base, "CLICKS": {"CACHE": ""}}),
        "memory": (tracked, {**base, "CLICKS": {"CACHE": ""}}),
    }
    if prefix:
        columns["redis"] = (tracked, {**base, "CLICKS": {"CACHE": "clicks"}})
    client = Client(HTTP_USER_AGENT=AGENT)
    times: dict[str, list[float]] = {name: [] for name in columns}
    queries: dict[str, int] = {}
    try:
        with override_settings(ALLOWED_HOSTS=["*"], CACHES=caches):
            for name, (url, smo) in columns.items():
                with override_settings(WAGTAIL_SMO=smo):
                    client.get(url)  # warm: caches filled, the period's counter created
                    with CaptureQueriesContext(connection) as captured:
                        assert client.get(url).status_code == 200
                    queries[name] = len(captured)
            for _ in range(rounds):  # in turns, so that load hits every column alike
                for name, (url, smo) in columns.items():
                    with override_settings(WAGTAIL_SMO=smo):
                        started = time.perf_counter()
                        client.get(url)
                        times[name].append((time.perf_counter() - started) * 1000)
            for name in ("memory", "redis"):
                if name in columns:
                    with override_settings(WAGTAIL_SMO=columns[name][1]):
                        clicks.flush(everything=True)
        counted = sum(ClickCount.objects.filter(post=post).values_list("count", flat=True))
        expected = (rounds + 2) * (2 if prefix else 1)
        assert counted == expected, (counted, expected)  # every tracked view counted, once
    finally:
        if prefix:
            _delete_prefix(prefix)
    medians = {name: statistics.median(values) for name, values in times.items()}
    return {name: {"ms": medians[name], "ratio": medians[name] / medians["off"],
                   "queries": queries[name]} for name in columns}


def main() -> None:
    _setup()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load = os.getloadavg()[0]
    results = bench_clicks()
    print(f"# clicks: {started}, commit {commit}, load average {load:.2f} (start), "
          f"{ROUNDS} views per column")
    print("| column | ms per view (median) | ratio to off | queries per view |")
    print("|---|---|---|---|")
    for name, row in results.items():
        print(f"| {name} | {row['ms']:.2f} | {row['ratio']:.2f} | {row['queries']} |")
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
