"""A JSON endpoint giving a page's social meta from its URL or path, for any front end."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.http import require_GET
from wagtail.models import Page, Site

from ..meta import resolve
from ..meta.serialize import meta_as_dict


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


@require_GET
def page_meta(request: HttpRequest) -> JsonResponse:
    """``GET ?url=https://host/path/`` or ``?path=/path/``: the social meta of a public page.

    A page that does not exist, is not live or sits under any view restriction (password, login,
    groups) gets the same 404: the endpoint never reveals what the site would not show.
    """
    url = request.GET.get("url", "").strip()
    path = request.GET.get("path", "").strip()
    if bool(url) == bool(path):
        return _error(400, "Give exactly one of the parameters 'url' and 'path'.")
    if url:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return _error(400, "'url' must be an absolute http(s) URL.")
        site = _site_for_host(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
        path = parts.path or "/"
    else:
        site = Site.find_for_request(request)
    page = _public_page(request, site, path) if site else None
    if page is None:
        return _error(404, "No public page at this address.")
    return JsonResponse(meta_as_dict(resolve(page, request)))


def _site_for_host(hostname: str, port: int) -> Site | None:
    sites = list(Site.objects.filter(hostname__iexact=hostname).select_related("root_page"))
    for site in sites:
        if site.port == port:
            return site
    return sites[0] if len(sites) == 1 else None


def _public_page(request: HttpRequest, site: Site, path: str) -> Page | None:
    components = [component for component in path.split("/") if component]
    try:
        page = site.root_page.localized.specific.route(request, components)[0]
    except Http404:
        return None
    if not page.live or page.get_view_restrictions().exists():
        return None
    return page
