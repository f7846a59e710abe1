"""The site side of the resolver: a page's Site, its settings, its URL and the shared values.

Everything here is read once per ``ResolveContext`` (a request or a batch of pages): every page of
a site shares its Site row, its social settings, its root paths and the values derived from them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wagtail.models import Page, Site

from ..conf import smo_settings
from . import cache
from .context import ResolveContext
from .images import SocialImage, site_root_url, social_image, warn_once
from .sources import MISSING, SITE, SITE_SETTING, Source
from .text import clean_text
from .tree import site_root_paths, url_parts


def site_and_url(page: Page, context: ResolveContext) -> tuple[Site | None, str | None, str]:
    """The page's own Site, its canonical absolute URL and its language code.

    The request is deliberately not used to pick the site: the canonical URL must not depend on
    the Host header, and a static build (no request) must give the same answer.
    """
    parts = url_parts(page, context) if page.pk else None
    if parts is None:
        warn_once(("routable", page.pk), "wagtail-smo: page %s is not routable: no og:url", page.pk)
        return None, None, ""
    site_id, root_url, page_path = parts
    site = _site_by_id(site_id, context)
    language_code = ""
    for path in site_root_paths(context):
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


def _site_by_id(site_id: int, context: ResolveContext) -> Site | None:
    """The Site, fetched with its social settings in one query (both kept in the context)."""
    from ..models import SocialMediaSettings

    if site_id not in context.sites:
        shared = cache.shared_get(_shared_name(site_id), context)
        if shared is not None:
            site, settings, values = shared
            context.sites[site_id], context.site_settings[site_id] = site, settings
            context.site_values[site_id] = values
            return site
        found = (
            SocialMediaSettings.base_queryset().select_related("site").filter(site_id=site_id)
        ).first()
        if found is not None:
            context.sites[site_id], context.site_settings[site_id] = found.site, found
        else:
            context.sites[site_id] = Site.objects.filter(pk=site_id).first()
    return context.sites[site_id]


#: The images of the site settings the resolver may read.
_SETTINGS_IMAGES = ("default_image", "organisation_logo", "card_logo")


def _shared_name(site_id: int) -> str:
    return f"site:{site_id}"


def site_settings_of(site: Site | None, context: ResolveContext) -> Any:
    """The social media settings of ``site`` (None without a site), read once per context."""
    if site is None:
        return None
    from ..models import SocialMediaSettings

    if context.site_settings.get(site.pk) is None:
        context.site_settings[site.pk] = SocialMediaSettings.for_site(site)
    return context.site_settings[site.pk]


def _site_url(site: Site | None) -> str:
    root = site_root_url(site)
    return root + "/" if root else ""


@dataclass(frozen=True)
class SiteValues:
    """The values every page of one site shares: read once per site and context (request, batch)."""

    site_name: str
    site_name_source: Source
    x_site: str
    fediverse_creator: str
    profile_links: tuple[str, ...]
    facebook_app_id: str
    site_url: str
    publisher_name: str
    publisher_logo: SocialImage | None


def site_values(site: Site | None, site_settings: Any, context: ResolveContext) -> SiteValues:
    """The ``SiteValues`` of ``site``, worked out once per site and context."""
    key = site.pk if site is not None else None
    found = context.site_values.get(key)
    if found is None:

        # A blank setting (spaces only) counts as unset: the site's own value takes over.
        def setting(field: str) -> str:
            return clean_text(getattr(site_settings, field, "") if site_settings else "")

        name = setting("site_name") or clean_text(site.site_name if site else "")
        found = context.site_values[key] = SiteValues(
            site_name=name,
            site_name_source=(
                Source(SITE_SETTING, "site_name") if setting("site_name")
                else Source(SITE, "site_name") if name else MISSING
            ),
            x_site=setting("x_handle"),
            fediverse_creator=setting("fediverse_creator"),
            profile_links=profile_links(site_settings),
            facebook_app_id=setting("facebook_app_id"),
            site_url=_site_url(site),
            publisher_name=setting("organisation_name") or name,
            publisher_logo=publisher_logo(site_settings, site, context),
        )
        if site is not None and context.generations:
            # With the settings' images loaded, so that a cold resolve of any page of the site
            # reads them with the one cache round trip.
            for name in _SETTINGS_IMAGES:
                if site_settings is not None and getattr(site_settings, f"{name}_id", None):
                    getattr(site_settings, name)
            cache.shared_set(_shared_name(site.pk), (site, site_settings, found), context)
    return found


def publisher_logo(
    site_settings: Any, site: Site | None, context: ResolveContext
) -> SocialImage | None:
    """The organisation's logo for JSON-LD (``LOGO_FILTER`` rendition), or None."""
    if site_settings is None or not site_settings.organisation_logo_id:
        return None
    logo = site_settings.organisation_logo
    return social_image(logo, logo.title, site, smo_settings.LOGO_FILTER, context=context)


def profile_links(site_settings: Any) -> tuple[str, ...]:
    """The site's profile links (``rel="me"``) with an http(s) URL, in order."""
    if site_settings is None:
        return ()
    urls = (clean_text(block.value.get("url")) for block in site_settings.profile_links)
    return tuple(url for url in urls if url.startswith(("https://", "http://")))
