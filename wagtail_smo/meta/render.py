"""Rendering of the social meta tags: ``{% social_meta %}`` and the static-build path."""

from __future__ import annotations

from django.http import HttpRequest
from django.template import Context
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Page

from . import cache
from .jsonld import json_ld, script_json
from .requests import caches_for, request_context, resolve_for_request
from .resolver import SocialMeta
from .tags import head_tags, tags_html

TEMPLATE = "wagtail_smo/social_meta.html"


def render_meta(meta: SocialMeta, *, json_ld_enabled: bool = True) -> SafeString:
    """The HTML of every social tag of ``meta`` (meta and link tags, then JSON-LD scripts)."""
    documents = [script_json(doc) for doc in json_ld(meta)] if json_ld_enabled else []
    tags = head_tags(meta)
    # The tags are joined in Python (a template loop over ~40 tags costs more than resolving);
    # an overriding template still gets ``tags`` (HeadTag objects) to lay them out itself.
    return render_to_string(
        TEMPLATE, {"meta": meta, "tags": tags, "tags_html": tags_html(tags), "json_ld": documents}
    )


def render_page_meta(
    page: Page, request: HttpRequest | None = None, *, json_ld_enabled: bool = True
) -> SafeString:
    """The social tags of ``page``; identical with or without a request (static builds).

    For a page view the rendered head is kept in the meta cache's entry: warm, it costs one cache
    read (no query, no rendering), and it follows the entry's invalidation rules.
    """
    slot = None
    variant = cache.head_variant(json_ld_enabled)
    if request is not None and caches_for(request):
        context = request_context(request)
        if cache.cacheable(page, context, True):
            meta, slot = cache.lookup(page, context)
            head = slot.heads.get(variant)
            if head is not None:
                return mark_safe(head)  # noqa: S308 (rendered and escaped by render_meta)
    meta = resolve_for_request(page, request)
    html = render_meta(meta, json_ld_enabled=json_ld_enabled)
    if slot is not None:
        slot.store_head(variant, meta, html)
    return html


def social_meta_tag(context: Context, page: Page | None = None, json_ld: bool = True) -> SafeString:
    """``{% social_meta [page] [json_ld=False] %}``: the social tags of ``page``.

    ``page`` defaults to the template's ``page`` (or ``self``). Works without a request.
    """
    page = page or context.get("page") or context.get("self")
    if not isinstance(page, Page):
        return SafeString("")
    return render_page_meta(page, context.get("request"), json_ld_enabled=json_ld)
