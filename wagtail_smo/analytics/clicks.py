"""First-party clicks: visits that arrive through one of our links, counted per page, post,
network and day, without anything about the visitor.

Where: Wagtail's ``on_serve_page`` hook (``count_clicks``, registered in ``wagtail_hooks.py``)
wraps the serving of a page. It has the page object Wagtail routed to, so it needs no lookup
(a middleware would have to find the page again from the path), and it sees the response, so
only a 200 counts. It is registered inside Wagtail's own view-restriction wrapper (also an
``on_serve_page`` hook), so a login or password form answered instead of the page never reaches
it; a visitor let in (a member of the group) is buffered, and the page's restriction leaves the
count out when it is written. No middleware to add: installing the app is enough.

What counts: a ``GET`` answered 200 whose query has ``utm_source`` and either our post tag
(``utm_content=smo-<click reference>``) or one of our mediums (``UTM["MEDIUM"]``, "rss",
"export"): share buttons, posts, feeds and exports. Not counted: any other method, known bots
and requests without a user agent (``bots.py``), browser prefetches (``Sec-Purpose``/``Purpose``
prefetch), malformed values, links without our tags. Nothing is stored about the visitor: no
cookie is set, no IP address or user agent is kept; the key is (page, post reference, network,
day). On the request path: one cache ``incr`` (Redis, Memcached) or one in-process counter,
never a database query; the counts reach ``ClickCount`` when flushed (``flush``).

The flush runs as the ``flush_clicks`` task, a self-chaining periodic task on the mechanism of
the self-healing delivery (``posts.healing.Chain``, its own lease), started with the task
workers, and as ``manage.py smo_flush_clicks``. An in-process buffer is flushed by its own
process after a response. A cache that is down loses the counts of its outage (logged once),
never the page.
"""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Callable
from typing import Any

from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django_tasks import task
from wagtail.models import Page

from ..conf import smo_settings
from ..posts.healing import Chain
from ..share.utm import click_ref_from
from .bots import is_bot
from .buffer import CacheBuffer, ClickKey, MemoryBuffer
from .click_store import save_counts

logger = logging.getLogger("wagtail_smo.analytics")

#: Cache backends whose ``incr`` is atomic and shared by every process (module prefixes).
SHARED_CACHES = (
    "django.core.cache.backends.redis", "django.core.cache.backends.memcached", "django_redis.",
)
#: ``utm_medium`` values our own links carry besides ``UTM["MEDIUM"]``: feeds and exports.
OTHER_MEDIUMS = ("rss", "export")
#: A ``utm_source`` we keep: a network alias or a word such as "rss" or "feed".
_NETWORK = re.compile(r"[a-z0-9][a-z0-9._-]{0,49}")

#: The in-process buffer (sites without a shared cache).
MEMORY = MemoryBuffer()
_state = {"failing": False}

ServeChain = Callable[[Page, HttpRequest, Any, Any], HttpResponse]


def shared_cache() -> Any | None:
    """The cache buffering the counts, or None when counts are buffered in each process."""
    alias = smo_settings.CLICKS["CACHE"]
    if not alias:
        return None
    cache = caches[alias]
    return cache if type(cache).__module__.startswith(SHARED_CACHES) else None


def cache_buffer() -> CacheBuffer | None:
    """The shared-cache buffer of the current settings, or None (see ``shared_cache``)."""
    cache = shared_cache()
    if cache is None:
        return None
    return CacheBuffer(cache, float(smo_settings.CLICKS["FLUSH_INTERVAL"]))


def tracked_click(request: HttpRequest, page: Page) -> ClickKey | None:
    """The key of a view of ``page`` through one of our links, or None when it is not one."""
    params = request.GET
    source = params.get("utm_source", "").strip().lower()
    if not source or request.method != "GET":
        return None
    ref = click_ref_from(params.get("utm_content", "")) or ""
    medium = params.get("utm_medium", "")
    if not ref and medium not in (smo_settings.UTM["MEDIUM"], *OTHER_MEDIUMS):
        return None  # someone else's UTM tags (a newsletter tool, an ad): not our link
    if not _NETWORK.fullmatch(source):
        return None
    headers = request.headers
    if "prefetch" in headers.get("Sec-Purpose", "") or headers.get("Purpose") == "prefetch":
        return None  # the browser guessed the visitor might come: a visit not made yet
    if is_bot(headers.get("User-Agent", "")):
        return None
    return page.pk, ref, source, today().isoformat()


def today() -> datetime.date:
    """The site's date now (its ``TIME_ZONE``; the server's date when ``USE_TZ`` is off)."""
    now = timezone.now()
    return timezone.localtime(now).date() if timezone.is_aware(now) else now.date()


def record(key: ClickKey) -> None:
    """Buffer one click: the shared cache's ``incr``, else this process's counter."""
    buffer = cache_buffer()
    if buffer is None:
        MEMORY.add(key)
        return
    try:
        buffer.add(key)
    except Exception:
        if not _state["failing"]:  # once per outage: a log line per view would flood the log
            logger.exception("wagtail-smo: the click cache is not answering; clicks are lost "
                             "until it does")
        _state["failing"] = True
    else:
        _state["failing"] = False


def count_clicks(serve: ServeChain) -> ServeChain:
    """Wagtail ``on_serve_page`` hook: serve the page, then count a view through our link."""

    def serve_and_count(page: Page, request: HttpRequest, args: Any, kwargs: Any
                        ) -> HttpResponse:
        response = serve(page, request, args, kwargs)
        if ("utm_source" in request.GET and response.status_code == 200 and page.live
                and smo_settings.CLICKS["ENABLED"]):
            try:
                key = tracked_click(request, page)
                if key is not None:
                    record(key)
            except Exception:  # counting must never break a page
                logger.exception("wagtail-smo: a click could not be counted")
        return response

    return serve_and_count


def flush(*, everything: bool = False) -> dict[str, int]:
    """Write the buffered counts into ``ClickCount`` (this process's and the shared cache's).

    ``everything`` also takes the counts of the current period (``smo_flush_clicks --all``);
    the periodic flush takes closed periods only. Returns ``{"rows": n}``, with ``"busy": 1``
    when another flush of the shared cache was running.
    """
    result = {"rows": MEMORY.flush(save_counts)}
    buffer = cache_buffer()
    if buffer is not None:
        rows = buffer.flush(save_counts, everything=everything)
        if rows is None:
            result["busy"] = 1
        else:
            result["rows"] += rows
    return result


def flush_memory_if_due(**kwargs: Any) -> None:
    """``request_finished`` receiver: flush this process's counts when due (after a response,
    so the visitor never waits for it)."""
    if MEMORY.empty():
        return  # most requests: nothing buffered in this process, no settings read
    config = smo_settings.CLICKS
    if not MEMORY.due(float(config["FLUSH_INTERVAL"]), config["FLUSH_HITS"]):
        return
    try:
        MEMORY.flush(save_counts)
    except Exception:
        logger.exception("wagtail-smo: buffered clicks could not be written; kept for later")


def flush_memory_at_exit() -> None:
    """At process exit: write what this process still holds (nothing to do when empty)."""
    if not MEMORY.empty():
        try:
            MEMORY.flush(save_counts)
        except Exception:
            logger.exception("wagtail-smo: buffered clicks could not be written at exit")


def chain_interval() -> float:
    """Seconds between two flushes by the task chain; 0 (no chain) when counting is off or
    counts wait in each web process (a worker could not reach them)."""
    config = smo_settings.CLICKS
    if not config["ENABLED"] or not config["CACHE"] or shared_cache() is None:
        return 0.0
    return float(config["FLUSH_INTERVAL"])


FLUSHING = Chain("flush-clicks", chain_interval, "Click counts")


@task()
def flush_clicks(token: str) -> dict:
    """One round of the click flush chain: write closed periods' counts, enqueue the next."""
    return FLUSHING.run_round(flush_clicks, token, flush)
