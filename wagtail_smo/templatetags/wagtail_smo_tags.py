"""Template tags of wagtail-smo: ``{% load wagtail_smo_tags %}``."""

from __future__ import annotations

from django import template

from ..meta import resolve

register = template.Library()


@register.inclusion_tag("wagtail_smo/social_meta.html", takes_context=True)
def social_meta(context, page=None):
    """Render every social meta tag of ``page`` (default: the context's ``page``).

    Works without a request (static builds): URLs come from the page's own Site.
    """
    page = page or context.get("page") or context.get("self")
    if page is None:
        return {"meta": None}
    return {"meta": resolve(page, context.get("request"))}
