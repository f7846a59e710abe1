"""The one resolver: every social value of a page, each with the source it came from.

``resolve(page, *, context=None, use_cache=True)`` is a plain function returning an immutable
``SocialMeta``. HTML tags, the headless API, feeds, share buttons, post drafts, previews, audits
and exports all read this one result, so they can never disagree. No value needs a request: URLs
are absolute, built from the page's own Site, so a management command gets the same result as a
page view. A ``ResolveContext`` (one per request or batch, see ``wagtail_smo.meta.context``) only
shares look-ups between pages and lets results be cached (see ``wagtail_smo.meta.cache``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime, time
from types import MappingProxyType
from typing import Any

from django.conf import settings
from django.utils import timezone
from wagtail.models import Page, Site

from ..conf import smo_settings
from . import cache, cards
from .context import ResolveContext
from .images import SocialImage, absolute_url, chosen_image, first_body_image, social_image
from .locales import locale_alternates, page_locale
from .sites import site_and_url, site_settings_of, site_values
from .sources import (
    BODY,
    BODY_IMAGE,
    GENERATED,
    MISSING,
    NONE,
    NOT_ROUTABLE,
    OWN_FIELD,
    PAGE_FIELD,
    PAGE_URL,
    SITE_SETTING,
    SMALL_IMAGE,
    TURNED_OFF,
    Source,
)
from .text import (
    DESCRIPTION_TAG_MAX,
    clean_text,
    first_paragraph,
    shorten,
    value_text,
    word_count,
    x_description_max,
)
from .tree import (
    Breadcrumb,
    ancestor_image,
    breadcrumbs,
    section,
    site_ancestors,
)

__all__ = [
    "ResolveContext", "SocialImage", "SocialMeta", "Source", "absolute_url", "clean_text",
    "first_paragraph", "resolve",
]


@dataclass(frozen=True)
class SocialMeta:
    """Every resolved social value of one page; ``sources`` maps each value to its ``Source``."""

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
    sources: MappingProxyType[str, Source] = field(default_factory=lambda: MappingProxyType({}))
    x_creator: str = ""
    #: schema.org type of the page for JSON-LD ("BlogPosting", "Article"...; "" for none).
    schema_type: str = ""
    #: Whether the page is its site's root page (JSON-LD WebSite).
    is_site_root: bool = False
    site_url: str = ""
    publisher_name: str = ""
    publisher_logo: SocialImage | None = None
    breadcrumbs: tuple[Breadcrumb, ...] = ()

    @property
    def description_tag(self) -> str:
        """The description as og:description, ``<meta name="description">`` and JSON-LD carry it:
        cut at a word boundary at ``DESCRIPTION_TAG_MAX`` characters (``description`` is whole)."""
        return shorten(self.description, DESCRIPTION_TAG_MAX)

    @property
    def x_description(self) -> str:
        """The description as twitter:description carries it: cut at the X network's limit."""
        return shorten(self.description, x_description_max())

    def __getstate__(self) -> dict:
        # MappingProxyType cannot be pickled (the Django cache pickles results).
        state = {f.name: getattr(self, f.name) for f in fields(self)}
        state["sources"] = dict(self.sources)
        return state

    def __setstate__(self, state: dict) -> None:
        state = {**state, "sources": MappingProxyType(dict(state.get("sources", {})))}
        for name, value in state.items():
            object.__setattr__(self, name, value)


def resolve(
    page: Page, *, context: ResolveContext | None = None, use_cache: bool = True
) -> SocialMeta:
    """Resolve every social value of ``page``.

    ``context`` shares look-ups between the pages of one request or batch (none: a context for
    this call alone). ``use_cache=False`` keeps the meta cache out explicitly (previews, batches);
    without a context the cache is never used, so a one-off call sees the page as it is in memory.
    """
    if context is None or not cache.cacheable(page, context, use_cache):
        return _resolve(page, context or ResolveContext())
    meta, slot = cache.lookup(page, context)
    if meta is None:
        meta = _resolve(page, context)
        slot.store(meta)
    return meta


def _resolve(page: Page, context: ResolveContext) -> SocialMeta:
    page = page.specific_deferred if hasattr(page, "specific_deferred") else page
    site, page_url, language_code = site_and_url(page, context)
    site_settings = site_settings_of(site, context)
    sources: dict[str, Source] = {}

    title, sources["title"] = _resolve_title(page)
    description, sources["description"] = _resolve_description(page, site_settings)
    ancestors = site_ancestors(page, site, context)
    shared = site_values(site, site_settings, context)
    page_section = section(page, ancestors, site)
    published = _published(page)
    image, sources["image"] = _resolve_image(
        page, site, site_settings, ancestors, context,
        card=_CardText(title, page_section, published, shared.site_name),
    )
    sources["url"] = Source(PAGE_URL) if page_url else Source(NOT_ROUTABLE)
    sources["site_name"] = shared.site_name_source
    locale, sources["locale"] = page_locale(page, site_settings, language_code, context)
    creator_field = getattr(page, "smo_x_creator_field", None)
    x_creator = clean_text(_attr_value(page, creator_field))
    sources["x_creator"] = (
        Source(PAGE_FIELD, creator_field or "") if x_creator
        else Source(SITE_SETTING, "x_handle") if shared.x_site else MISSING
    )
    og_type = getattr(page, "smo_og_type", "website")
    return SocialMeta(
        title=title,
        description=description,
        url=page_url,
        og_type=og_type,
        site_name=shared.site_name,
        locale=locale,
        image=image,
        author=clean_text(_attr_value(page, getattr(page, "smo_author_field", None))),
        section=page_section,
        tags=_tags(page),
        published_time=published,
        modified_time=page.last_published_at,
        reading_minutes=_reading_minutes(page),
        locale_alternates=locale_alternates(page, locale, context),
        x_site=shared.x_site,
        fediverse_creator=shared.fediverse_creator,
        profile_links=shared.profile_links,
        facebook_app_id=shared.facebook_app_id,
        page_id=page.pk,
        sources=MappingProxyType(sources),
        x_creator=x_creator or shared.x_site,
        schema_type=_schema_type(page, og_type),
        is_site_root=site is not None and site.root_page_id == page.pk,
        site_url=shared.site_url,
        publisher_name=shared.publisher_name,
        publisher_logo=shared.publisher_logo,
        breadcrumbs=breadcrumbs(page, ancestors, site, page_url, title, context),
    )


# --- title and description -----------------------------------------------------------------


def _attr_value(page: Page, name: str | None) -> Any:
    if not name:
        return None
    value = getattr(page, name, None)
    return value() if callable(value) else value


def _resolve_title(page: Page) -> tuple[str, Source]:
    for attr, kind in (("social_title", OWN_FIELD), ("seo_title", PAGE_FIELD)):
        value = clean_text(getattr(page, attr, ""))
        if value:
            return value, Source(kind, attr)
    return clean_text(page.title), Source(PAGE_FIELD, "title")


def _resolve_description(page: Page, site_settings: Any) -> tuple[str, Source]:
    length = smo_settings.DESCRIPTION_LENGTH
    for attr, kind in (("social_description", OWN_FIELD), ("search_description", PAGE_FIELD)):
        value = clean_text(getattr(page, attr, ""))
        if value:
            return value, Source(kind, attr)
    for name in getattr(page, "smo_description_fields", []):
        # Plain-text fields are taken as they are ("<b>" in a TextField is text, not markup);
        # only rich text has its HTML removed.
        value = value_text(_attr_value(page, name), html=_is_rich_text_field(page, name))
        if value:
            return shorten(value, length), Source(PAGE_FIELD, name)
    for name in getattr(page, "smo_body_fields", []):
        value = first_paragraph(getattr(page, name, None))
        if value:
            return shorten(value, length), Source(BODY, name)
    if site_settings and site_settings.default_description:
        return (clean_text(site_settings.default_description),
                Source(SITE_SETTING, "default_description"))
    return "", MISSING


def _is_rich_text_field(page: Page, name: str) -> bool:
    from django.core.exceptions import FieldDoesNotExist
    from wagtail.fields import RichTextField

    try:
        return isinstance(page._meta.get_field(name), RichTextField)
    except FieldDoesNotExist:
        return False


# --- image ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _CardText:
    """The resolved values a generated card shows."""

    title: str
    section: str
    published: datetime | None
    site_name: str


def _resolve_image(
    page: Page, site: Site | None, site_settings: Any, ancestors: list[Page],
    context: ResolveContext, card: _CardText,
) -> tuple[SocialImage | None, Source]:
    mode = cards.mode_of(page, site_settings)
    image, alt, source = _find_image(page, site_settings, ancestors, context)
    found = social_image(image, alt, site, context=context) if image is not None else None

    def generated(field: str, detail: str = "", background: Any = None) -> tuple[
            SocialImage | None, Source]:
        drawn = cards.generated_card(
            page, site, site_settings, title=card.title, section=card.section,
            published=card.published, site_name=card.site_name, image=background,
            context=context)
        return drawn, Source(GENERATED, field, detail)

    if mode == "always":
        # The page's own image can be the background of a layout that draws one.
        background = image if found is not None and not cards.too_small(found) else None
        drawn = generated("social_card" if getattr(page, "social_card", "") else "card_mode",
                          background=background)
        if drawn[0] is not None:
            return drawn
    if image is None:
        if mode == "missing" and source == MISSING:
            drawn = generated("")
            if drawn[0] is not None:
                return drawn
        return None, source
    if found is None:
        return None, source.left_out()
    if mode == "missing" and cards.too_small(found):
        drawn = generated("", SMALL_IMAGE)
        if drawn[0] is not None:
            return drawn
    return found, source


def _find_image(
    page: Page, site_settings: Any, ancestors: list[Page], context: ResolveContext
) -> tuple[Any, str, Source]:
    own_alt = getattr(page, "social_image_alt", "")
    if getattr(page, "social_image_id", None):
        image = chosen_image(page, "social_image", context)
        return image, own_alt, Source(OWN_FIELD, "social_image")
    if not getattr(page, "social_image_fallback", True):
        return None, "", Source(NONE, "social_image_fallback", TURNED_OFF)
    for name in getattr(page, "smo_image_fields", []):
        image = chosen_image(page, name, context)
        if image is not None:
            return image, own_alt, Source(PAGE_FIELD, name)
    for name in getattr(page, "smo_body_fields", []):
        image = first_body_image(getattr(page, name, None))
        if image is not None:
            return image, own_alt, Source(BODY_IMAGE, name)
    inherited = ancestor_image(ancestors, context)
    if inherited is not None:
        return inherited
    if site_settings and site_settings.default_image_id:
        return (site_settings.default_image, site_settings.default_image_alt,
                Source(SITE_SETTING, "default_image"))
    return None, "", MISSING


# --- dates, tags, profiles -----------------------------------------------------------------


def _tags(page: Page) -> tuple[str, ...]:
    """The page's tag names, sorted by name: the one place that decides their order.

    The database returns tags in no fixed order (PostgreSQL varies from run to run); sorting here
    makes HTML tags, the API, feeds (their bytes and ETags) and exports agree on every database.
    """
    name = getattr(page, "smo_tags_field", None)
    if not name:
        return ()
    # Tags prefetched for a batch (feeds, exports) are read as they are: building the taggit
    # manager only to reach them cost more than the rest of this function. Not when the page
    # holds unsaved child objects (a preview's edited tags): modelcluster's manager serves those.
    tags = None
    if not getattr(page, "_cluster_related_objects", None):
        tags = getattr(page, "_prefetched_objects_cache", {}).get(name)
    if tags is None:
        manager = getattr(page, name, None)
        if manager is None or not hasattr(manager, "all"):
            return ()
        tags = manager.all()
    names = {clean_text(tag.name) for tag in tags} - {""}
    # Case-insensitive by name; the exact name breaks ties ("Django" before "django").
    return tuple(sorted(names, key=lambda n: (n.casefold(), n)))


def _published(page: Page) -> datetime | None:
    value = _attr_value(page, getattr(page, "smo_published_field", None))
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime.combine(value, time.min)
    if isinstance(value, datetime) and settings.USE_TZ and timezone.is_naive(value):
        value = timezone.make_aware(value, timezone.get_default_timezone())
    return value or page.first_published_at


def _reading_minutes(page: Page) -> int | None:
    words = sum(word_count(getattr(page, name, None)) for name in _body_fields(page))
    if not words:
        return None
    return max(1, round(words / smo_settings.READING_WORDS_PER_MINUTE))


def _body_fields(page: Page) -> list[str]:
    return list(getattr(page, "smo_body_fields", []))


def _schema_type(page: Page, og_type: str) -> str:
    explicit = getattr(page, "smo_schema_type", None)
    if explicit is not None:
        return explicit
    return "Article" if og_type == "article" else ""
