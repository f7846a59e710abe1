"""The one resolver: every social value of a page, each with the source it came from.

``resolve(page, request=None)`` is a plain function returning an immutable ``SocialMeta``. HTML
tags, the headless API, feeds, share buttons, post drafts, previews, audits and exports all read
this one result, so they can never disagree. No value needs a request: URLs are absolute, built
from the page's own Site, so a management command gets the same result as a page view. The request
only serves caching (see ``wagtail_smo.meta.cache``).
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
from . import cache
from .images import SocialImage, absolute_url, first_body_image, social_image, warn_once
from .locales import locale_alternates, page_locale
from .text import clean_text, first_paragraph, shorten, value_text, word_count
from .tree import (
    Breadcrumb,
    ancestor_image,
    breadcrumbs,
    section,
    site_ancestors,
    site_root_paths,
    url_parts,
)

__all__ = ["SocialImage", "SocialMeta", "absolute_url", "clean_text", "first_paragraph", "resolve"]


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
    x_creator: str = ""
    #: schema.org type of the page for JSON-LD ("BlogPosting", "Article"...; "" for none).
    schema_type: str = ""
    #: Whether the page is its site's root page (JSON-LD WebSite).
    is_site_root: bool = False
    site_url: str = ""
    publisher_name: str = ""
    publisher_logo: SocialImage | None = None
    breadcrumbs: tuple[Breadcrumb, ...] = ()

    def __getstate__(self) -> dict:
        # MappingProxyType cannot be pickled (the Django cache pickles results).
        state = {f.name: getattr(self, f.name) for f in fields(self)}
        state["sources"] = dict(self.sources)
        return state

    def __setstate__(self, state: dict) -> None:
        state = {**state, "sources": MappingProxyType(dict(state.get("sources", {})))}
        for name, value in state.items():
            object.__setattr__(self, name, value)


def resolve(page: Page, request=None) -> SocialMeta:
    """Resolve every social value of ``page``; ``request`` is optional and only used for caching."""
    if not cache.cacheable(page, request):
        return _resolve(page, request)
    meta, slot = cache.lookup(page, request)
    if meta is None:
        meta = _resolve(page, request)
        slot.store(meta)
    return meta


def _resolve(page: Page, request) -> SocialMeta:
    page = page.specific_deferred if hasattr(page, "specific_deferred") else page
    # Site and settings are shared by every page resolved for one request.
    memo = cache.request_memo(request) if request is not None else {}
    site, page_url, language_code = _site_and_url(page, memo)
    site_settings = _site_settings(site, memo)
    sources: dict[str, str] = {}

    title, sources["title"] = _resolve_title(page)
    description, sources["description"] = _resolve_description(page, site_settings)
    ancestors = site_ancestors(page, site, memo)
    image, sources["image"] = _resolve_image(page, site, site_settings, ancestors, memo)
    sources["url"] = "page URL on its site" if page_url else "not routable"
    shared = _site_values(site, site_settings, memo)
    sources["site_name"] = shared.site_name_source
    locale, sources["locale"] = page_locale(page, site_settings, language_code)
    x_creator = clean_text(_attr_value(page, getattr(page, "smo_x_creator_field", None)))
    sources["x_creator"] = "page" if x_creator else ("site X handle" if shared.x_site else "none")
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
        section=section(page, ancestors, site),
        tags=_tags(page),
        published_time=_published(page),
        modified_time=page.last_published_at,
        reading_minutes=_reading_minutes(page),
        locale_alternates=locale_alternates(page, locale, memo),
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
        breadcrumbs=breadcrumbs(page, ancestors, site, page_url, title, memo),
    )


# --- site, settings, URL -------------------------------------------------------------------


def _site_and_url(page: Page, memo: dict) -> tuple[Site | None, str | None, str]:
    """The page's own Site, its canonical absolute URL and its language code.

    The request is deliberately not used to pick the site: the canonical URL must not depend on
    the Host header, and a static build (no request) must give the same answer.
    """
    parts = url_parts(page, memo) if page.pk else None
    if parts is None:
        warn_once(("routable", page.pk), "wagtail-smo: page %s is not routable: no og:url", page.pk)
        return None, None, ""
    site_id, root_url, page_path = parts
    site = _site_by_id(site_id, memo)
    language_code = ""
    for path in site_root_paths(memo):
        if path.site_id == site_id:
            language_code = path.language_code
            break
    if root_url is None or page_path is None or not (site and site.hostname):
        warn_once(
            ("root_url", page.pk),
            "wagtail-smo: page %s has no absolute URL (no site root URL or no wagtail_serve "
            "route): og:url and canonical left out",
            page.pk,
        )
        return site, None, language_code
    return site, root_url.rstrip("/") + page_path, language_code


def _site_by_id(site_id: int, memo: dict) -> Site | None:
    """The Site, fetched with its social settings in one query (both memoised per request)."""
    from ..models import SocialMediaSettings

    key = ("site", site_id)
    if key not in memo:
        found = (
            SocialMediaSettings.base_queryset().select_related("site").filter(site_id=site_id)
        ).first()
        if found is not None:
            memo[key], memo[("settings", site_id)] = found.site, found
        else:
            memo[key] = Site.objects.filter(pk=site_id).first()
    return memo[key]


def _site_settings(site: Site | None, memo: dict):
    if site is None:
        return None
    from ..models import SocialMediaSettings

    key = ("settings", site.pk)
    if memo.get(key) is None:
        memo[key] = SocialMediaSettings.for_site(site)
    return memo[key]


def _site_url(site: Site | None) -> str:
    from .images import site_root_url

    root = site_root_url(site)
    return root + "/" if root else ""


@dataclass(frozen=True)
class _SiteValues:
    """The values every page of one site shares: read once per site and memo (request, batch)."""

    site_name: str
    site_name_source: str
    x_site: str
    fediverse_creator: str
    profile_links: tuple[str, ...]
    facebook_app_id: str
    site_url: str
    publisher_name: str
    publisher_logo: SocialImage | None


def _site_values(site: Site | None, site_settings, memo: dict) -> _SiteValues:
    key = ("site_values", site.pk if site is not None else None)
    found = memo.get(key)
    if found is None:

        # A blank setting (spaces only) counts as unset: the site's own value takes over.
        def setting(field: str) -> str:
            return clean_text(getattr(site_settings, field, "") if site_settings else "")

        name = setting("site_name") or clean_text(site.site_name if site else "")
        found = memo[key] = _SiteValues(
            site_name=name,
            site_name_source="site settings" if setting("site_name") else "site",
            x_site=setting("x_handle"),
            fediverse_creator=setting("fediverse_creator"),
            profile_links=_profile_links(site_settings),
            facebook_app_id=setting("facebook_app_id"),
            site_url=_site_url(site),
            publisher_name=setting("organisation_name") or name,
            publisher_logo=_publisher_logo(site_settings, site, memo),
        )
    return found


# --- title and description -----------------------------------------------------------------


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
    length = smo_settings.DESCRIPTION_LENGTH
    for attr in ("social_description", "search_description"):
        value = clean_text(getattr(page, attr, ""))
        if value:
            return value, attr
    for name in getattr(page, "smo_description_fields", []):
        # Plain-text fields are taken as they are ("<b>" in a TextField is text, not markup);
        # only rich text has its HTML removed.
        value = value_text(_attr_value(page, name), html=_is_rich_text_field(page, name))
        if value:
            return shorten(value, length), f"field: {name}"
    for name in getattr(page, "smo_body_fields", []):
        value = first_paragraph(getattr(page, name, None))
        if value:
            return shorten(value, length), f"body: {name}"
    if site_settings and site_settings.default_description:
        return clean_text(site_settings.default_description), "site default"
    return "", "none"


def _is_rich_text_field(page: Page, name: str) -> bool:
    from django.core.exceptions import FieldDoesNotExist
    from wagtail.fields import RichTextField

    try:
        return isinstance(page._meta.get_field(name), RichTextField)
    except FieldDoesNotExist:
        return False


# --- image ---------------------------------------------------------------------------------


def _resolve_image(
    page: Page, site, site_settings, ancestors, memo: dict
) -> tuple[SocialImage | None, str]:
    image, alt, source = _find_image(page, site_settings, ancestors, memo)
    if image is None:
        return None, source
    found = social_image(image, alt, site, memo=memo)
    if found is None:
        return None, f"{source} (left out: unusable image)"
    return found, source


def _find_image(page: Page, site_settings, ancestors, memo: dict):
    own_alt = getattr(page, "social_image_alt", "")
    if getattr(page, "social_image_id", None):
        return page.social_image, own_alt, "social_image"
    if not getattr(page, "social_image_fallback", True):
        return None, "", "turned off for this page"
    for name in getattr(page, "smo_image_fields", []):
        image = getattr(page, name, None)
        if image is not None:
            return image, own_alt, f"image field: {name}"
    for name in getattr(page, "smo_body_fields", []):
        image = first_body_image(getattr(page, name, None))
        if image is not None:
            return image, own_alt, f"body image: {name}"
    inherited = ancestor_image(ancestors, memo)
    if inherited is not None:
        return inherited
    if site_settings and site_settings.default_image_id:
        return site_settings.default_image, site_settings.default_image_alt, "site default"
    return None, "", "none"


def _publisher_logo(site_settings, site, memo: dict) -> SocialImage | None:
    if site_settings is None or not site_settings.organisation_logo_id:
        return None
    logo = site_settings.organisation_logo
    return social_image(logo, logo.title, site, smo_settings.LOGO_FILTER, memo=memo)


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


def _profile_links(site_settings) -> tuple[str, ...]:
    if site_settings is None:
        return ()
    urls = (clean_text(block.value.get("url")) for block in site_settings.profile_links)
    return tuple(url for url in urls if url.startswith(("https://", "http://")))


def _schema_type(page: Page, og_type: str) -> str:
    explicit = getattr(page, "smo_schema_type", None)
    if explicit is not None:
        return explicit
    return "Article" if og_type == "article" else ""
