"""Feed views: the site's feeds and each section's, with ETag, Last-Modified and Cache-Control."""

from __future__ import annotations

import hashlib
from io import StringIO

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from wagtail.models import Site

from ..conf import smo_settings
from .changes import feeds_changed_at
from .pages import UnknownSection, find_section
from .render import FEED_FILES, build_feed

KINDS_BY_FILE = {filename: kind for kind, filename in FEED_FILES.items()}


def feed(request: HttpRequest, filename: str, section: str = "") -> HttpResponse:
    """Serve the RSS, Atom or JSON feed of the request's site, or of one of its sections."""
    kind = KINDS_BY_FILE.get(filename)
    site = Site.find_for_request(request)
    if kind is None or site is None:
        raise Http404("No such feed")
    section_page = None
    if section:
        try:
            section_page = find_section(site, section)
        except UnknownSection as exc:
            raise Http404(str(exc)) from exc
    generator = build_feed(site, section_page, kind, request=request)
    buffer = StringIO()
    generator.write(buffer, "utf-8")
    body = buffer.getvalue().encode("utf-8")

    response = HttpResponse(body, content_type=generator.content_type)
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    # Unpublishing or restricting a page changes no item's date: the change stamp covers that.
    changed = max(filter(None, [generator.latest, feeds_changed_at()]), default=None)
    last_modified = int(changed.timestamp()) if changed else None
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=smo_settings.FEEDS["CACHE_MAX_AGE"])
    # Given a response, Django returns it or a 304/412 one, never None (the stubs allow None).
    return get_conditional_response(  # type: ignore[return-value]
        request, etag=etag, last_modified=last_modified, response=response
    )
