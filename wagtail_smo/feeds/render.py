"""Build a site's or a section's feed: one code path for the live views and ``smo_export``.

Nothing here reads the request's host: every URL is absolute from the page's own Site, so the
bytes written by ``smo_export --format rss --section /blog/`` equal what ``/smo/feeds/blog/rss.xml``
serves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max, QuerySet
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from wagtail.models import Page, Site

from ..conf import smo_settings
from ..meta import request_context, resolve_for_request
from ..meta.requests import caches_for
from ..pages import section_of
from .generators import FEED_CLASSES, StreamingFeedMixin, language_tag
from .items import aware, iter_items, xml_safe
from .pages import item_pages, section_path

#: Feed kinds, their file names in URLs and their media types.
FEED_FILES = {"rss": "rss.xml", "atom": "atom.xml", "json": "feed.json"}
MIME_TYPES = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "json": "application/feed+json",
}
KIND_LABELS = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}


@dataclass(frozen=True)
class FeedLink:
    """An autodiscovery link: ``<link rel="alternate" type=mime_type title=title href=url>``."""

    title: str
    url: str
    mime_type: str
    kind: str  # "rss" | "atom" | "json"
    scope: str  # "site" | "section"


def feed_path(site: Site, section: Page | None, kind: str) -> str | None:
    """The path of a feed ("/smo/feeds/blog/rss.xml"), or None when the URLs are not installed."""
    path = section_path(site, section)
    try:
        if path:
            return reverse(
                "wagtail_smo:section_feed", kwargs={"section": path, "filename": FEED_FILES[kind]}
            )
        return reverse("wagtail_smo:feed", kwargs={"filename": FEED_FILES[kind]})
    except NoReverseMatch:
        return None


def feed_url(site: Site, section: Page | None, kind: str) -> str | None:
    """The absolute URL of a feed on its site (never from the request's Host header)."""
    path = feed_path(site, section, kind)
    return site.root_url.rstrip("/") + path if path else None


def build_feed(
    site: Site,
    section: Page | None,
    kind: str,
    *,
    pages: QuerySet | None = None,
    request: HttpRequest | None = None,
    limit: int | None = None,
    utm: bool | None = None,
) -> StreamingFeedMixin:
    """A streaming feed object (``write(outfile, "utf-8")``) of a site or one of its sections.

    ``pages`` (a queryset of base pages) replaces the default items, for export filters; ``limit``
    defaults to ``WAGTAIL_SMO["FEEDS"]["LIMIT"]`` (0 or None in ``pages`` mode: no limit).
    """
    config = smo_settings.FEEDS
    queryset = pages if pages is not None else item_pages(site, section)
    if limit is None:
        limit = config["LIMIT"]
    latest = _latest(queryset)
    if limit:
        queryset = queryset[:limit]
    root = (section or site.root_page).specific_deferred
    root_meta = resolve_for_request(root, request)
    site_name = root_meta.site_name or xml_safe(site.site_name) or site.hostname
    title = site_name if section is None or section.pk == site.root_page_id else (
        f"{root_meta.title} · {site_name}"
    )
    entries = iter_items(
        queryset,  # read as ids and types, each page then loaded once as its specific class
        # A request's one context serves the whole feed; without one, a context per chunk.
        context=request_context(request) if request is not None else None,
        use_cache=caches_for(request),
        utm=config["UTM"] if utm is None else utm,
        utm_source=config["UTM_SOURCE"],
        utm_medium="rss",
        full_content=config["FULL_CONTENT"],
    )
    url = feed_url(site, section, kind)
    return FEED_CLASSES[kind](
        title=xml_safe(title),
        link=root_meta.url or site.root_url,
        description=xml_safe(root_meta.description) or xml_safe(title),
        language=language_tag(root_meta.locale) if root_meta.locale else None,
        author_name=site_name,
        feed_url=url,
        feed_guid=url or root_meta.url,
        entries=entries,
        latest=latest,
        hub=config["WEBSUB_HUB"],
    )


def _latest(queryset: QuerySet) -> datetime | None:
    """The newest publish date among the feed's pages (one query): Last-Modified, lastBuildDate."""
    return aware(queryset.order_by().aggregate(latest=Max("last_published_at"))["latest"])


def feed_links_for(page: Page, request: HttpRequest | None = None) -> list[FeedLink]:
    """Autodiscovery links of ``page``: its section's feeds (when it has one), then the site's."""
    site = page.get_site()
    if site is None:
        return []
    section = section_of(page, site)
    links = []
    scopes = [("section", section)] if section is not None else []
    scopes.append(("site", None))
    for scope, scope_page in scopes:
        meta = resolve_for_request((scope_page or site.root_page).specific_deferred, request)
        name = meta.title if scope_page is not None else (meta.site_name or site.site_name)
        for kind in FEED_FILES:
            url = feed_url(site, scope_page, kind)
            if url:
                links.append(
                    FeedLink(
                        title=f"{name} ({KIND_LABELS[kind]})",
                        url=url,
                        mime_type=MIME_TYPES[kind],
                        kind=kind,
                        scope=scope,
                    )
                )
    return links
