"""What happens to feeds when pages change: a change stamp, cache purges and WebSub pings.

``page_published`` is the one signal for publishing (the admin, scheduled publishing, workflows,
the API); it also fires when a page is only scheduled, hence the ``instance.live`` guard.
Unpublishing and view restrictions change feeds too (a page leaves them), so they bump the stamp
and purge as well: a cached feed must not keep showing a page that is no longer public. The
receivers are connected in ``signal_handlers.py``; the WebSub ping is enqueued through the one
queue helper (``WAGTAIL_SMO["DELIVERY"]``'s backend and queue, after the commit).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from functools import partial
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from wagtail.models import Page, PageViewRestriction, Site

from ..conf import smo_settings
from ..queue import enqueue
from .pages import is_section
from .render import FEED_FILES, feed_url
from .tasks import ping_websub

logger = logging.getLogger("wagtail_smo")
CHANGED_KEY = "wagtail-smo:feeds-changed"


def feeds_changed_at() -> datetime | None:
    """When a page last left or entered the feeds (publish, unpublish, view restriction)."""
    value = cache.get(CHANGED_KEY)
    return datetime.fromtimestamp(value, tz=UTC) if value else None


def mark_feeds_changed() -> None:
    """Record that feed contents changed now (feeds' Last-Modified is at least this)."""
    cache.set(CHANGED_KEY, datetime.now(tz=UTC).timestamp(), None)


def affected_feed_urls(page: Page) -> list[str]:
    """Absolute URLs of every feed that lists ``page``: the site's and each enclosing section's."""
    site = page.get_site()
    if site is None:
        return []
    sections: list[Page | None] = [None]
    ancestors = page.get_ancestors(inclusive=True).filter(depth__gt=site.root_page.depth)
    sections += [p for p in ancestors if is_section(p)]
    urls = []
    for section in dict.fromkeys(sections):
        for kind in FEED_FILES:
            url = feed_url(site, section, kind)
            if url:
                urls.append(url)
    return urls


def on_page_published(sender: type[Page], instance: Page, **kwargs: Any) -> None:
    """``page_published`` receiver: purge and ping once the transaction commits."""
    if not instance.live:  # only scheduled, not published yet
        return
    _feeds_changed(instance)


def on_page_unpublished(sender: type[Page], instance: Page, **kwargs: Any) -> None:
    """``page_unpublished`` receiver: the page leaves the feeds; purge cached copies."""
    _feeds_changed(instance)


def on_view_restriction_changed(
    sender: type[PageViewRestriction], instance: PageViewRestriction, **kwargs: Any
) -> None:
    """A view restriction added or removed changes what the feeds may list."""
    mark_feeds_changed()
    if getattr(instance, "page_id", None):
        _feeds_changed(instance.page)


def on_site_changed(sender: type[Site], **kwargs: Any) -> None:
    """A Site saved: moving or renaming a site changes every feed URL and title."""
    mark_feeds_changed()


def _feeds_changed(page: Page) -> None:
    mark_feeds_changed()
    urls = affected_feed_urls(page)
    if not urls:
        return
    config = smo_settings.FEEDS
    # Purge only where the site uses wagtail.contrib.frontend_cache (it has backends configured).
    if config["PURGE_ON_PUBLISH"] and getattr(settings, "WAGTAILFRONTENDCACHE", None):
        transaction.on_commit(partial(purge, urls))
    if config["WEBSUB_HUB"]:
        enqueue(ping_websub, config["WEBSUB_HUB"], urls)


def purge(urls: list[str]) -> None:
    """Purge ``urls`` from the front-end caches of ``wagtail.contrib.frontend_cache``."""
    from wagtail.contrib.frontend_cache.utils import PurgeBatch

    batch = PurgeBatch()
    batch.add_urls(urls)
    batch.purge()
