"""Posts per second delivered by one database worker (`manage.py db_worker`) to a loopback fake.

Side by side in one run, on a fresh SQLite database of the example site:

- **worker**: posts enqueued with ``queue_post`` and delivered by one ``db_worker --batch``
  process, timed from the first delivery task's start to the last delivery task's end as the
  worker recorded them (the process start-up and the other tasks it runs, Wagtail's reference-
  and search-index tasks queued by the set-up, are not counted);
- **inline**: the same number of posts delivered by calling ``delivery.deliver`` in a loop (no
  queue): what the queue costs on top of claim + HTTP + bookkeeping.

Both deliver to the loopback webhook fake, which checks every HMAC signature.
``SMO_BENCH_POSTS`` (default 200) sets the number of posts per side.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
POSTS = int(os.environ.get("SMO_BENCH_POSTS", "200"))


def run_worker(env: dict) -> None:
    """Run one `db_worker --batch` process until the queue is empty."""
    subprocess.run([sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay",
                    "--interval", "0.05"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=None if os.environ.get("SMO_BENCH_DEBUG") else subprocess.DEVNULL)


def main() -> None:
    from tests.fakes.networks import WEBHOOK_SECRET, FakeWebhook

    var_dir = tempfile.mkdtemp(prefix="smo-bench-delivery-")
    with FakeWebhook() as fake:
        os.environ.update({
            "SMO_VAR_DIR": var_dir, "DJANGO_SETTINGS_MODULE": "example_site.settings",
            "DJANGO_DEBUG": "0", "SMO_WEBHOOK_URL": f"{fake.url}/hook",
            "SMO_WEBHOOK_SECRET": WEBHOOK_SECRET,
        })
        os.environ.pop("REDIS_URL", None)
        import logging

        import django

        django.setup()
        logging.getLogger("wagtail_smo").setLevel(logging.WARNING)
        from django.core.management import call_command
        from wagtail.models import Page, Site

        from wagtail_smo.models import PostStatus, SocialPost
        from wagtail_smo.posts import delivery, workflow

        call_command("migrate", verbosity=0)
        root = Site.objects.get(is_default_site=True).root_page
        pages = [root.add_child(instance=Page(title=f"Bench {i}", slug=f"bench-{i}"))
                 for i in range(POSTS)]

        def new_posts() -> list[SocialPost]:
            return [SocialPost.objects.create(page=page, channel="webhook", status=PostStatus.APPROVED,
                                              text=f"{page.title} https://example.com/{page.slug}/")
                    for page in pages]

        # Inline: claim, HTTP call and bookkeeping, no queue.
        posts = new_posts()
        started = time.perf_counter()
        for post in posts:
            delivery.deliver(post.pk)
        inline = time.perf_counter() - started
        assert SocialPost.objects.filter(status=PostStatus.SENT).count() == POSTS

        # One database worker.
        from django.db.models import Max, Min
        from django_tasks_db.models import DBTaskResult

        for post in new_posts():
            workflow.queue_post(post)  # autocommit: enqueued at once
        run_worker(dict(os.environ))
        # Deliveries only: the set-up also queued Wagtail's reference- and search-index tasks,
        # which the same worker runs and which are no part of delivering.
        from wagtail_smo.posts.tasks import deliver_post

        deliveries = DBTaskResult.objects.filter(task_path=deliver_post.module_path)
        assert deliveries.count() == POSTS, deliveries.count()
        span = deliveries.aggregate(start=Min("started_at"), end=Max("finished_at"))
        worker = (span["end"] - span["start"]).total_seconds()
        sent = SocialPost.objects.filter(status=PostStatus.SENT).count()
        failed = DBTaskResult.objects.exclude(status="SUCCESSFUL")
        assert sent == 2 * POSTS, (f"only {sent} of {2 * POSTS} sent; {failed.count()} tasks "
                                   f"failed: {failed.values_list('exception_class_path', 'traceback').first()}")
        assert len(fake.posts) == 2 * POSTS

    print(f"posts per side: {POSTS}")
    print("| delivery | posts/s | ratio |")
    print("|---|---:|---:|")
    print(f"| inline `delivery.deliver()` loop | {POSTS / inline:.0f} | 1.00 |")
    print(f"| one `db_worker` process | {POSTS / worker:.0f} | {inline / worker:.2f} |")


if __name__ == "__main__":
    main()
