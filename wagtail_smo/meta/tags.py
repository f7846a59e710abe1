"""The head tags of a resolved ``SocialMeta``: one list for the template tag and the API."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from .resolver import SocialMeta

# Titles are written whole (each network cuts its own); descriptions are cut at a word boundary
# (SocialMeta.description_tag, x_description): a body-long text is not repeated in every tag.


@dataclass(frozen=True)
class HeadTag:
    """One ``<meta>`` or ``<link>`` element: ``attr`` is "property", "name" or "rel"."""

    attr: str
    key: str
    value: str

    @property
    def element(self) -> str:
        """"link" for ``rel`` tags, else "meta"."""
        return "link" if self.attr == "rel" else "meta"

    @property
    def html(self) -> SafeString:
        """The element as HTML, every value escaped (as Django's ``escape`` does)."""
        key, value = escape(self.key, quote=True), escape(self.value, quote=True)
        if self.attr == "rel":
            return mark_safe(f'<link rel="{key}" href="{value}">')  # noqa: S308 (escaped)
        return mark_safe(f'<meta {self.attr}="{key}" content="{value}">')  # noqa: S308 (escaped)

    def as_dict(self) -> dict[str, str]:
        """The tag as its HTML attributes, e.g. {"property": "og:title", "content": "..."}."""
        if self.attr == "rel":
            return {"element": "link", "rel": self.key, "href": self.value}
        return {"element": "meta", self.attr: self.key, "content": self.value}


# Tags that copy one attribute each, as (attr, key, attribute), in document order. A value
# left empty leaves its tag out; a datetime is written in ISO 8601.
_SITE_TAGS = (
    ("name", "description", "description_tag"),
    ("rel", "canonical", "url"),
    ("property", "og:title", "title"),
    ("property", "og:description", "description_tag"),
    ("property", "og:url", "url"),
    ("property", "og:type", "og_type"),
    ("property", "og:site_name", "site_name"),
    ("property", "og:locale", "locale"),
)
_IMAGE_TAGS = (  # read from the SocialImage
    ("property", "og:image", "url"),
    ("property", "og:image:secure_url", "secure_url"),
    ("property", "og:image:type", "mime_type"),
    ("property", "og:image:width", "width"),
    ("property", "og:image:height", "height"),
    ("property", "og:image:alt", "alt"),
)
_ARTICLE_TAGS = (
    ("property", "article:published_time", "published_time"),
    ("property", "article:modified_time", "modified_time"),
    ("property", "article:author", "author"),
    ("property", "article:section", "section"),
)
_X_TAGS = (
    ("name", "twitter:site", "x_site"),
    ("name", "twitter:creator", "x_creator"),
    ("name", "twitter:title", "title"),
    ("name", "twitter:description", "x_description"),
)


def head_tags(meta: SocialMeta) -> list[HeadTag]:
    """Every head tag of ``meta``, in document order, leaving out tags without a value."""
    tags: list[HeadTag] = []

    def add(attr: str, key: str, value: object) -> None:
        if isinstance(value, datetime):
            value = value.isoformat()
        if value not in (None, ""):
            tags.append(HeadTag(attr, key, str(value)))

    def add_all(table: Iterable[tuple[str, str, str]], source: object) -> None:
        for attr, key, name in table:
            add(attr, key, getattr(source, name))

    add_all(_SITE_TAGS, meta)
    for alternate in meta.locale_alternates:
        add("property", "og:locale:alternate", alternate)
    if meta.image is not None:
        add_all(_IMAGE_TAGS, meta.image)
    add("property", "fb:app_id", meta.facebook_app_id)
    if meta.og_type == "article":
        add_all(_ARTICLE_TAGS, meta)
        for tag in meta.tags:
            add("property", "article:tag", tag)
    add("name", "twitter:card", "summary_large_image" if meta.image else "summary")
    add_all(_X_TAGS, meta)
    if meta.image:
        add("name", "twitter:image", meta.image.url)
        add("name", "twitter:image:alt", meta.image.alt)
    for number, (label, data) in enumerate(_labels(meta), start=1):
        add("name", f"twitter:label{number}", label)
        add("name", f"twitter:data{number}", data)
    add("name", "fediverse:creator", meta.fediverse_creator)
    for url in meta.profile_links:
        add("rel", "me", url)
    return tags


def _labels(meta: SocialMeta) -> list[tuple[str, str]]:
    """twitter:label/data pairs shown by Slack and others: author, then reading time."""
    labels = []
    if meta.author:
        labels.append((gettext("Written by"), meta.author))
    if meta.reading_minutes and meta.og_type == "article":
        minutes = meta.reading_minutes
        labels.append(
            (
                gettext("Est. reading time"),
                ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes},
            )
        )
    return labels


def tags_html(tags: list[HeadTag]) -> SafeString:
    """The tags as HTML, one per line."""
    return mark_safe("".join(tag.html + "\n" for tag in tags))  # noqa: S308 (escaped in .html)
