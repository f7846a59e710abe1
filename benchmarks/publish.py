"""Cost of post drafts on publish: the publish, and the draft task, with 0/1/4/8 channels.

Side by side in one run, on a fresh SQLite database of the example site with its database task
backend (``django_tasks_db``, what ``make demo`` and the default installation use): the same kind
of blog page (intro, body, tags, image) is published with no channel enabled on the site, then
with 1, 4 and 8 console channels imitating eight networks, in interleaved rounds so that drift
affects every case alike. Each publish is a first publish, so every channel gets its draft.

Two sides are measured for every page:

- **publish**: ``revision.publish()``, which is what the editor waits for. Draft creation is only
  enqueued on commit (one task row), so the drafts must not exist when it returns.
- **task**: the ``create_post_drafts`` task handled the way ``db_worker`` handles it (take the row
  under the worker's exclusive transaction, claim it, run it, record its result), which is the
  work the worker does: resolving the page, composing, inserting the drafts and their history.

Printed: median wall and CPU milliseconds (``time.process_time``: the process's own work, which
other processes on a busy machine inflate far less than wall time) and queries of each side per
case, the extra cost of 8 channels, and the queries each further channel adds (the goal: a fixed
number per channel).

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
    os.environ.pop("REDIS_URL", None)  # the example site would switch to RQ: measure the db backend
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
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult
    from django_tasks_db.utils import exclusive_transaction

    from example_site.blog.models import BlogIndexPage, BlogPage
    from wagtail_smo.models import SocialChannel, SocialPost
    from wagtail_smo.posts.tasks import create_post_drafts

    settings.WAGTAIL_SMO = {**settings.WAGTAIL_SMO, "PROVIDERS": {
        f"{network}-bench": {"BACKEND": "wagtail_smo.providers.console.ConsoleProvider",
                             "OPTIONS": {"NETWORK": network}}
        for network in NETWORKS
    }}
    call_command("migrate", verbosity=0)
    call_command("load_demo_content", hostname="localhost", port=80,
                 stdout=open(os.devnull, "w"))
    # The demo's Russian tree has its own "blog" index: measure the English one, as before.
    blog = BlogIndexPage.objects.get(slug="blog", locale__language_code="en")
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

    worker = Worker(queue_names=["*"], interval=0, batch=True, backend_name="default",
                    startup_delay=False, max_tasks=None, worker_id="bench",
                    excluded_queue_names=[])
    queued = DBTaskResult.objects.filter(task_path=create_post_drafts.module_path)
    DBTaskResult.objects.all().delete()  # the demo content's own publishes queued tasks too

    def run_task() -> None:
        """What db_worker does with one ready task: take and claim it, run it, record it."""
        tasks = queued.ready()
        with exclusive_transaction(tasks.db):
            row = tasks.get_locked()
            row.claim(worker.worker_id)
        worker.run_task(row)

    sides = ("publish", "task")
    times = {side: {case: [] for case in CASES} for side in sides}
    cpu_times = {side: {case: [] for case in CASES} for side in sides}
    queries = {side: {case: [] for case in CASES} for side in sides}
    for n in range(PAGES + 1):  # round 0 warms caches up and is not counted
        for case in CASES:
            revision = draft_page(n, case)
            enable(case)
            # Wagtail's own tasks (reference index...) queued by the page's creation: not ours.
            DBTaskResult.objects.exclude(task_path=create_post_drafts.module_path).delete()
            # With no channel enabled the publish queues nothing, so the worker has nothing to do.
            task_step = run_task if case else (lambda: None)
            for side, step in (("publish", revision.publish), ("task", task_step)):
                with CaptureQueriesContext(connection) as captured:
                    started, cpu_started = time.perf_counter(), time.process_time()
                    step()  # autocommit: the publish's on-commit enqueue runs inside
                    elapsed = time.perf_counter() - started
                    cpu = time.process_time() - cpu_started
                if n:
                    times[side][case].append(elapsed * 1000)
                    cpu_times[side][case].append(cpu * 1000)
                    queries[side][case].append(len(captured))
                made = SocialPost.objects.filter(page_id=revision.object_id).count()
                if side == "publish":
                    # Only enqueued: the editor's request created no draft, exactly one task
                    # (none at all when no channel listens).
                    assert made == 0 and queued.ready().count() == (1 if case else 0), (case, made)
                else:
                    assert made == case, (case, made)
                    assert not queued.exclude(status="SUCCESSFUL").exists()

    where = "in /dev/shm" if SHM else "on disk"
    print(f"blog page, {PAGES} pages per case (SQLite {where}, django_tasks_db backend)")
    print(f"{'':>8} {'publish':>21} {'':>8} {'task':>17}")
    print(f"{'channels':>8} {'wall ms':>10} {'CPU ms':>10} {'queries':>8} {'wall ms':>8} "
          f"{'CPU ms':>8} {'queries':>8} {'total wall ms':>14}")
    med = {side: {case: statistics.median(times[side][case]) for case in CASES} for side in sides}
    cpu = {side: {case: statistics.median(cpu_times[side][case]) for case in CASES}
           for side in sides}
    q = {side: {case: statistics.median(queries[side][case]) for case in CASES} for side in sides}
    for case in CASES:
        print(f"{case:>8} {med['publish'][case]:>10.2f} {cpu['publish'][case]:>10.2f} "
              f"{q['publish'][case]:>8.0f} {med['task'][case]:>8.2f} {cpu['task'][case]:>8.2f} "
              f"{q['task'][case]:>8.0f} {med['publish'][case] + med['task'][case]:>14.2f}")
    for side, label in (("publish", "the publish (what the editor waits for)"),
                        ("task", "the task (what the worker does)")):
        base, eight = med[side][0], med[side][8]
        ratio = f"{eight / base:.2f}x 0 channels" if base > 0.01 else "0 channels: no task at all"
        print(f"{label}: 8 channels add {eight - base:.2f} ms wall "
              f"({cpu[side][8] - cpu[side][0]:.2f} ms CPU, {ratio});"
              f" queries {q[side][1] - q[side][0]:+.0f} for the first channel, then "
              f"{(q[side][4] - q[side][1]) / 3:.2f} (1->4) and "
              f"{(q[side][8] - q[side][4]) / 4:.2f} (4->8) per further channel")
    print("goal: the 8-channel publish adds < 20 ms and a fixed number of queries per channel")

if __name__ == "__main__":
    main()
