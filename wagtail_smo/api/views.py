"""A JSON endpoint giving a page's social meta from its URL or path, for any front end."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_safe
from wagtail.models import Site

from ..meta import resolve_for_request
from ..meta.serialize import meta_as_dict
from ..meta.validators import ancestry_q, conditional, validators_for
from ..pages import AddressError, page_at_url

#: Shared caches (a CDN) may keep the answer but ask again each time: a 304 costs no resolving,
#: and no purge is needed when a page changes (docs/deployment.md).
REVALIDATE = {"public": True, "no_cache": True}


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


@require_safe
def page_meta(request: HttpRequest) -> HttpResponse:
    """``GET ?url=https://host/path/`` or ``?path=/path/``: the social meta of a public page.

    ``path`` is looked up on the site serving this request. A page that does not exist, is not
    live or sits under any view restriction (password, login, groups) gets the same 404. A
    conditional GET is answered from the validators before the page is resolved.
    """
    url = request.GET.get("url", "").strip()
    path = request.GET.get("path", "").strip()
    if bool(url) == bool(path):
        return _error(400, "Give exactly one of the parameters 'url' and 'path'.")
    if url:
        try:
            # Without a site, only an absolute URL is accepted: its host and port pick the site.
            page = page_at_url(url)
        except AddressError:
            return _error(400, "'url' must be an absolute http(s) URL.")
    else:
        parts = urlsplit(path)
        if parts.scheme or parts.netloc:
            return _error(400, "'path' must be a path on this site.")
        site = Site.find_for_request(request)
        page = page_at_url(path, site) if site is not None else None
    if page is None:
        return _error(404, "No public page at this address.")
    return conditional(
        request,
        validators_for(request, page.get_site(), ancestry_q(page)),
        lambda: JsonResponse(meta_as_dict(resolve_for_request(page, request))),
        cache_control=REVALIDATE,
    )
