"""Feed views: the site's feeds and each section's, answering conditional GETs before rendering."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from wagtail.models import Site

from ..conf import smo_settings
from ..meta.cache import cached_output, store_output, subtree_stamp
from ..meta.validators import ancestry_q, conditional, output_name, validators_for
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
    root = section_page or site.root_page
    # The feed lists the section's descendants and reads its ancestors (titles, inherited image).
    pages = Q(path__startswith=root.path) | ancestry_q(root)
    # Unpublishing or restricting a page changes no publication time: the change stamp covers it.
    validators = validators_for(request, site, pages, also=[feeds_changed_at()])

    def render() -> HttpResponse:
        # Built once per change of what it lists (see meta.cache.subtree_stamp): a change in
        # another section leaves this feed cached.
        name = output_name(site, root, request)
        stamp = subtree_stamp(root)
        cached = cached_output(name, stamp)
        if cached is not None:
            content_type, body = cached
            return HttpResponse(body, content_type=content_type)
        generator = build_feed(site, section_page, kind, request=request)
        response = HttpResponse(content_type=generator.content_type)
        generator.write(response, "utf-8")
        store_output(name, stamp, (generator.content_type, response.content))
        return response

    return conditional(
        request, validators, render,
        cache_control={"public": True, "max_age": smo_settings.FEEDS["CACHE_MAX_AGE"]},
    )
