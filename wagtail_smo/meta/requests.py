"""Resolving for a request: one ``ResolveContext`` per request, and the meta cache for page views.

Template tags, share buttons, feeds and the headless API resolve through ``resolve_for_request``:
every value of one request shares the request's context, and real page views (not previews) are
served from the meta cache. Nothing here lets the request pick a site or a URL.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from wagtail.models import Page

from .context import ResolveContext
from .resolver import SocialMeta, resolve

_REQUEST_ATTR = "_wagtail_smo_resolve_context"


def request_context(request: HttpRequest | Any) -> ResolveContext:
    """The one context of ``request``, created on first use and kept on the request."""
    context = getattr(request, _REQUEST_ATTR, None)
    if context is None:
        context = ResolveContext()
        try:
            setattr(request, _REQUEST_ATTR, context)
        except AttributeError:  # an object that does not take attributes: a context per call
            pass
    return context


def caches_for(request: HttpRequest | Any | None) -> bool:
    """Whether resolving for ``request`` may use the meta cache: real page views, not previews."""
    return request is not None and not getattr(request, "is_preview", False)


def resolve_for_request(page: Page, request: HttpRequest | Any | None) -> SocialMeta:
    """``resolve(page)`` for a view or a template tag: the request's context, cached unless a
    preview; without a request (a static build, a command) resolved afresh."""
    if request is None:
        return resolve(page)
    return resolve(page, context=request_context(request), use_cache=caches_for(request))
