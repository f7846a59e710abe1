"""Bulk export of the pages the public may see: feeds, CSV, JSON and scheduler formats.

``export(out, fmt, ...)`` is what ``manage.py smo_export`` runs; see docs/export.md. Feed formats
go through the same builder as the live feeds, so a static file equals the served feed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from datetime import datetime
from typing import TextIO

from django.db.models import QuerySet
from wagtail.models import Locale, Page, Site

from ..feeds.items import FeedItem, iter_items
from ..feeds.pages import item_pages
from ..feeds.render import build_feed
from ..pages import PAGE_DATE
from .writers import SCHEDULER_FORMATS, WRITERS, ExportOptions, Schedule

#: ``--format`` values: feed formats map to the feed kinds of ``wagtail_smo.feeds``.
FEED_FORMATS = {"rss": "rss", "atom": "atom", "jsonfeed": "json"}
FORMATS = [*FEED_FORMATS, *WRITERS]

__all__ = [
    "FEED_FORMATS", "FORMATS", "SCHEDULER_FORMATS", "ExportOptions", "Schedule", "export",
    "select_pages",
]


def select_pages(
    site: Site,
    section: Page | None = None,
    *,
    models: Iterable[type[Page]] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    locale: Locale | None = None,
) -> QuerySet:
    """Visible pages of a site or section, newest first, narrowed by type, dates and locale.

    ``since``/``until`` apply to the page's date (docs/meta.md#dates; ``until`` excluded).
    """
    queryset = item_pages(site, section, list(models) if models else None)
    if since is not None:
        queryset = queryset.filter(**{f"{PAGE_DATE}__gte": since})
    if until is not None:
        queryset = queryset.filter(**{f"{PAGE_DATE}__lt": until})
    if locale is not None:
        queryset = queryset.filter(locale=locale)
    return queryset


def export(
    out: TextIO,
    fmt: str,
    site: Site,
    section: Page | None,
    pages: QuerySet,
    *,
    limit: int | None = None,
    options: ExportOptions | None = None,
    progress: Callable[[int], object] | None = None,
) -> int | None:
    """Write ``pages`` to ``out`` in format ``fmt``; returns the number of rows (None for feeds).

    ``limit`` of None means the feed limit for feed formats and no limit otherwise; 0 means no
    limit. ``progress`` is called once per page written (e.g. a progress bar's ``update``).
    """
    return _export(out, fmt, site, section, pages, limit, options, progress)


def _export(
    out: TextIO, fmt: str, site: Site, section: Page | None, pages: QuerySet, limit: int | None,
    options: ExportOptions | None, progress: Callable[[int], object] | None,
) -> int | None:
    options = options or ExportOptions()
    if fmt in FEED_FORMATS:
        kind = FEED_FORMATS[fmt]
        feed = build_feed(site, section, kind, pages=pages, limit=limit, utm=options.utm)
        if progress is not None:
            feed.entries = _counting(feed.entries, progress)
        feed.write(out, "utf-8")
        return None
    if options.utm is None:  # exports tag links unless told not to (WAGTAIL_SMO["UTM"] decides)
        options = replace(options, utm=True)
    if limit:
        pages = pages[:limit]
    # Each chunk gets its own ResolveContext and stays out of the meta cache (use_cache=False).
    items = iter_items(pages, use_cache=False, utm=False, utm_medium="export")
    if progress is not None:
        items = _counting(items, progress)
    return WRITERS[fmt](items, out, options)


def _counting(items: Iterable[FeedItem], progress: Callable[[int], object]) -> Iterator[FeedItem]:
    for item in items:
        yield item
        progress(1)
