"""Implementations of ``{% feed_links [page] %}`` and ``{% subscribe_links [page] %}``.

Both are registered in ``wagtail_smo.templatetags.wagtail_smo_tags``.
"""

from __future__ import annotations

from django.template import Context
from wagtail.models import Page

from ..share.icons import icon_svg
from ..share.tags import context_page, variant_name
from .render import feed_links_for


def feed_links(context: Context, page: Page | None = None) -> dict:
    """``<link rel="alternate">`` tags for the section's and the site's feeds of ``page``.

    ``page`` defaults to the context's ``page``; without a page (e.g. a Django view) nothing is
    rendered. Template: ``wagtail_smo/feed_links.html``.
    """
    page = page or context.get("page") or context.get("self")
    if page is None or not hasattr(page, "get_site"):
        return {"links": []}
    return {"links": feed_links_for(page, context.get("request"))}


def subscribe_links_context(
    context: Context, page: Page | None = None, variant: str = "labels"
) -> dict:
    """Context of ``{% subscribe_links %}``: the page's feeds with a copy-URL button each."""
    page = context_page(context, page)
    if page is None:
        return {"feeds": []}
    return {
        "feeds": feed_links_for(page, context.get("request")),
        "variant": variant_name(variant),
        "icon": icon_svg("rss"),
        "copy_icon": icon_svg("copy"),
    }
