"""Which pages are feed items, and the section a feed URL or ``--section`` names.

What the public may see and what a section is are decided in ``wagtail_smo.pages``; feeds and
exports list only pages it calls visible and listed, so drafts, pages under a view restriction and
pages an editor kept out of feeds can never leak.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps
from django.db.models import F, QuerySet
from wagtail.models import Page, Site, get_page_models

from ..conf import smo_settings
from ..pages import PAGE_DATE, is_section, visible_pages, with_page_date

# ``is_section`` is also read from here by ``feeds.changes`` (another lane's module).
__all__ = ["UnknownSection", "feed_models", "find_section", "is_section", "item_pages",
           "section_path"]


class UnknownSection(LookupError):
    """The section asked for does not exist on the site, is not visible, or is not a section."""


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


def item_pages(
    site: Site, section: Page | None = None, models: Iterable[type[Page]] | None = None
) -> QuerySet:
    """Visible items of a site (or a section of it), newest first; base ``Page`` instances."""
    queryset = visible_pages(section=section or site.root_page, listed=True)
    queryset = with_page_date(queryset.type(*(models or feed_models())))
    return queryset.order_by(F(PAGE_DATE).desc(nulls_last=True), "-pk")


def find_section(site: Site, path_or_id: str | int) -> Page:
    """The visible section of ``site`` given by its path ("/blog/") or its page id.

    Raises ``UnknownSection`` when there is no such visible page on the site or it is a leaf.
    """
    value = str(path_or_id).strip()
    # Visible, but not only listed ones: keeping an index page itself out of the feeds must not
    # take its section's feed away.
    queryset = visible_pages(site)
    if value.isdigit():
        page = queryset.filter(pk=int(value)).first()
    else:
        path = "/".join(part for part in value.split("/") if part)
        url_path = site.root_page.url_path + (path + "/" if path else "")
        page = queryset.filter(url_path=url_path).first()
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
