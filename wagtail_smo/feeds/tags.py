"""Implementation of ``{% feed_links [page] %}`` (registered in ``wagtail_smo_tags``)."""

from __future__ import annotations

from .render import feed_links_for


def feed_links(context, page=None) -> dict:
    """``<link rel="alternate">`` tags for the section's and the site's feeds of ``page``.

    ``page`` defaults to the context's ``page``; without a page (e.g. a Django view) nothing is
    rendered. Template: ``wagtail_smo/feed_links.html``.
    """
    page = page or context.get("page") or context.get("self")
    if page is None or not hasattr(page, "get_site"):
        return {"links": []}
    return {"links": feed_links_for(page, context.get("request"))}
