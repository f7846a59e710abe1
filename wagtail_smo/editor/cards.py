"""Card data for the "Social cards" preview: the resolved values cut and cropped per network."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.utils.text import Truncator
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from ..audit import describe_source
from ..meta import SocialMeta
from ..meta.sources import MISSING
from .networks import NetworkCard, card_styles


@dataclass(frozen=True)
class Card:
    """One network's card for one page, ready for the template."""

    style: NetworkCard
    title: str
    title_cut: bool
    description: str
    description_cut: bool
    site_label: str
    image_src: str
    image_alt: str
    title_source: str = ""
    description_source: str = ""
    image_source: str = ""


@dataclass(frozen=True)
class SourceLine:
    """A resolved value and, in words, where it came from."""

    key: str
    label: str
    value: str
    source: str


def cut(text: str, limit: int | None) -> tuple[str, bool]:
    """``text`` cut to ``limit`` characters with an ellipsis, and whether it was cut."""
    if limit is None:
        return "", False
    if len(text) <= limit:
        return text, False
    return Truncator(text).chars(limit, truncate="…"), True


def display_image_src(meta: SocialMeta, site: Site | None) -> str:
    """The image URL for the editor's browser: site-relative when it is on the page's site.

    Crawlers get the absolute URL; the editor may be on another host name (e.g. a staging admin),
    so the preview loads the same file through the admin's own host.
    """
    if meta.image is None:
        return ""
    root = site.root_url.rstrip("/") if site else ""
    if root and meta.image.url.startswith(root + "/"):
        return meta.image.url[len(root):]
    return meta.image.url


def build_cards(page: Page, meta: SocialMeta, site: Site | None) -> list[Card]:
    """The card of every network that declares one (the registry), for ``meta``."""
    domain = urlsplit(meta.url or (site.root_url if site else "")).hostname or ""
    domain = domain.removeprefix("www.")
    src = display_image_src(meta, site)
    words = _source_words(page, meta)  # the same for every card: worded once
    cards = []
    for style in card_styles():
        title, title_cut = cut(meta.title, style.title_max)
        description, description_cut = cut(meta.description, style.description_max)
        cards.append(Card(
            style=style,
            title=title,
            title_cut=title_cut,
            description=description,
            description_cut=description_cut,
            site_label=(meta.site_name or domain) if style.site_label == "site_name" else domain,
            image_src=src,
            image_alt=meta.image.alt if meta.image else "",
            title_source=words["title"],
            description_source=words["description"],
            image_source=words["image"],
        ))
    return cards


def _source_words(page: Any, meta: SocialMeta) -> dict[str, str]:
    """The sources of title, description, image and link, in words."""
    return {
        name: describe_source(page, meta.sources.get(name, MISSING))
        for name in ("title", "description", "image", "url")
    }


def source_lines(page: Any, meta: SocialMeta) -> list[SourceLine]:
    """Title, description, image and link with their sources in words."""
    words = _source_words(page, meta)
    image_value = (
        f"{meta.image.width}×{meta.image.height} {meta.image.mime_type}" if meta.image else ""
    )
    return [
        SourceLine("title", _("Title"), meta.title, words["title"]),
        SourceLine("description", _("Description"), meta.description, words["description"]),
        SourceLine("image", _("Image"), image_value, words["image"]),
        SourceLine("url", _("Link"), meta.url or "", words["url"]),
    ]
