"""The one resolver: every social value of a page, each with the source it came from.

``resolve(page, request=None)`` is a plain function returning an immutable ``SocialMeta``. HTML
tags, the headless API, feeds, share buttons, post drafts, previews, audits and exports all read
this one result, so they can never disagree. No value needs a request: URLs are absolute, built
from the page's own Site.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any

from django.utils.html import strip_tags
from django.utils.text import Truncator
from wagtail.models import Page, Site

from ..conf import smo_settings

logger = logging.getLogger("wagtail_smo")

# Control characters are not allowed in XML and break some parsers; keep tab/newline.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class SocialImage:
    """A crawler-safe rendition of the social image, with an absolute URL."""

    url: str
    width: int
    height: int
    mime_type: str
    alt: str
    image_id: int | None = None


@dataclass(frozen=True)
class SocialMeta:
    """Every resolved social value of one page. ``sources`` names where each value came from."""

    title: str
    description: str
    url: str | None
    og_type: str
    site_name: str
    locale: str
    image: SocialImage | None
    author: str = ""
    section: str = ""
    tags: tuple[str, ...] = ()
    published_time: datetime | None = None
    modified_time: datetime | None = None
    reading_minutes: int | None = None
    locale_alternates: tuple[str, ...] = ()
    x_site: str = ""
    fediverse_creator: str = ""
    profile_links: tuple[str, ...] = ()
    facebook_app_id: str = ""
    page_id: int | None = None
    sources: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))


def clean_text(value: Any) -> str:
    """Text with control characters removed and whitespace folded."""
    text = _CONTROL_CHARS.sub("", str(value or ""))
    return " ".join(text.split())


def resolve(page: Page, request=None) -> SocialMeta:
    """Resolve every social value of ``page``; ``request`` is optional and only used for caching."""
    page = page.specific_deferred if hasattr(page, "specific_deferred") else page
    site = page.get_site()
    from ..models import SocialMediaSettings

    site_settings = SocialMediaSettings.for_site(site) if site else None
    sources: dict[str, str] = {}

    title, sources["title"] = _resolve_title(page)
    description, sources["description"] = _resolve_description(page, site_settings)
    image, sources["image"] = _resolve_image(page, site, site_settings)
    url = _page_url(page, site)
    sources["url"] = "page URL on its site" if url else "not routable"

    site_name = clean_text(
        (site_settings and site_settings.site_name) or (site and site.site_name) or ""
    )
    tags = _tags(page)
    return SocialMeta(
        title=title,
        description=description,
        url=url,
        og_type=getattr(page, "smo_og_type", "website"),
        site_name=site_name,
        locale=_locale(page, site_settings),
        image=image,
        author=clean_text(_attr_value(page, getattr(page, "smo_author_field", None))),
        section=_section_title(page),
        tags=tags,
        published_time=_published(page),
        modified_time=page.last_published_at,
        reading_minutes=_reading_minutes(page),
        x_site=(site_settings.x_handle if site_settings else ""),
        fediverse_creator=(site_settings.fediverse_creator if site_settings else ""),
        profile_links=tuple(
            b.value["url"] for b in (site_settings.profile_links if site_settings else [])
        ),
        facebook_app_id=(site_settings.facebook_app_id if site_settings else ""),
        page_id=page.pk,
        sources=MappingProxyType(sources),
    )


def _attr_value(page: Page, name: str | None) -> Any:
    if not name:
        return None
    value = getattr(page, name, None)
    return value() if callable(value) else value


def _resolve_title(page: Page) -> tuple[str, str]:
    for attr in ("social_title", "seo_title"):
        value = clean_text(getattr(page, attr, ""))
        if value:
            return value, attr
    return clean_text(page.title), "title"


def _resolve_description(page: Page, site_settings) -> tuple[str, str]:
    for attr in ("social_description", "search_description"):
        value = clean_text(getattr(page, attr, ""))
        if value:
            return value, attr
    for name in getattr(page, "smo_description_fields", []):
        value = clean_text(strip_tags(str(_attr_value(page, name) or "")))
        if value:
            return _shorten(value), f"field: {name}"
    for name in getattr(page, "smo_body_fields", []):
        value = first_paragraph(getattr(page, name, None))
        if value:
            return _shorten(value), f"body: {name}"
    if site_settings and site_settings.default_description:
        return clean_text(site_settings.default_description), "site default"
    return "", "none"


def _shorten(text: str) -> str:
    return Truncator(text).chars(smo_settings.DESCRIPTION_LENGTH, truncate="…")


def first_paragraph(body: Any) -> str:
    """Plain text of the first non-empty paragraph of a StreamField or rich text value."""
    for html in _iter_rich_text(body):
        for para in re.split(r"</p>|<br\s*/?>|\n\n", html):
            text = clean_text(strip_tags(para))
            if text:
                return text
    return ""


def _iter_rich_text(body: Any):
    """Yield HTML-ish source of each text block in document order."""
    if body is None:
        return
    if hasattr(body, "source"):  # RichText value
        yield body.source
    elif isinstance(body, str):
        yield body
    elif hasattr(body, "raw_data") or isinstance(body, list | tuple):  # StreamValue / ListValue
        for child in body:
            yield from _iter_rich_text(getattr(child, "value", child))
    elif isinstance(body, dict):  # StructValue
        for value in body.values():
            yield from _iter_rich_text(value)


def _resolve_image(page: Page, site: Site | None, site_settings) -> tuple[SocialImage | None, str]:
    image, alt, source = _find_image(page, site_settings)
    if image is None:
        return None, source
    rendition = _crawler_rendition(image, site)
    if rendition is None:
        return None, f"{source} (broken image left out)"
    return rendition_to_social(rendition, alt or image.title, site, image.pk), source


def _find_image(page: Page, site_settings):
    if getattr(page, "social_image_id", None):
        return page.social_image, getattr(page, "social_image_alt", ""), "social_image"
    if not getattr(page, "social_image_fallback", True):
        return None, "", "turned off for this page"
    for name in getattr(page, "smo_image_fields", []):
        image = getattr(page, name, None)
        if image is not None:
            return image, getattr(page, "social_image_alt", ""), f"image field: {name}"
    for name in getattr(page, "smo_body_fields", []):
        image = first_body_image(getattr(page, name, None))
        if image is not None:
            return image, getattr(page, "social_image_alt", ""), f"body image: {name}"
    for ancestor in page.get_ancestors().reverse().specific(defer=True):
        if getattr(ancestor, "social_image_id", None):
            return (
                ancestor.social_image,
                getattr(ancestor, "social_image_alt", ""),
                f"inherited from {ancestor.title}",
            )
    if site_settings and site_settings.default_image_id:
        return site_settings.default_image, site_settings.default_image_alt, "site default"
    return None, "", "none"


def first_body_image(body: Any):
    """The first Wagtail image in a StreamField or rich text value, or None."""
    from wagtail.images import get_image_model

    image_model = get_image_model()
    if body is None:
        return None
    if isinstance(body, image_model):
        return body
    if hasattr(body, "source") or isinstance(body, str):
        source = getattr(body, "source", body)
        match = re.search(r'<embed[^>]*embedtype="image"[^>]*>', source)
        if match:
            id_match = re.search(r'\sid="(\d+)"', match.group(0))
            if id_match:
                return image_model.objects.filter(pk=int(id_match.group(1))).first()
        return None
    if hasattr(body, "raw_data") or isinstance(body, list | tuple):
        for child in body:
            found = first_body_image(getattr(child, "value", child))
            if found is not None:
                return found
    elif isinstance(body, dict):
        for value in body.values():
            found = first_body_image(value)
            if found is not None:
                return found
    return None


_warned: set[tuple[int, str]] = set()


def _crawler_rendition(image, site: Site | None):
    try:
        return image.get_rendition(smo_settings.IMAGE_FILTER)
    except Exception as exc:  # missing file, unreadable image: never a 500 on the public site
        key = (image.pk, smo_settings.IMAGE_FILTER)
        if key not in _warned:
            _warned.add(key)
            logger.warning("wagtail-smo: image %s left out of social tags: %s", image.pk, exc)
        return None


_MIME = {"jpeg": "image/jpeg", "jpg": "image/jpeg", "png": "image/png", "gif": "image/gif"}


def rendition_to_social(rendition, alt: str, site: Site | None, image_id=None) -> SocialImage:
    """Describe a rendition as a ``SocialImage`` with an absolute URL."""
    ext = rendition.file.name.rsplit(".", 1)[-1].lower()
    return SocialImage(
        url=absolute_url(rendition.url, site),
        width=rendition.width,
        height=rendition.height,
        mime_type=_MIME.get(ext, "image/jpeg"),
        alt=clean_text(alt),
        image_id=image_id,
    )


def absolute_url(url: str, site: Site | None) -> str:
    """Make ``url`` absolute against the site's root URL (remote storage URLs pass through)."""
    if url.startswith(("http://", "https://")):
        return url
    if url.startswith("//"):
        return "https:" + url
    root = site.root_url if site else ""
    return root.rstrip("/") + "/" + url.lstrip("/")


def _page_url(page: Page, site: Site | None) -> str | None:
    if site is None:
        return None
    parts = page.get_url_parts()
    if parts is None:
        return None
    _site_id, root_url, page_path = parts
    return (root_url or site.root_url) + page_path


def _locale(page: Page, site_settings) -> str:
    if site_settings and site_settings.locale:
        return site_settings.locale
    code = getattr(getattr(page, "locale", None), "language_code", "") or "en"
    lang, _, region = code.replace("_", "-").partition("-")
    return f"{lang}_{region.upper()}" if region else lang


def _tags(page: Page) -> tuple[str, ...]:
    name = getattr(page, "smo_tags_field", None)
    manager = getattr(page, name, None) if name else None
    if manager is None or not hasattr(manager, "all"):
        return ()
    return tuple(clean_text(tag.name) for tag in manager.all())


def _published(page: Page) -> datetime | None:
    value = _attr_value(page, getattr(page, "smo_published_field", None))
    if value is not None and not isinstance(value, datetime):
        value = datetime.combine(value, datetime.min.time())
    return value or page.first_published_at


def _section_title(page: Page) -> str:
    depth = getattr(page, "depth", 0)
    if depth <= 3:
        return ""
    parent = page.get_parent()
    return clean_text(parent.title) if parent else ""


def _reading_minutes(page: Page) -> int | None:
    words = 0
    for name in getattr(page, "smo_body_fields", []):
        for html in _iter_rich_text(getattr(page, name, None)):
            words += len(strip_tags(html).split())
    if not words:
        return None
    return max(1, round(words / smo_settings.READING_WORDS_PER_MINUTE))
