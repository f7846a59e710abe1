"""Caching of resolved social meta: per request, and across requests in Django's cache.

A resolved ``SocialMeta`` depends on the page, its ancestors, its images, its tags, its
translations, its Site and the site settings. Rather than tracking each dependency, every change to
any of these bumps one *generation* number kept in the cache; cached results carry the generation
in their key, so a change invalidates them all at once (changes are rare, renders are many).
Results are only cached for real page requests: previews and calls without a request (commands,
post drafts) always resolve afresh.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.cache import caches
from django.db.models.signals import post_delete, post_save

from ..conf import smo_settings

GENERATION_KEY = "wagtail-smo:meta-generation"
_REQUEST_ATTR = "_wagtail_smo_meta"


def _cache():
    return caches[smo_settings.META_CACHE]


def generation() -> str:
    """The current generation of cached social meta (created on first use)."""
    cache = _cache()
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = str(time.time_ns())
        cache.add(GENERATION_KEY, value, None)
        value = cache.get(GENERATION_KEY) or value
    return value


def invalidate(**kwargs: Any) -> None:
    """Invalidate every cached social meta result (a signal receiver, also callable directly)."""
    _cache().set(GENERATION_KEY, str(time.time_ns()), None)


def cacheable(page, request) -> bool:
    """Whether the meta of ``page`` may be served from the cache for ``request``."""
    return (
        request is not None
        and page.pk is not None
        and not getattr(request, "is_preview", False)
        and smo_settings.META_CACHE_TIMEOUT != 0
    )


def cache_key(page) -> str:
    """The cache key of the meta of ``page`` in its saved state."""
    published = page.last_published_at.timestamp() if page.last_published_at else 0
    return f"wagtail-smo:meta:{generation()}:{page.pk}:{page.latest_revision_id or 0}:{published}"


def request_memo(request) -> dict:
    """A per-request dict of results, so several outputs on one page resolve it once."""
    memo = getattr(request, _REQUEST_ATTR, None)
    if memo is None:
        memo = {}
        try:
            setattr(request, _REQUEST_ATTR, memo)
        except AttributeError:  # an object that does not take attributes: no memo
            pass
    return memo


def fetch(key: str):
    """The cached value of ``key`` or None."""
    return _cache().get(key)


def store(key: str, value) -> None:
    """Cache ``value`` under ``key`` for ``META_CACHE_TIMEOUT`` seconds."""
    _cache().set(key, value, smo_settings.META_CACHE_TIMEOUT)


def connect_signals() -> None:
    """Invalidate cached meta whenever something it depends on changes (called in ``ready()``)."""
    from wagtail.images import get_image_model
    from wagtail.models import Locale, PageViewRestriction, Site
    from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

    from ..models import SocialMediaSettings

    for model in (SocialMediaSettings, Site, Locale, PageViewRestriction, get_image_model()):
        post_save.connect(invalidate, sender=model, dispatch_uid=f"smo-meta-{model.__name__}")
        post_delete.connect(invalidate, sender=model, dispatch_uid=f"smo-meta-del-{model.__name__}")
    # Page models and tag links: post_save cannot filter by base class, so listen to all.
    post_save.connect(_page_changed, dispatch_uid="smo-meta-page-save")
    post_delete.connect(_page_changed, dispatch_uid="smo-meta-page-delete")
    for signal in (page_published, page_unpublished, post_page_move, page_slug_changed):
        signal.connect(invalidate, dispatch_uid=f"smo-meta-{id(signal)}")


def _page_changed(sender, instance=None, **kwargs) -> None:
    from taggit.models import TaggedItemBase
    from wagtail.models import Page

    if isinstance(instance, Page | TaggedItemBase):
        invalidate()
