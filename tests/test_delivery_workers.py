"""Real worker processes: two db_workers on PostgreSQL, a worker killed mid-request, and an
rqworker through a real Redis server. Workers share the database with the test, so these tests
need PostgreSQL (an in-memory SQLite database is private to the test process)."""

from __future__ import annotations

import os
import signal
import socket
import time
import uuid
from datetime import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings

from tests.fakes import networks as fk
from tests.workers import run_in_worker_settings, start_manage, worker_env
from wagtail_smo.models import AttemptOutcome, PostStatus, SocialPost
from wagtail_smo.posts import workflow

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

needs_shared_database = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="worker processes need a database shared with the test: set DATABASE_URL to PostgreSQL",
)


def make_pages(count):
    from wagtail.models import Locale, Page, Site

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:  # a previous transactional test flushed what the migrations created
        Locale.objects.get_or_create(language_code="en")
        tree_root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root")
        home = tree_root.add_child(instance=Page(title="Home", slug="home"))
        site = Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    root = site.root_page
    return [root.add_child(instance=Page(title=f"Page {i}", slug=f"page-{i}")) for i in range(count)]


def wait_for(predicate, timeout=60.0, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def stop(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except Exception:
            process.kill()


@pytest.mark.postgres
@needs_shared_database
@pytest.mark.django_db(transaction=True)
def test_two_db_workers_deliver_200_posts_exactly_once(tmp_path):
    assert connection.vendor == "postgresql"
    assert connection.features.has_select_for_update_skip_locked
    with fk.FakeWebhook() as fake:
        # The webhook fake does NOT de-duplicate: any double delivery would show in fake.posts.
        providers = {f"hook-{i}": fk.channel_settings("webhook", fake) for i in range(10)}
        # Rows are saved before switching TASKS: Wagtail enqueues its own tasks on every save.
        pages = make_pages(20)
        posts = [SocialPost.objects.create(page=page, channel=alias, text=f"{page.title} {alias}",
                                           status=PostStatus.APPROVED)
                 for page in pages for alias in providers]
        assert len(posts) == 200
        with override_settings(WAGTAIL_SMO={"PROVIDERS": providers}, TASKS=DB_TASKS):
            env = worker_env(DB_TASKS)
            # Every post queued, plus a duplicate task for each, on purpose.
            run_in_worker_settings(
                "from wagtail_smo.posts.workflow import queue_post\n"
                "from wagtail_smo.models import SocialPost\n"
                "from wagtail_smo.posts.tasks import deliver_post\n"
                "for post in SocialPost.objects.all():\n"
                "    queue_post(post)\n"
                "    deliver_post.enqueue(post.pk)\n", env)
            workers = [start_manage(["db_worker", "--batch", "--no-startup-delay", "--interval", "0.1",
                                     "--worker-id", f"w{i}"], env, tmp_path / f"worker{i}.log")
                       for i in range(2)]
            try:
                for worker in workers:
                    worker.wait(170)
            finally:
                for worker in workers:
                    stop(worker)
            logs = "".join((tmp_path / f"worker{i}.log").read_text() for i in range(2))
        assert all(worker.returncode == 0 for worker in workers), logs
        statuses = list(SocialPost.objects.values_list("status", flat=True))
        assert statuses.count(PostStatus.SENT) == 200, logs
        delivered = [body["post_id"] for body in fake.posts]
        assert sorted(delivered) == sorted(post.pk for post in posts)  # each exactly once
        assert SocialPost.objects.filter(attempts__outcome=AttemptOutcome.SENT).count() == 200
        from django_tasks_db.models import DBTaskResult

        workers_used = {wid for ids in DBTaskResult.objects.values_list("worker_ids", flat=True)
                        for wid in ids}
        assert workers_used == {"w0", "w1"}, "both workers took part"


@pytest.mark.postgres
@needs_shared_database
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("alias", ["mastodon", "telegram"])
def test_worker_killed_while_waiting_for_the_network(alias, tmp_path):
    create_path = {"mastodon": "/api/v1/statuses", "telegram": "/sendMessage"}[alias]
    with fk.CHANNELS[alias][0]() as fake:
        fake.add_fault(create_path, "hang", seconds=60)  # publishes, then never answers
        providers = {alias: fk.channel_settings(alias, fake, TIMEOUT=30)}
        [page] = make_pages(1)
        post = SocialPost.objects.create(page=page, channel=alias, status=PostStatus.APPROVED,
                                         text="Killed mid-flight https://example.com/")
        with override_settings(WAGTAIL_SMO={"PROVIDERS": providers}, TASKS=DB_TASKS):
            env = worker_env(DB_TASKS)
            run_in_worker_settings(
                "from wagtail_smo.posts.workflow import queue_post\n"
                "from wagtail_smo.models import SocialPost\n"
                f"queue_post(SocialPost.objects.get(pk={post.pk}))\n", env)
            worker = start_manage(["db_worker", "--no-startup-delay", "--interval", "0.1"], env,
                                  tmp_path / "killed.log")
            try:
                assert wait_for(lambda: fake.requests_to(create_path)), "worker never called"
                os.kill(worker.pid, signal.SIGKILL)
                worker.wait(10)
            finally:
                stop(worker)
            post.refresh_from_db()
            assert post.status == PostStatus.SENDING and len(fake.posts) == 1
            run_in_worker_settings(
                "from datetime import timedelta\n"
                "from wagtail_smo.posts.delivery import reconcile_stuck_posts\n"
                "reconcile_stuck_posts(older_than=timedelta(0))\n", env)
            finisher = start_manage(["db_worker", "--batch", "--no-startup-delay"], env,
                                    tmp_path / "finisher.log")
            finisher.wait(60)
        post.refresh_from_db()
        assert len(fake.posts) == 1, "never posted twice"
        if alias == "mastodon":  # Idempotency-Key: re-sent safely, the instance returned the same
            assert post.status == PostStatus.SENT and post.remote_url
        else:
            assert post.status == PostStatus.FAILED and "may have been published" in post.last_error


def redis_available() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.mark.redis
@needs_shared_database
@pytest.mark.django_db(transaction=True)
def test_delivery_through_redis_and_rqworker(tmp_path):
    if not redis_available():
        if os.environ.get("SMO_REQUIRE_REDIS"):
            pytest.fail("Redis is not listening on 127.0.0.1:6379 (SMO_REQUIRE_REDIS is set)")
        pytest.skip("Redis is not listening on 127.0.0.1:6379")
    queue = f"smo-test-{uuid.uuid4().hex[:8]}"  # private queue: parallel runs do not collide
    # Wagtail validates its own tasks against the "default" queue at start-up: it must exist. It
    # points at a scratch Redis database; delivery uses the private queue (DELIVERY["QUEUE"]).
    rq_queues = {queue: {"HOST": "127.0.0.1", "PORT": 6379, "DB": 0},
                 "default": {"HOST": "127.0.0.1", "PORT": 6379, "DB": 15}}
    tasks = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default", queue]}}
    with fk.FakeBluesky() as fake:
        providers = {"bluesky": fk.channel_settings("bluesky", fake)}
        smo = {"PROVIDERS": providers, "DELIVERY": {"QUEUE": queue}}
        # Rows are saved before switching TASKS: Wagtail enqueues its own tasks (reference index,
        # search) on every save, and only the delivery task belongs in the private queue.
        [page] = make_pages(1)
        post = SocialPost.objects.create(page=page, channel="bluesky", status=PostStatus.APPROVED,
                                         text="Through Redis https://example.com/rq",
                                         link="https://example.com/rq")
        with override_settings(WAGTAIL_SMO=smo, TASKS=tasks, RQ_QUEUES=rq_queues):
            workflow.queue_post(post)
            worker = start_manage(["rqworker", queue, "--job-class", "django_tasks_rq.Job", "--burst"],
                                  worker_env(tasks, rq_queues), tmp_path / "rq.log")
            try:
                worker.wait(120)
            finally:
                stop(worker)
        log = (tmp_path / "rq.log").read_text()
        post.refresh_from_db()
        assert worker.returncode == 0, log
        assert post.status == PostStatus.SENT, log
        assert len(fake.posts) == 1 and post.remote_id.endswith(post.delivery_key)


@pytest.mark.postgres
@needs_shared_database
@pytest.mark.django_db(transaction=True)
def test_demo_worker_sends_approved_and_scheduled_console_posts(tmp_path, django_user_model):
    """What `make demo` promises: approve a draft for a console channel and the running
    db_worker sends it within seconds; one scheduled a little ahead is sent when due."""

    editor = django_user_model.objects.create_superuser("editor", "e@example.com", "pw")
    now_pages = make_pages(2)
    approved = SocialPost.objects.create(page=now_pages[0], channel="mastodon-demo",
                                         text="Approved in the demo")
    scheduled = SocialPost.objects.create(page=now_pages[1], channel="mastodon-demo",
                                          text="Scheduled in the demo")
    with override_settings(TASKS=DB_TASKS):
        worker = start_manage(["db_worker"], worker_env(DB_TASKS), tmp_path / "demo-worker.log")
        try:
            # The editor's two clicks, as the admin makes them (in the workers' settings). The
            # scheduled time is taken there, just before the click: a margin taken here had to
            # cover the subprocess's start on a loaded machine (it was 40 s, all of it waited).
            output = run_in_worker_settings(
                "from datetime import timedelta\n"
                "from django.contrib.auth.models import User\n"
                "from django.utils import timezone\n"
                "from wagtail_smo.models import SocialPost\n"
                "from wagtail_smo.posts import workflow\n"
                f"editor = User.objects.get(pk={editor.pk})\n"
                f"workflow.approve(SocialPost.objects.get(pk={approved.pk}), editor)\n"
                "when = timezone.now() + timedelta(seconds=10)\n"
                f"workflow.schedule(SocialPost.objects.get(pk={scheduled.pk}), when, editor)\n"
                "print(when.isoformat())\n",
                worker_env(DB_TASKS))
            when = datetime.fromisoformat(output.split()[-1])
            assert wait_for(lambda: SocialPost.objects.filter(
                pk=approved.pk, status=PostStatus.SENT).exists(), timeout=30)
            assert wait_for(lambda: SocialPost.objects.filter(
                pk=scheduled.pk, status=PostStatus.SENT).exists(), timeout=70)
        finally:
            stop(worker)
    log = (tmp_path / "demo-worker.log").read_text()
    approved.refresh_from_db()
    scheduled.refresh_from_db()
    assert approved.attempts.get().outcome == AttemptOutcome.SENT
    assert scheduled.sent_at >= when, "not before its time"
    assert "[mastodon-demo] Approved in the demo" in log


@pytest.mark.postgres
@needs_shared_database
@pytest.mark.django_db(transaction=True)
def test_a_starting_worker_heals_a_stuck_post_without_cron(tmp_path):
    """No cron, no command, no task in the queue: a db_worker starting is enough. It starts the
    self-healing chain, whose first round re-sends the post a killed worker left "sending"
    (Mastodon drops the repeat: one status), and whose next round is deferred in the queue."""
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from wagtail_smo.models import DeliveryLease
    from wagtail_smo.posts import delivery
    from wagtail_smo.posts.outgoing import outgoing_post
    from wagtail_smo.providers import get_provider

    with fk.FakeMastodon() as fake:
        providers = {"mastodon": fk.channel_settings("mastodon", fake)}
        [page] = make_pages(1)
        post = SocialPost.objects.create(page=page, channel="mastodon", status=PostStatus.APPROVED,
                                         text="Left sending https://example.com/left")
        with override_settings(WAGTAIL_SMO={"PROVIDERS": providers}):
            claim = delivery.claim_post(post.pk)
            get_provider("mastodon").send(outgoing_post(claim.post), claim.post.delivery_key)
        SocialPost.objects.filter(pk=post.pk).update(
            updated_at=timezone.now() - timedelta(minutes=11))
        DBTaskResult.objects.all().delete()
        with override_settings(WAGTAIL_SMO={"PROVIDERS": providers}, TASKS=DB_TASKS):
            worker = start_manage(["db_worker", "--no-startup-delay", "--interval", "0.1"],
                                  worker_env(DB_TASKS), tmp_path / "healer.log")
            try:
                healed = wait_for(lambda: SocialPost.objects.filter(
                    pk=post.pk, status=PostStatus.SENT).exists(), timeout=60)
            finally:
                stop(worker)
        log = (tmp_path / "healer.log").read_text()
        assert healed, log
        assert len(fake.posts) == 1 and len(fake.requests_to("/api/v1/statuses")) == 2
        assert DeliveryLease.objects.count() == 1
        rounds = DBTaskResult.objects.filter(task_path__endswith="heal_deliveries")
        assert rounds.filter(status="SUCCESSFUL").exists()
        assert rounds.filter(status="READY", run_after__gt=timezone.now()).count() == 1


@pytest.mark.redis
@needs_shared_database
@pytest.mark.django_db(transaction=True)
def test_a_starting_rqworker_heals_a_stuck_post_without_cron(tmp_path):
    """The same self-healing on RQ: an rqworker (with its scheduler, for the deferred rounds)
    starts the chain, whose first round reconciles the stuck Bluesky post: getRecord finds the
    record the killed worker created, so the post is marked sent without a second create."""
    from datetime import timedelta

    from django.utils import timezone

    from wagtail_smo.posts import delivery
    from wagtail_smo.posts.outgoing import outgoing_post
    from wagtail_smo.providers import get_provider
    from wagtail_smo.providers.bluesky import BlueskyProvider

    if not redis_available():
        pytest.skip("Redis is not listening on 127.0.0.1:6379")
    queue = f"smo-test-{uuid.uuid4().hex[:8]}"
    rq_queues = {queue: {"HOST": "127.0.0.1", "PORT": 6379, "DB": 0},
                 "default": {"HOST": "127.0.0.1", "PORT": 6379, "DB": 15}}
    tasks = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default", queue]}}
    with fk.FakeBluesky() as fake:
        providers = {"bluesky": fk.channel_settings("bluesky", fake)}
        smo = {"PROVIDERS": providers, "DELIVERY": {"QUEUE": queue}}
        [page] = make_pages(1)
        post = SocialPost.objects.create(page=page, channel="bluesky", status=PostStatus.APPROVED,
                                         text="Left sending on RQ https://example.com/rq-heal")
        with override_settings(WAGTAIL_SMO=smo):
            BlueskyProvider._sessions.clear()
            claim = delivery.claim_post(post.pk)
            get_provider("bluesky").send(outgoing_post(claim.post), claim.post.delivery_key)
        SocialPost.objects.filter(pk=post.pk).update(
            updated_at=timezone.now() - timedelta(minutes=11))
        with override_settings(WAGTAIL_SMO=smo, TASKS=tasks, RQ_QUEUES=rq_queues):
            worker = start_manage(["rqworker", queue, "--job-class", "django_tasks_rq.Job",
                                   "--with-scheduler"], worker_env(tasks, rq_queues),
                                  tmp_path / "rq-heal.log")
            try:
                healed = wait_for(lambda: SocialPost.objects.filter(
                    pk=post.pk, status=PostStatus.SENT).exists(), timeout=60)
            finally:
                stop(worker)
        log = (tmp_path / "rq-heal.log").read_text()
        assert healed, log
        post.refresh_from_db()
        assert len(fake.posts) == 1 and len(fake.requests_to("createRecord")) == 1
        assert fake.requests_to("getRecord") and post.remote_url.endswith(post.delivery_key)
