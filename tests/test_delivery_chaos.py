"""Chaos: real db_worker processes killed at random mid-send, no cron and no manual command.

100 posts, half to a network that de-duplicates (Mastodon's Idempotency-Key) and half to one that
cannot (Telegram), through the loopback fakes, which answer each create late so that a SIGKILL
lands while the request is in flight. A killed worker is started again (as a service manager
would). Only the system heals: the self-healing chain started by the workers. At the end (a
bounded wait) no post is waiting or "sending"; every Mastodon post is sent, exactly one create per
idempotency key; every Telegram post is sent once, or failed with its outcome unknown and the
interrupted attempt in its history, and never created twice.

Two runs: PostgreSQL with two workers (the PostgreSQL run of ``.ci/run``), SQLite in WAL mode with
one worker (``make test``). Each takes about a minute (60-90 s on two busy cores).
"""

from __future__ import annotations

import collections
import json
import os
import random
import signal
import sqlite3
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from tests.fakes import networks as fk
from tests.test_delivery_workers import needs_shared_database, stop, wait_for
from tests.workers import run_in_worker_settings, start_manage, worker_env

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
POSTS_PER_NETWORK = 50
#: Seconds each create is answered late: long enough for a kill to land mid-request.
ANSWER_DELAY = 0.3
DELIVERY = {"STUCK_AFTER_SECONDS": 3, "HEAL_EVERY_SECONDS": 1, "MAX_ATTEMPTS": 5,
            "BACKOFF_SECONDS": 0.2, "BACKOFF_MAX_SECONDS": 1}
#: The whole run must settle within this (seconds), kills included.
SETTLE_WITHIN = 120

#: Run in the workers' settings: pages and posts created, then each post queued as an approval
#: does (the workflow's post_queued, through the one queue helper). Prints the post ids.
SETUP = """
import json
from tests.test_delivery_workers import make_pages
from wagtail_smo.models import PostStatus, SocialPost
from wagtail_smo.posts.workflow import queue_post
pages = make_pages({count})
posts = [SocialPost.objects.create(page=page, channel=alias, status=PostStatus.APPROVED,
                                   text=f"Chaos {{alias}} {{page.pk}} https://example.com/{{page.pk}}")
         for page in pages for alias in ("mastodon", "telegram")]
for post in posts:
    queue_post(post)
print(json.dumps([post.pk for post in posts]))
"""

#: Run in the workers' settings at the end: every post and its attempts' outcomes, and the
#: self-healing rounds still waiting in the queue, as JSON.
DUMP = """
import json
from django_tasks_db.models import DBTaskResult
from wagtail_smo.models import SocialPost
print(json.dumps({"posts": [{
    "pk": p.pk, "channel": p.channel, "status": p.status, "outcome_unknown": p.outcome_unknown,
    "key": p.delivery_key, "text": p.text, "remote_url": p.remote_url,
    "outcomes": list(p.attempts.order_by("started_at", "id").values_list("outcome", flat=True)),
} for p in SocialPost.objects.all()], "waiting_rounds": DBTaskResult.objects.filter(
    task_path__endswith="heal_deliveries", status="READY").count()}))
"""

UNSETTLED = ("approved", "scheduled", "sending")


class Chaos:
    """Workers run, killed and started again while the fakes answer late."""

    def __init__(self, env: dict, workers: int, log_dir: Path) -> None:
        self.env, self.log_dir = env, log_dir
        self.started = 0
        self.kills = 0
        self.processes = [self.start() for _ in range(workers)]

    def start(self):
        self.started += 1
        return start_manage(["db_worker", "--no-startup-delay", "--interval", "0.1",
                             "--worker-id", f"w{self.started}"], self.env,
                            self.log_dir / f"worker{self.started}.log")

    def kill_mid_send(self, fakes, kills: int, rng: random.Random, timeout: float,
                      unsettled) -> None:
        """``kills`` times: wait for a create in flight, SIGKILL a worker, start a new one."""
        deadline = time.monotonic() + timeout
        while self.kills < kills and time.monotonic() < deadline:
            wait_for(lambda: any(f.in_flight for f in fakes) or not unsettled(),
                     timeout=deadline - time.monotonic(), interval=0.01)
            if not any(f.in_flight for f in fakes):
                break  # every post settled: the run is over
            time.sleep(rng.uniform(0, ANSWER_DELAY / 2))
            index = rng.randrange(len(self.processes))
            os.kill(self.processes[index].pid, signal.SIGKILL)
            self.processes[index].wait(10)
            self.kills += 1
            time.sleep(rng.uniform(0.2, 1.0))  # a service manager restarts it shortly after
            self.processes[index] = self.start()

    def stop(self) -> str:
        for process in self.processes:
            stop(process)
        return "".join(path.read_text(errors="replace")
                       for path in sorted(self.log_dir.glob("worker*.log")))


def run_chaos(env: dict, *, workers: int, kills: int, unsettled, tmp_path: Path) -> list[dict]:
    """Create and queue the posts, run the workers through ``kills`` kills, wait until
    ``unsettled()`` is 0; every post as DUMP reads it."""
    with fk.FakeMastodon() as mastodon, fk.FakeTelegram() as telegram:
        mastodon.delay("/api/v1/statuses", ANSWER_DELAY)
        telegram.delay("/sendMessage", ANSWER_DELAY)
        smo = {"PROVIDERS": {"mastodon": fk.channel_settings("mastodon", mastodon),
                             "telegram": fk.channel_settings("telegram", telegram)},
               "DELIVERY": DELIVERY}
        env = {**env, "SMO_TEST_WAGTAIL_SMO": json.dumps(smo)}
        started = time.monotonic()
        ids = json.loads(run_in_worker_settings(SETUP.format(count=POSTS_PER_NETWORK), env)
                         .split("\n")[-2])
        assert len(ids) == 2 * POSTS_PER_NETWORK
        chaos = Chaos(env, workers, tmp_path)
        try:
            chaos.kill_mid_send([mastodon, telegram], kills, random.Random(15), SETTLE_WITHIN,
                                unsettled)
            settled = wait_for(lambda: unsettled() == 0, timeout=SETTLE_WITHIN, interval=0.5)
        finally:
            logs = chaos.stop()
        elapsed = time.monotonic() - started
        state = json.loads(run_in_worker_settings(DUMP, env).split("\n")[-2])
        posts = state["posts"]
        outcome = collections.Counter((p["channel"], p["status"], p["outcome_unknown"],
                                       "interrupted" in p["outcomes"]) for p in posts)
        print(f"chaos: {len(posts)} posts, {chaos.kills} kills, settled in {elapsed:.0f} s:",
              dict(outcome))
        assert settled, f"{unsettled()} posts never settled\n{logs[-5000:]}"
        assert chaos.kills == kills, "the kills all happened mid-send"
        # Workers started (workers + kills) times: still one chain (two for a moment while a
        # replaced chain's last round waits to find it lost the lease), never one per start.
        assert 1 <= state["waiting_rounds"] <= 2, state["waiting_rounds"]
        check_exactly_once(posts, mastodon, telegram)
    return posts


def check_exactly_once(posts: list[dict], mastodon, telegram) -> None:
    """Each post settled; sent once, or (Telegram only) failed with its outcome unknown."""
    assert not [p for p in posts if p["status"] in UNSETTLED]
    toots = collections.Counter(body["status"] for body in mastodon.posts)
    keys = collections.Counter(r.header("Idempotency-Key")
                               for r in mastodon.requests_to("/api/v1/statuses"))
    messages = collections.Counter(body["text"] for body in telegram.posts)
    for post in posts:
        if post["channel"] == "mastodon":
            assert post["status"] == "sent", post
            assert toots[post["text"]] == 1, post  # one status, however often it was sent
            assert mastodon.by_key[post["key"]]["url"] == post["remote_url"]
            assert keys[post["key"]] >= 1
        else:
            assert messages[post["text"]] <= 1, post  # never twice
            if post["status"] == "sent":
                assert messages[post["text"]] == 1 and post["outcomes"][-1] == "sent", post
            else:
                assert post["status"] == "failed" and post["outcome_unknown"], post
                assert post["outcomes"][-1] == "unknown", post  # the history says why
        assert post["outcomes"].count("sent") == (post["status"] == "sent"), post
    interrupted = [p for p in posts if {"interrupted", "unknown"} & set(p["outcomes"])]
    assert interrupted, "at least one kill left a post sending, and the system healed it"


@pytest.mark.chaos
@pytest.mark.postgres
@needs_shared_database
@pytest.mark.django_db(transaction=True)
def test_chaos_postgresql_two_workers(tmp_path):
    from wagtail_smo.models import SocialPost

    with override_settings(TASKS=DB_TASKS):
        env = worker_env(DB_TASKS)
        run_chaos(env, workers=2, kills=8, tmp_path=tmp_path, unsettled=lambda: (
            SocialPost.objects.filter(status__in=UNSETTLED).count()))


@pytest.mark.chaos
@pytest.mark.skipif("postgresql" in settings.DATABASES["default"]["ENGINE"],
                    reason="the SQLite run (its own WAL database file) belongs to `make test`")
def test_chaos_sqlite_one_worker(tmp_path):
    path = tmp_path / "chaos.sqlite3"
    database = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path),
                "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;",
                            "transaction_mode": "IMMEDIATE", "timeout": 20}}
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
           "SMO_TEST_DATABASE": json.dumps(database), "SMO_TEST_TASKS": json.dumps(DB_TASKS),
           "SMO_TEST_WAGTAIL_SMO": "{}", "PYTHONUNBUFFERED": "1"}
    start_manage(["migrate", "--noinput", "-v", "0"], env, tmp_path / "migrate.log").wait(300)
    with sqlite3.connect(path) as check:
        assert check.execute("PRAGMA journal_mode").fetchone()[0] == "wal"

    def unsettled() -> int:
        with sqlite3.connect(path, timeout=20) as db:
            return db.execute("SELECT count(*) FROM wagtail_smo_socialpost WHERE status IN "
                              "(?, ?, ?)", UNSETTLED).fetchone()[0]

    run_chaos(env, workers=1, kills=5, tmp_path=tmp_path, unsettled=unsettled)
