"""Which pages the public may see in feeds and exports, and which pages are sections.

Everything that lists pages outside the page tree itself (feeds, exports, sitemaps-like outputs)
goes through ``visible_pages`` so that drafts, pages under a view restriction and pages an editor
kept out of feeds can never leak.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Q, QuerySet
from wagtail.models import Page, Site, get_page_models

from ..conf import smo_settings


class UnknownSection(LookupError):
    """The section asked for does not exist on the site, is not visible, or is not a section."""


def visible_pages(queryset: QuerySet) -> QuerySet:
    """Pages of ``queryset`` the public may see: live, not under a view restriction, not excluded.

    ``exclude_from_feeds`` lives on each concrete page model (the ``SocialMetaMixin``); pages
    whose model lacks it are never excluded.
    """
    queryset = queryset.live().public()
    excluded = _excluded_q()
    return queryset.exclude(excluded) if excluded is not None else queryset


def _excluded_q() -> Q | None:
    """A filter on the base Page table matching pages whose editor ticked exclude_from_feeds."""
    query = None
    for model in get_page_models():
        if model._meta.abstract or model is Page or not _has_own_field(model, "exclude_from_feeds"):
            continue
        # Filter through the base table's link to the concrete table: one subquery per model.
        ids = model.objects.filter(exclude_from_feeds=True).values("pk")
        clause = Q(pk__in=ids)
        query = clause if query is None else query | clause
    return query


def _has_own_field(model, name: str) -> bool:
    return any(field.name == name for field in model._meta.get_fields())


def feed_models() -> list[type[Page]]:
    """Page models whose pages appear as feed items (``WAGTAIL_SMO["FEEDS"]["PAGE_TYPES"]``).

    Default: every model whose ``smo_og_type`` is "article"; when no model says so, every model.
    """
    names = smo_settings.FEEDS.get("PAGE_TYPES") or []
    if names:
        return [apps.get_model(name) for name in names]
    models = [
        m for m in get_page_models()
        if not m._meta.abstract and getattr(m, "smo_og_type", "") == "article"
    ]
    return models or [m for m in get_page_models() if not m._meta.abstract]


def item_pages(site: Site, section: Page | None = None, models=None) -> QuerySet:
    """Visible items of a site (or a section of it), newest first; base ``Page`` instances."""
    root = section or site.root_page
    queryset = Page.objects.descendant_of(root).type(*(models or feed_models()))
    return visible_pages(queryset).order_by("-first_published_at", "-pk")


def is_section(page: Page) -> bool:
    """Whether ``page`` has its own feed: it has child pages (an index, not a leaf)."""
    return page.numchild > 0


def find_section(site: Site, path_or_id: str | int) -> Page:
    """The visible section of ``site`` given by its path ("/blog/") or its page id.

    Raises ``UnknownSection`` when there is no such visible page on the site or it is a leaf.
    """
    root = site.root_page
    value = str(path_or_id).strip()
    if value.isdigit():
        queryset = Page.objects.filter(pk=int(value))
    else:
        path = "/".join(part for part in value.split("/") if part)
        url_path = root.url_path + (path + "/" if path else "")
        queryset = Page.objects.filter(url_path=url_path)
    # Live and public, but not filtered on exclude_from_feeds: keeping an index page itself out
    # of the feeds must not take its section's feed away.
    page = queryset.descendant_of(root, inclusive=True).live().public().first()
    if page is None:
        raise UnknownSection(f"no visible page {value!r} on site {site.hostname}")
    if not is_section(page):
        raise UnknownSection(f"page {value!r} on site {site.hostname} is not a section")
    return page


def section_path(site: Site, section: Page | None) -> str:
    """The path of ``section`` relative to the site root, e.g. "blog/news" ("" for the root)."""
    if section is None or section.pk == site.root_page_id:
        return ""
    return section.url_path[len(site.root_page.url_path):].strip("/")
