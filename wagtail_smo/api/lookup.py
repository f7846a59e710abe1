"""Finding the public page behind a URL or path, as a visitor of the site would."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.http import Http404
from wagtail.models import Page, Site


class AddressError(ValueError):
    """The address is malformed (not a missing page: that is ``None``)."""


def site_for_url(url: str) -> tuple[Site | None, str]:
    """The Site serving an absolute http(s) ``url`` and the URL's path."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise AddressError(f"not an absolute http(s) URL: {url!r}")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    sites = list(Site.objects.filter(hostname__iexact=parts.hostname).select_related("root_page"))
    site = next((s for s in sites if s.port == port), sites[0] if len(sites) == 1 else None)
    return site, parts.path or "/"


def public_page(site: Site | None, path: str, request=None) -> Page | None:
    """The live page at ``path`` on ``site`` if anyone may see it, else None.

    Pages under any view restriction (password, login, groups) count as not found: headless
    outputs never reveal what the site itself would not show to a visitor.
    """
    if site is None:
        return None
    components = [component for component in path.split("/") if component]
    try:
        page = site.root_page.localized.specific.route(request, components)[0]
    except Http404:
        return None
    if not page.live or page.get_view_restrictions().exists():
        return None
    return page
