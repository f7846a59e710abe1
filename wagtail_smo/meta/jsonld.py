"""JSON-LD (schema.org) of a resolved ``SocialMeta``: Article, BreadcrumbList and WebSite."""

from __future__ import annotations

import json
from typing import Any

from .images import SocialImage
from .resolver import SocialMeta

# Inside <script> only "</script", "<!--" and "<script" are dangerous; escaping every <, > and &
# (as Django's json_script does) keeps the JSON valid and the element closed whatever the text.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
# Google shows at most 110 characters of an article headline.
HEADLINE_LENGTH = 110


def json_ld(meta: SocialMeta) -> list[dict[str, Any]]:
    """The schema.org objects describing the page, each one JSON-LD document."""
    documents = []
    if meta.is_site_root and meta.site_url:
        documents.append(_website(meta))
    if meta.schema_type and meta.url:
        documents.append(_article(meta))
    if len(meta.breadcrumbs) > 1:
        documents.append(_breadcrumbs(meta))
    return documents


def script_json(document: dict[str, Any]) -> str:
    """``document`` as JSON safe to place inside ``<script type="application/ld+json">``."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).translate(
        _SCRIPT_ESCAPES
    )


def _image_object(image: SocialImage) -> dict[str, Any]:
    return {
        "@type": "ImageObject",
        "url": image.url,
        "width": image.width,
        "height": image.height,
    }


def _organisation(meta: SocialMeta) -> dict[str, Any]:
    organisation: dict[str, Any] = {"@type": "Organization", "name": meta.publisher_name}
    if meta.site_url:
        organisation["url"] = meta.site_url
    if meta.publisher_logo:
        organisation["logo"] = _image_object(meta.publisher_logo)
    return organisation


def _website(meta: SocialMeta) -> dict[str, Any]:
    website: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": meta.site_name or meta.title,
        "url": meta.site_url,
    }
    if meta.description:
        website["description"] = meta.description_tag
    if meta.publisher_name:
        website["publisher"] = _organisation(meta)
    return website


def _article(meta: SocialMeta) -> dict[str, Any]:
    headline = meta.title
    if len(headline) > HEADLINE_LENGTH:
        headline = headline[: HEADLINE_LENGTH - 1].rsplit(" ", 1)[0] + "…"
    article: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": meta.schema_type,
        "headline": headline,
        "mainEntityOfPage": {"@type": "WebPage", "@id": meta.url},
        "url": meta.url,
    }
    if meta.description:
        article["description"] = meta.description_tag
    if meta.image:
        article["image"] = [meta.image.url]
    if meta.published_time:
        article["datePublished"] = meta.published_time.isoformat()
    if meta.modified_time:
        article["dateModified"] = meta.modified_time.isoformat()
    if meta.author:
        article["author"] = {"@type": "Person", "name": meta.author}
    if meta.publisher_name:
        article["publisher"] = _organisation(meta)
    if meta.section:
        article["articleSection"] = meta.section
    if meta.tags:
        article["keywords"] = list(meta.tags)
    if meta.locale:
        article["inLanguage"] = meta.locale.replace("_", "-")
    return article


def _breadcrumbs(meta: SocialMeta) -> dict[str, Any]:
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": crumb.title, "item": crumb.url}
            for position, crumb in enumerate(meta.breadcrumbs, start=1)
        ],
    }
