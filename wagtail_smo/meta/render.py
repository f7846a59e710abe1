"""Rendering of the social meta tags: ``{% social_meta %}`` and the static-build path."""

from __future__ import annotations

from django.http import HttpRequest
from django.template import Context
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from wagtail.models import Page

from .jsonld import json_ld, script_json
from .requests import resolve_for_request
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
    """The social tags of ``page``; identical with or without a request (static builds)."""
    return render_meta(resolve_for_request(page, request), json_ld_enabled=json_ld_enabled)


def social_meta_tag(context: Context, page: Page | None = None, json_ld: bool = True) -> SafeString:
    """``{% social_meta [page] [json_ld=False] %}``: the social tags of ``page``.

    ``page`` defaults to the template's ``page`` (or ``self``). Works without a request.
    """
    page = page or context.get("page") or context.get("self")
    if not isinstance(page, Page):
        return SafeString("")
    return render_page_meta(page, context.get("request"), json_ld_enabled=json_ld)
