"""HTTP validators computed before rendering: a 304 costs a few queries and no resolving.

Feeds, ``/smo/meta/`` and the API's page detail answer a conditional GET from an ``ETag`` and a
``Last-Modified`` computed from what their output depends on, never from the rendered body:

- the last publication time of the pages involved (the page and its ancestors, or a feed's
  section with its descendants and ancestors): one aggregate query;
- the site's social settings' last change (``SocialMediaSettings.updated_at``): one query;
- the *content stamp*: a time kept in the meta cache (``WAGTAIL_SMO["META_CACHE"]``) and moved
  forward by every invalidation of cached meta (pages saved, moved or deleted, images, tags,
  sites, locales, view restrictions, the settings), at once and again when the change commits;
- stamps the caller adds (a feed adds ``feeds_changed_at``: a page entered or left the feeds);
- the plugin version, the project settings that shape outputs (``WAGTAIL_SMO`` without the
  channels, the language, the media URL) and what selects the output (path and query string).

A change recorded in one process is seen by another only through a cache they share: sites served
by several processes configure a shared cache for the meta cache (docs/deployment.md), as the
meta cache itself needs. An absent stamp (a cold or evicted cache) reads as "changed now", so a
cache that lost it answers 200, never a stale 304.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import caches
from django.db.models import Max, Q
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from wagtail.models import Page, Site

from .. import __version__
from ..conf import smo_settings

CONTENT_STAMP_KEY = "wagtail-smo:content-changed"
_EPOCH = datetime.fromtimestamp(0, tz=UTC)


def content_changed_at() -> datetime:
    """When cached meta was last invalidated; "now" (written down) when the cache has no stamp."""
    now = datetime.now(tz=UTC).timestamp()
    try:
        cache = caches[smo_settings.META_CACHE]
        value = cache.get(CONTENT_STAMP_KEY)
        if value is None:
            value = now
            # add(): two processes finding it absent keep the first one's time.
            if not cache.add(CONTENT_STAMP_KEY, value, None):
                value = cache.get(CONTENT_STAMP_KEY, value)
    except Exception:  # a cache that is down: "changed now" (a 200, never a stale 304)
        value = now  # the meta cache logs its failure once (meta.cache)
    return datetime.fromtimestamp(value, tz=UTC)


def mark_content_changed() -> None:
    """Move the content stamp to now (called by every meta cache invalidation)."""
    caches[smo_settings.META_CACHE].set(CONTENT_STAMP_KEY, datetime.now(tz=UTC).timestamp(), None)


@dataclass(frozen=True)
class Validators:
    """An entity tag and a modification time for one response, known before it is rendered."""

    etag: str
    last_modified: datetime

    @property
    def last_modified_seconds(self) -> int:
        """``last_modified`` rounded up to the second (HTTP dates have no fraction)."""
        seconds = int(self.last_modified.timestamp())
        return seconds + 1 if self.last_modified.timestamp() > seconds else seconds


def ancestry_q(page: Page) -> Q:
    """A filter for ``page`` and its ancestors (by treebeard path, no query)."""
    steplen = page.steplen
    return Q(path__in=[page.path[:end] for end in range(steplen, len(page.path) + 1, steplen)])


def last_published(pages: Q) -> datetime | None:
    """The newest ``last_published_at`` among the pages matching ``pages`` (one query)."""
    return Page.objects.filter(pages).aggregate(latest=Max("last_published_at"))["latest"]


def settings_changed_at(site: Site | None) -> datetime | None:
    """When the social settings of ``site`` were last saved (None: never saved since 0.2)."""
    # Imported here: models still import share.networks, which imports the resolver (a cycle
    # at import time until the network list moves to core).
    from ..models import SocialMediaSettings

    if site is None:
        return None
    rows = SocialMediaSettings.objects.filter(site=site).values_list("updated_at", flat=True)
    return next(iter(rows), None)


def project_settings_version() -> str:
    """The project settings that shape every output: a deploy that changes them changes ETags.

    ``WAGTAIL_SMO`` without ``PROVIDERS`` (the channels' secrets must not reach a header, even
    hashed, and no output of a page reads them), the language, the media and static URLs.
    """
    user = getattr(settings, "WAGTAIL_SMO", None)
    shown = {k: v for k, v in user.items() if k != "PROVIDERS"} if isinstance(user, dict) else {}
    return repr([sorted(shown.items(), key=repr), settings.LANGUAGE_CODE, settings.MEDIA_URL,
                 settings.STATIC_URL])


def output_name(site: Site, root: Page, request: HttpRequest) -> str:
    """The cache name of an output about ``root`` on ``site``: what selects it (path, query,
    language) and what shapes it (the plugin version, the project settings), hashed."""
    from django.utils.translation import get_language

    key = "|".join([__version__, project_settings_version(), request.path,
                    request.META.get("QUERY_STRING", ""), get_language() or ""])
    return f"{site.pk}:{root.pk}:{hashlib.sha256(key.encode()).hexdigest()[:32]}"


def validators_for(
    request: HttpRequest,
    site: Site | None,
    pages: Q,
    *,
    also: Iterable[datetime | None] = (),
) -> Validators:
    """The validators of a response about the pages matching ``pages`` on ``site``.

    Two queries (the pages' last publication, the settings' last change) and one cache read.
    """
    times = [
        last_published(pages),
        settings_changed_at(site),
        content_changed_at(),
        *also,
    ]
    latest = max((t for t in times if t is not None), default=_EPOCH)
    # Microseconds in the tag: two changes within one second give two tags (Last-Modified cannot).
    key = "|".join(
        [__version__, project_settings_version(), request.path,
         request.META.get("QUERY_STRING", "")]
        + [t.isoformat() if t is not None else "-" for t in times]
    )
    return Validators(f'"{hashlib.sha256(key.encode()).hexdigest()[:32]}"', latest)


def conditional(
    request: HttpRequest,
    validators: Validators,
    render: Callable[[], HttpResponse],
    *,
    cache_control: dict,
) -> HttpResponse:
    """A 304 (or 412) from ``validators`` without calling ``render``; else ``render()``'s response.

    As ``django.views.decorators.http.condition``, with the validators computed once by the view
    (the page or section it found is needed to compute them). Headers go on both answers.
    """
    seconds = validators.last_modified_seconds
    response = get_conditional_response(request, etag=validators.etag, last_modified=seconds)
    if response is None:
        response = render()
    if 200 <= response.status_code < 300 or response.status_code == 304:
        response["ETag"] = validators.etag
        response["Last-Modified"] = http_date(seconds)
        patch_cache_control(response, **cache_control)
    return response
