"""The click buffers and their flush (analytics/buffer.py, click_store.py, the flush chain):
periods, idempotence, concurrent flushes and writers, and the task chain on its own lease."""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from datetime import date, timedelta

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection, connections
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Page

from tests.redis_clicks import LOCATION, clicks_caches, redis_prefix
from wagtail_smo.analytics import clicks
from wagtail_smo.analytics.buffer import CacheBuffer, MemoryBuffer
from wagtail_smo.analytics.click_store import save_counts
from wagtail_smo.models import ClickCount, DeliveryLease, PostStatus, SocialPost

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
KEY = (7, "", "x", "2026-12-05")
OTHER = (7, "abcdefgh", "mastodon", "2026-12-05")


class Clock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def locmem() -> LocMemCache:
    return LocMemCache(f"clicks-{uuid.uuid4().hex}", {})


def collector():
    written: Counter = Counter()
    lock = threading.Lock()

    def write(counts):
        with lock:
            written.update(counts)
        return len(counts)

    return written, write


# --- periods -------------------------------------------------------------------------------------

def test_a_period_is_written_once_closed_then_its_keys_are_deleted():
    cache, clock = locmem(), Clock()
    buffer = CacheBuffer(cache, 60, clock=clock)
    written, write = collector()
    for _ in range(3):
        buffer.add(KEY)
    buffer.add(OTHER)
    assert buffer.flush(write) == 0  # the current period is open
    clock.now += 60
    assert buffer.flush(write) == 0  # ended, but a slow request may still land in it
    buffer.add(KEY)  # a view in the next period
    clock.now += 60
    assert buffer.flush(write) == 2 and written == Counter({KEY: 3, OTHER: 1})
    # The closed period's keys are gone; the next period's counter waits for its turn.
    counters = [key for key in cache._cache if ":c:" in key]
    assert len(counters) == 1 and f":c:{int(clock.now // 60) - 1}:" in counters[0]
    assert buffer.flush(write) == 0 and written == Counter({KEY: 3, OTHER: 1})
    clock.now += 120
    assert buffer.flush(write) == 1 and written == Counter({KEY: 4, OTHER: 1})
    leftover = [key for key in cache._cache if ":c:" in key or ":k:" in key or ":n:" in key]
    assert leftover == []


def test_everything_takes_the_open_period_without_losing_later_views():
    cache, clock = locmem(), Clock()
    buffer = CacheBuffer(cache, 60, clock=clock)
    written, write = collector()
    buffer.add(KEY)
    assert buffer.flush(write, everything=True) == 1
    buffer.add(KEY)  # the same counter, after it was taken
    assert buffer.flush(write, everything=True) == 1
    assert buffer.flush(write, everything=True) == 0
    assert written == Counter({KEY: 2})


def test_a_flush_that_cannot_write_gives_its_counts_back():
    buffer, memory = CacheBuffer(locmem(), 60, clock=Clock()), MemoryBuffer()
    buffer.add(KEY)
    memory.add(KEY)

    def broken(counts):
        raise RuntimeError("database down")

    for target in (buffer, memory):
        with pytest.raises(RuntimeError):
            target.flush(broken, **({"everything": True} if target is buffer else {}))
    written, write = collector()
    assert buffer.flush(write, everything=True) == 1 and memory.flush(write) == 1
    assert written == Counter({KEY: 2})


def test_a_second_flush_while_one_runs_writes_nothing():
    cache = locmem()
    buffer = CacheBuffer(cache, 60, clock=Clock())
    buffer.add(KEY)
    cache.add(f"{buffer.prefix}:lock", "someone else", 60)
    written, write = collector()
    assert buffer.flush(write, everything=True) is None and not written


# --- concurrency on the real Redis ---------------------------------------------------------

@pytest.fixture
def redis_cache():
    from django.core.cache.backends.redis import RedisCache

    with redis_prefix() as prefix:
        yield RedisCache(LOCATION, {"KEY_PREFIX": prefix})


class Unlocked(CacheBuffer):
    """A buffer whose flushes skip the lock: what happens when a lock expired mid-flush."""

    def flush(self, write, *, everything=False):
        return self._flush(write, everything)


def test_concurrent_views_and_flushes_never_count_twice_or_lose_a_view(redis_cache):
    adders, per_adder, flushers = 4, 150, 3
    written, write = collector()
    keys = [KEY, OTHER, (8, "", "bluesky", "2026-12-05")]
    stop = threading.Event()

    def add(n: int) -> None:
        buffer = CacheBuffer(redis_cache, 60)
        for i in range(per_adder):
            buffer.add(keys[(n + i) % len(keys)])

    def flush() -> None:
        buffer = Unlocked(redis_cache, 60)
        while not stop.is_set():
            buffer.flush(write, everything=True)

    threads = [threading.Thread(target=flush) for _ in range(flushers)]
    threads += [threading.Thread(target=add, args=(n,)) for n in range(adders)]
    for thread in threads:
        thread.start()
    for thread in threads[flushers:]:
        thread.join()
    stop.set()
    for thread in threads[:flushers]:
        thread.join()
    CacheBuffer(redis_cache, 60).flush(write, everything=True)
    assert sum(written.values()) == adders * per_adder
    assert written == Counter({k: adders * per_adder // len(keys) for k in keys})


# --- into the database ---------------------------------------------------------------------

@pytest.fixture
def page(db):
    from wagtail.models import Site

    root = Site.objects.get(is_default_site=True).root_page
    return root.add_child(instance=Page(title="Clicked", slug="clicked"))


def test_writing_adds_to_existing_rows_per_page_post_network_and_day(page):
    post = SocialPost.objects.create(page=page, channel="mastodon-demo", status=PostStatus.SENT)
    today = "2026-12-05"
    counts = {(page.pk, "", "x", today): 2, (page.pk, post.click_ref, "mastodon", today): 5,
              (page.pk, "", "x", "2026-12-04"): 1, (page.pk, "", "x", "not a day"): 9}
    assert save_counts(counts) == 3
    assert save_counts({(page.pk, "", "x", today): 1, (page.pk, post.click_ref, "mastodon",
                                                       today): 1}) == 2
    got = {(row.post_id, row.network, row.day): row.count for row in ClickCount.objects.all()}
    assert got == {(None, "x", date(2026, 12, 5)): 3, (post.pk, "mastodon", date(2026, 12, 5)): 6,
                   (None, "x", date(2026, 12, 4)): 1}


def test_writing_many_rows_takes_a_few_statements(page, django_assert_max_num_queries):
    counts = {(page.pk, "", f"net{i % 7}", (date(2026, 1, 1) + timedelta(days=i)).isoformat()): 1
              for i in range(1200)}
    with django_assert_max_num_queries(3 + 2 + 3):  # pages, restrictions, posts; 3 inserts
        assert save_counts(counts) == 1200
    assert ClickCount.objects.count() == 1200


@pytest.mark.django_db(transaction=True)
def test_two_writers_at_once_both_count(page):
    """Two flushes adding to the same rows from their own connections (PostgreSQL: at once)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite in memory has one connection; its writes are serialised anyway")
    counts = {(page.pk, "", "x", "2026-12-05"): 1, (page.pk, "", "bluesky", "2026-12-05"): 2}
    barrier = threading.Barrier(4)

    def writer() -> None:
        barrier.wait()
        for _ in range(10):
            save_counts(counts)
        connections.close_all()

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert dict(ClickCount.objects.values_list("network", "count")) == {"x": 40, "bluesky": 80}


# --- the chain -------------------------------------------------------------------------------

def test_no_chain_when_counts_wait_in_each_process(db):
    with override_settings(TASKS=DB_TASKS, WAGTAIL_SMO={"CLICKS": {"CACHE": ""}}):
        assert clicks.chain_interval() == 0 and not clicks.FLUSHING.ensure(clicks.flush_clicks)
    with override_settings(TASKS=DB_TASKS):  # the test settings' cache: local memory
        assert not clicks.FLUSHING.ensure(clicks.flush_clicks)
    assert not DeliveryLease.objects.exists()


def test_the_flush_chain_runs_on_its_own_lease_and_enqueues_its_next_round(
        db, redis_cache, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    caches = clicks_caches(redis_cache.key_prefix)
    smo = {"CLICKS": {"CACHE": "clicks", "FLUSH_INTERVAL": 30}}
    with override_settings(TASKS=DB_TASKS, CACHES=caches, WAGTAIL_SMO=smo):
        with django_capture_on_commit_callbacks(execute=True):
            assert clicks.FLUSHING.ensure(clicks.flush_clicks)
            assert not clicks.FLUSHING.ensure(clicks.flush_clicks)  # one chain
        [lease] = DeliveryLease.objects.all()
        assert lease.name == "flush-clicks"
        before = timezone.now()
        with django_capture_on_commit_callbacks(execute=True):
            assert clicks.flush_clicks.call(lease.token) == {"rows": 0}
        tasks = DBTaskResult.objects.filter(task_path=clicks.flush_clicks.module_path)
        assert [t.args_kwargs["args"] for t in tasks] == [[lease.token]] * 2
        assert max(t.run_after for t in tasks if t.run_after) >= before + timedelta(seconds=29)
        # A round whose token lost the lease stops: nothing more is queued.
        DeliveryLease.objects.update(token="another chain")
        assert clicks.flush_clicks.call(lease.token) == {"stopped": 1}
        assert tasks.count() == 2


def test_a_marker_from_another_interval_or_the_future_does_not_stall_the_flush():
    cache, clock = locmem(), Clock()
    buffer = CacheBuffer(cache, 60, clock=clock)
    written, write = collector()
    buffer.add(KEY)
    # A marker far ahead (written with a shorter FLUSH_INTERVAL: larger period numbers).
    cache.set(f"{buffer.prefix}:done", buffer.period() * 2)
    clock.now += 120
    assert buffer.flush(write) == 1 and written == Counter({KEY: 1})
    assert cache.get(f"{buffer.prefix}:done") == buffer.period() - 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_db_worker_flushes_redis_counts_by_itself(tmp_path):
    """A real ``db_worker`` starts the flush chain and writes counts a web process left in Redis,
    round after round, with no command and no cron."""
    if connection.vendor != "postgresql":
        pytest.skip("worker processes need a database shared with the test: PostgreSQL")
    import json

    from django.core.cache.backends.redis import RedisCache

    from tests.test_delivery_workers import make_pages, stop, wait_for
    from tests.workers import start_manage, worker_env

    [page] = make_pages(1)
    with redis_prefix() as prefix, override_settings(TASKS=DB_TASKS):
        env = {**worker_env(DB_TASKS), "SMO_TEST_CACHES": json.dumps(clicks_caches(prefix)),
               "SMO_TEST_WAGTAIL_SMO": json.dumps(
                   {"CLICKS": {"CACHE": "clicks", "FLUSH_INTERVAL": 1}})}
        buffer = CacheBuffer(RedisCache(LOCATION, {"KEY_PREFIX": prefix}), 1)
        for _ in range(5):
            buffer.add((page.pk, "", "x", "2026-12-05"))
        worker = start_manage(["db_worker", "--no-startup-delay", "--interval", "0.1"], env,
                              tmp_path / "worker.log")

        def total() -> int:
            return sum(ClickCount.objects.values_list("count", flat=True))

        try:
            assert wait_for(lambda: total() == 5, timeout=30), (tmp_path / "worker.log").read_text()
            buffer.add((page.pk, "", "x", "2026-12-05"))
            buffer.add((page.pk, "", "bluesky", "2026-12-05"))
            assert wait_for(lambda: total() == 7, timeout=30), (tmp_path / "worker.log").read_text()
        finally:
            stop(worker)
    assert DeliveryLease.objects.filter(name="flush-clicks").exists()
    assert dict(ClickCount.objects.values_list("network", "count")) == {"x": 6, "bluesky": 1}
