"""Where click counts wait between a page view and the database: nothing is written per view.

- ``CacheBuffer``: counters in a shared cache with an atomic ``incr`` (Redis, Memcached), one
  ``INCR`` per counted view (plus three operations for the first view of a page, post, network
  and day in a period). Counters live in *periods* of ``FLUSH_INTERVAL`` seconds; each period
  registers its counters in numbered slots (``incr`` on the period's slot count, then a ``set``),
  because a cache cannot list its keys. The flush (a task, or ``smo_flush_clicks``) takes the
  counts of closed periods, writes them, then deletes the period's keys.
- ``MemoryBuffer``: a counter in this process, for sites whose cache is per process (local
  memory, dummy, file, database: a flush task in a worker could not read them). The process
  that counted flushes it after a response (``request_finished``), every ``FLUSH_INTERVAL``
  seconds or ``FLUSH_HITS`` clicks, and when it exits.

Taking a count is ``decr`` by the value read, not a delete: a view counted between the read and
the take stays for the next flush, and a take that drives a counter below zero (a second flush
took it first) is given back, so two flushes never count a view twice. A lock in the cache keeps
flushes one at a time besides (Memcached stops ``decr`` at zero). A flush that fails to write
gives its counts back; one killed between taking and writing loses them (at most once: never
counted twice). Changing ``FLUSH_INTERVAL`` renumbers the periods: counts still buffered under
the old numbers are not found again (run ``smo_flush_clicks --all`` before the change).
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import Any

#: (page id, post click reference or "", network, day as "YYYY-MM-DD").
ClickKey = tuple[int, str, str, str]
#: Counts written by a flush; returns how many rows it wrote.
Writer = Callable[[dict[ClickKey, int]], int]

PREFIX = "smo:clicks"
#: Counters not flushed within a week are dropped by the cache (no flush ran for a week).
KEEP_SECONDS = 7 * 24 * 3600
#: Keys read per round trip.
BATCH = 500


def encode(key: ClickKey) -> str:
    """One key's fields as a cache-safe string (no spaces, "|" never appears in a field)."""
    return "|".join(str(part) for part in key)


def decode(value: str) -> ClickKey | None:
    """The fields of ``encode``; None for anything else (a slot overwritten, a foreign value)."""
    parts = value.split("|") if isinstance(value, str) else []
    if len(parts) != 4 or not parts[0].isdigit():
        return None
    return int(parts[0]), parts[1], parts[2], parts[3]


def _chunks(items: list[str], size: int = BATCH) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


class MemoryBuffer:
    """Counts of this process, flushed by the process itself (``due()`` says when)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[ClickKey] = Counter()
        self._hits = 0
        self._since: float | None = None  # when the first unflushed click came

    def add(self, key: ClickKey) -> None:
        """Count one click."""
        with self._lock:
            self._counts[key] += 1
            self._hits += 1
            if self._since is None:
                self._since = time.monotonic()

    def empty(self) -> bool:
        """Whether no click waits in this buffer."""
        return self._since is None

    def due(self, interval: float, hits: int) -> bool:
        """Whether a flush is due: ``hits`` clicks or ``interval`` seconds since the first."""
        since = self._since
        return since is not None and (
            self._hits >= hits or time.monotonic() - since >= interval)

    def take(self) -> dict[ClickKey, int]:
        """Every count, removed from the buffer."""
        with self._lock:
            counts, self._counts = dict(self._counts), Counter()
            self._hits, self._since = 0, None
        return counts

    def give_back(self, counts: dict[ClickKey, int]) -> None:
        """Counts a flush could not write, for the next one."""
        with self._lock:
            self._counts.update(counts)
            self._hits += sum(counts.values())
            if self._since is None:
                self._since = time.monotonic()

    def flush(self, write: Writer) -> int:
        """Write every count with ``write``; counts it could not write are kept."""
        counts = self.take()
        if not counts:
            return 0
        try:
            return write(counts)
        except Exception:
            self.give_back(counts)
            raise


class CacheBuffer:
    """Counts in a shared cache, by period of ``interval`` seconds (see the module docstring)."""

    def __init__(self, cache: Any, interval: float, prefix: str = PREFIX,
                 clock: Callable[[], float] = time.time) -> None:
        self.cache, self.interval, self.prefix, self.clock = cache, interval, prefix, clock

    def period(self) -> int:
        """The number of the current period."""
        return int(self.clock() // self.interval)

    def _counter(self, period: int, field: str) -> str:
        return f"{self.prefix}:c:{period}:{field}"

    def _incr(self, key: str) -> int | None:
        """``incr`` of an existing key; None when it is missing."""
        try:
            return self.cache.incr(key)
        except ValueError:
            return None

    def add(self, key: ClickKey) -> None:
        """Count one click: ``incr`` of its counter, created and registered when missing."""
        period, field = self.period(), encode(key)
        counter = self._counter(period, field)
        if self._incr(counter) is not None:
            return
        if not self.cache.add(counter, 1, KEEP_SECONDS):
            self.cache.incr(counter)  # created by another process meanwhile
            return
        slots = f"{self.prefix}:n:{period}"
        slot = self._incr(slots)
        if slot is None:
            slot = 1 if self.cache.add(slots, 1, KEEP_SECONDS) else self.cache.incr(slots)
        self.cache.set(f"{self.prefix}:k:{period}:{slot}", field, KEEP_SECONDS)

    def flush(self, write: Writer, *, everything: bool = False) -> int | None:
        """Write the counts of closed periods (and the open ones too if ``everything``).

        Returns the rows written, or None when another flush holds the lock.
        """
        lock, token = f"{self.prefix}:lock", uuid.uuid4().hex
        if not self.cache.add(lock, token, max(int(self.interval * 2), 60)):
            return None
        try:
            return self._flush(write, everything)
        finally:
            if self.cache.get(lock) == token:
                self.cache.delete(lock)

    def _flush(self, write: Writer, everything: bool) -> int:
        current = self.period()
        # A period is closed one whole period after its end: a view counted by a slow request
        # that read the clock just before the period ended has landed by then.
        closed = current - 2
        done_key = f"{self.prefix}:done"
        done = self.cache.get(done_key)
        # Never further back than counters live, and never past now: a marker missing (evicted),
        # or written with another FLUSH_INTERVAL (other period numbers), starts from the horizon.
        horizon = current - int(KEEP_SECONDS // self.interval)
        valid = isinstance(done, int) and horizon <= done <= current
        first = done + 1 if valid else horizon
        periods = list(range(first, current + 1 if everything else closed + 1))
        counts, taken, finished = self._take(periods, closed)
        if counts:
            try:
                written = write(counts)
            except Exception:
                for counter, value in taken:
                    self.cache.incr(counter, value)  # for the next flush
                raise
        else:
            written = 0
        self.cache.delete_many(finished)
        if closed >= first:
            self.cache.set(done_key, closed, KEEP_SECONDS)
        return written

    def _take(self, periods: list[int], closed: int
              ) -> tuple[dict[ClickKey, int], list[tuple[str, int]], list[str]]:
        """Take the counts of ``periods``: (counts, (counter, value) taken, keys to delete)."""
        counts: Counter[ClickKey] = Counter()
        taken: list[tuple[str, int]] = []
        finished: list[str] = []
        slot_counts = self._get_many([f"{self.prefix}:n:{p}" for p in periods])
        for period in periods:
            size = slot_counts.get(f"{self.prefix}:n:{period}")
            if not isinstance(size, int) or size < 1:
                continue
            slot_keys = [f"{self.prefix}:k:{period}:{n}" for n in range(1, size + 1)]
            fields = self._get_many(slot_keys)
            counters = {self._counter(period, f): f for f in fields.values() if isinstance(f, str)}
            for counter, value in self._get_many(list(counters)).items():
                key = decode(counters[counter])
                if key is None or not isinstance(value, int) or value < 1:
                    continue
                if self.cache.decr(counter, value) < 0:
                    self.cache.incr(counter, value)  # another flush took it: give it back
                    continue
                counts[key] += value
                taken.append((counter, value))
            if period <= closed:
                finished += [*slot_keys, *counters, f"{self.prefix}:n:{period}"]
        return dict(counts), taken, finished

    def _get_many(self, keys: Iterable[str]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for chunk in _chunks(list(keys)):
            found.update(self.cache.get_many(chunk))
        return found
