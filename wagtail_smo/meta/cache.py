"""Caching of resolved social meta: per context (request), and across requests in Django's cache.

A resolved ``SocialMeta`` depends on the page itself, its ancestors (section, breadcrumbs, the
inherited image), its tags, its live translations (og:locale:alternate), its images, its Site, the
site settings and the locales. A result is cached under the page's id with a *stamp*: the page's
own state (tree path, latest revision, publication time) and the value of each *generation* it
depends on, random tokens kept in the cache without expiry:

- the **global** generation, replaced by rare and wide changes: a Site, the social settings, a
  Locale, an image, a tag's name, a page move (tree paths change);
- one per **ancestor path**: the meta of a page depends on the generation of each proper prefix of
  its treebeard ``path``, so a change to a page replaces the generation of its own path and thereby
  invalidates its descendants, and leaves its siblings and other sections alone.

What concerns one page only (its own change, its tag links, a change to one of its translations)
deletes that page's entry instead, so no key per page is ever added beside the entries: a cache of
N entries still holds N pages (Django's default ``LocMemCache`` keeps only 300 keys).

A lookup reads the entry, the global and the ancestors' generations in one ``get_many`` and serves
the entry only when its stamp still matches: a warm lookup makes no database query and one cache
round trip. A generation missing from the cache (never written or evicted) is written anew before
the page is resolved, and matches no stored stamp. Invalidations happen at once (the process that
made the change sees it) and again when the transaction commits (a result another process
resolved from the old rows meanwhile is not kept).

Site-wide values (a Site, its social settings with their images, the values every page of the site
shares, the locales' language codes) are cached too, under the global generation they were read
with (``shared_get``/``shared_set``): a cold resolve of a page reads them with one cache round trip
instead of compiling and running the wide settings query (page requests only: previews, batches
and one-off calls read the rows), and any change that bumps the global
generation (a Site, the settings, a Locale, an image) makes them stale at once.

The entry also keeps the rendered head (``{% social_meta %}``'s HTML) per variant (JSON-LD on
or off, the active language: the labels are translated), so a warm tag costs the one cache read
and nothing more; it lives and dies with the entry, under the same stamp.

A cache backend that is down or raising never breaks a page: the meta is resolved and rendered
without it, and the failure is logged once (again only after the cache has worked in between).

Results are only cached for calls that pass a ``ResolveContext`` and leave ``use_cache`` on: real
page requests (``requests.resolve_for_request``). Previews, batches (exports, feeds written by a
command: ``use_cache=False``) and calls without a context (commands, post drafts) resolve afresh.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import caches
from django.db import transaction
from django.db.models import ForeignKey, Model
from django.utils.translation import get_language
from wagtail.models import Page, PageViewRestriction

from ..conf import smo_settings
from .context import ResolveContext
from .validators import mark_content_changed

GENERATION_KEY = "wagtail-smo:meta-generation"
# Versioned: entries of an earlier layout (sources as strings in v1, no rendered heads in v2) must
# never be served from a shared cache after an upgrade; their stamps would still match.
# "v3": entries carry the rendered heads beside the meta.
_ENTRY_PREFIX = "wagtail-smo:meta:v3:"
_GEN_PREFIX = "wagtail-smo:meta-gen:"
_SHARED_PREFIX = "wagtail-smo:meta-shared:v1:"
# Memcached refuses keys over 250 characters; deep tree paths are hashed (treebeard allows 255).
_MAX_PATH_IN_KEY = 180
# A save that writes only these fields records a draft: the live page, its descendants and its
# translations read none of them (the page's own stamp carries its latest revision anyway).
_DRAFT_FIELDS = frozenset(
    {
        "latest_revision",
        "latest_revision_created_at",
        "draft_title",
        "has_unpublished_changes",
        "locked",
        "locked_at",
        "locked_by",
        "wagtail_admin_comments",
    }
)

# Bumped by every invalidation in this process: a result kept in a request's context is not served
# after a change made while that request runs.
_local_epoch = 0


logger = logging.getLogger("wagtail_smo")

#: Whether the last use of the meta cache failed (its failure is then logged already).
_cache_down = False


def _cache():
    return caches[smo_settings.META_CACHE]


def _failed(exc: Exception) -> None:
    """A cache call raised: log it once, until the cache works again."""
    global _cache_down
    if not _cache_down:
        _cache_down = True
        logger.warning("wagtail-smo: the meta cache %r failed (%s: %s); social meta is resolved "
                       "without it until it works again", smo_settings.META_CACHE,
                       type(exc).__name__, exc)


def _worked() -> None:
    global _cache_down
    _cache_down = False


def cacheable(page: Any, context: ResolveContext | None, use_cache: bool) -> bool:
    """Whether the meta of ``page`` may be served from, and kept in, the meta cache.

    Only with a context (a request's or a batch's) and ``use_cache``: a one-off call without a
    context (a command, a post draft, an unsaved page) always sees the page as it is in memory.
    """
    return (
        use_cache
        and context is not None
        and page.pk is not None
        and smo_settings.META_CACHE_TIMEOUT != 0
    )


# --- lookups ---------------------------------------------------------------------------------


@dataclass
class Slot:
    """Where the meta of one page is cached, with the stamp a result stored now must carry."""

    key: str
    stamp: tuple
    context: ResolveContext
    page_id: int
    # The page's own state and this process's epoch when it was looked up: a result kept in the
    # context is served again only while both are unchanged.
    served_as: tuple
    #: The meta found or stored (None until then).
    meta: Any = None
    #: Rendered heads of the entry found, by variant (``head_variant``).
    heads: dict[tuple, str] = field(default_factory=dict)
    #: False when the cache failed during the lookup: nothing is written back.
    usable: bool = True

    def store(self, meta: Any) -> None:
        """Keep ``meta`` in the context and in the cache for ``META_CACHE_TIMEOUT`` seconds."""
        self.meta = meta
        self.context.results[self.page_id] = self
        self._write(meta, self.heads)

    def store_head(self, variant: tuple, meta: Any, html: str) -> None:
        """Keep the rendered head of ``meta`` for ``variant`` beside it in the entry."""
        self.heads = {**self.heads, variant: str(html)}
        self._write(meta, self.heads)

    def _write(self, meta: Any, heads: dict[tuple, str]) -> None:
        if not self.usable:
            return
        try:
            _cache().set(self.key, (self.stamp, meta, heads), smo_settings.META_CACHE_TIMEOUT)
        except Exception as exc:  # any backend's error: the page is served all the same
            _failed(exc)


def lookup(page: Page, context: ResolveContext) -> tuple[Any | None, Slot]:
    """The cached meta of ``page`` (None when stale or absent) and the slot to store it in."""
    own = _own_state(page)
    slot = Slot(entry_key(page.pk), (), context, page.pk, (own, _local_epoch))
    kept = context.results.get(page.pk)
    if kept is not None and kept.served_as == slot.served_as:
        return kept.meta, kept  # its stamp and heads too: a head rendered now joins the entry
    depends_on = dependency_keys(page)
    read = _read_generations(depends_on, also=[slot.key])
    if read is None:  # the cache failed: resolved without it
        slot.usable = False
        return None, slot
    tokens, found, written = read
    context.generations = tokens
    slot.stamp = (own, tuple(tokens[key] for key in depends_on))
    entry = found.get(slot.key)
    if written or not isinstance(entry, tuple) or len(entry) != 3 or entry[0] != slot.stamp:
        return None, slot
    slot.heads, slot.meta = entry[2], entry[1]
    context.results[page.pk] = slot
    return entry[1], slot


def shared_get(name: str, context: ResolveContext, depends_on: tuple[str, ...] = ()) -> Any:
    """A value ``shared_set`` stored under the generations a page lookup of ``context`` read
    (the global one and ``depends_on``), or None when absent or stale.

    Only for a context whose page lookup read those generations (a page request): previews,
    batches and one-off calls read the rows themselves, as they read the page.
    """
    return _stamped_get(_shared_key(name), _shared_stamp(context, depends_on))


def shared_set(
    name: str, value: Any, context: ResolveContext, depends_on: tuple[str, ...] = ()
) -> None:
    """Keep a value computed from rows read after ``context``'s lookup read its generations.

    A change made meanwhile has replaced one of them, so the value stored here is never served.
    """
    _stamped_set(_shared_key(name), _shared_stamp(context, depends_on), value)


def _stamped_get(key: str, stamp: tuple | None) -> Any:
    """The value kept under ``key`` when it was stored with ``stamp``, else None."""
    if stamp is None:
        return None
    try:
        entry = _cache().get(key)
    except Exception as exc:
        _failed(exc)
        return None
    if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == stamp:
        return entry[1]
    return None


def _stamped_set(key: str, stamp: tuple | None, value: Any) -> None:
    if stamp is None:
        return
    try:
        _cache().set(key, (stamp, value), smo_settings.META_CACHE_TIMEOUT)
    except Exception as exc:
        _failed(exc)


def _read_generations(
    keys: list[str], also: Collection[str] = ()
) -> tuple[dict[str, str], dict[str, Any], bool] | None:
    """The tokens of the generations ``keys`` (with ``also`` read in the same round trip):
    (tokens by key, everything found, whether a token was missing), None when the cache fails.

    A generation never seen or evicted gets a new token, written before the caller reads the
    rows, so a concurrent change's bump after this point makes what it stores miss.
    """
    try:
        cache = _cache()
        found = cache.get_many([*also, *keys])
        missing = {key: _token() for key in keys if key not in found}
        if missing:
            cache.set_many(missing, None)
    except Exception as exc:  # any backend's error: the caller works without the cache
        _failed(exc)
        return None
    _worked()
    return {key: found.get(key) or missing[key] for key in keys}, found, bool(missing)


def _shared_stamp(context: ResolveContext, depends_on: tuple[str, ...]) -> tuple | None:
    tokens = tuple(context.generations.get(key) for key in (GENERATION_KEY, *depends_on))
    return None if None in tokens else tokens


def _shared_key(name: str) -> str:
    if len(name) > _MAX_PATH_IN_KEY:
        name = "h" + hashlib.sha256(name.encode()).hexdigest()
    return _SHARED_PREFIX + name


def head_variant(json_ld_enabled: bool) -> tuple:
    """What a rendered head depends on beyond the meta: JSON-LD on or off, the language."""
    return (json_ld_enabled, get_language())


def dependency_keys(page: Page) -> list[str]:
    """Cache keys of the generations the meta of ``page`` depends on (no database query)."""
    path = page.path or ""
    steplen = getattr(page, "steplen", 4)
    # Proper prefixes only: the page's own changes delete its entry (no key per leaf page).
    return [GENERATION_KEY, *path_generations(path[:-steplen], steplen)]


def path_generations(path: str, steplen: int = 4) -> list[str]:
    """Cache keys of the generations of ``path`` and of each of its prefixes: what a change to
    that page or any page above it replaces."""
    return [_path_key(path[:end]) for end in range(steplen, len(path) + 1, steplen)]


def entry_key(page_id: int) -> str:
    """The cache key of the resolved meta of the page with id ``page_id``."""
    return f"{_ENTRY_PREFIX}{page_id}"


def _own_state(page: Any) -> tuple:
    published = page.last_published_at.timestamp() if page.last_published_at else 0
    # Whether it has child pages: a page's section is itself once it has one (pages.section_of),
    # and adding the first child or deleting the last one does not save the page.
    return (page.path, page.latest_revision_id or 0, published, page.numchild > 0)


def _path_key(path: str) -> str:
    return f"{_GEN_PREFIX}path:{_short(path)}"


def _short(path: str) -> str:
    if len(path) > _MAX_PATH_IN_KEY:
        return "h" + hashlib.sha256(path.encode()).hexdigest()
    return path


def _token() -> str:
    return secrets.token_hex(8)


# --- invalidation ----------------------------------------------------------------------------


def invalidate(**kwargs: Any) -> None:
    """Invalidate every cached social meta result (a signal receiver, also callable directly)."""
    _forget(generations=[GENERATION_KEY], only_present=False)


def invalidate_page(page: Page) -> None:
    """Invalidate the cached meta of ``page``, of its descendants and of its translations."""
    from django.conf import settings

    page_ids = [page.pk]
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False) and page.translation_key:
        translations = Page.objects.filter(translation_key=page.translation_key)
        page_ids += translations.exclude(pk=page.pk).values_list("pk", flat=True)
    _forget(page_ids, [_path_key(page.path), *_subtree_keys(page.path)] if page.path else [])


def invalidate_tags_of(page_id: int, path: str | None = None) -> None:
    """Invalidate the cached meta of the page with id ``page_id`` (its tag links changed), and
    the outputs listing it; ``path``: the page's tree path when the caller has it (no query)."""
    if path is None:
        path = Page.objects.filter(pk=page_id).values_list("path", flat=True).first()
    _forget([page_id], _subtree_keys(path) if path else [])


def _subtree_keys(path: str, steplen: int = 4) -> list[str]:
    """Generations of "something in this subtree changed", for each page above ``path`` and
    itself: what an output listing a subtree (a feed) is cached under (``subtree_stamp``)."""
    return [f"{_GEN_PREFIX}subtree:{_short(path[:end])}"
            for end in range(steplen, len(path) + 1, steplen)]


def subtree_stamp(root: Page) -> tuple | None:
    """The generations an output about ``root``'s subtree depends on (None: the cache failed).

    Something in the subtree changed (``root`` or a descendant: published, unpublished, moved
    in, restricted, its tags), an ancestor of ``root`` changed itself (titles and images the
    items inherit), or a wide change (sites, settings, images, locales, moves). A change in
    another section replaces none of them: the output stays cached.
    """
    if smo_settings.META_CACHE_TIMEOUT == 0:
        return None
    path = root.path or ""
    keys = [GENERATION_KEY, *_subtree_keys(path, root.steplen)[-1:],
            *path_generations(path[: -root.steplen], root.steplen)]
    read = _read_generations(keys)
    return tuple(read[0][key] for key in keys) if read is not None else None


def cached_output(name: str, stamp: tuple | None) -> Any:
    """An output ``store_output`` kept under ``name`` with this ``stamp``, or None."""
    return _stamped_get(_shared_key(f"output:{name}"), stamp)


def store_output(name: str, stamp: tuple | None, value: Any) -> None:
    """Keep an output built after ``stamp`` was read (a change meanwhile replaced it)."""
    _stamped_set(_shared_key(f"output:{name}"), stamp, value)


def _forget(
    page_ids: Collection[int] = (), generations: Collection[str] = (), only_present: bool = True
) -> None:
    def run() -> None:
        global _local_epoch
        _local_epoch += 1
        try:
            mark_content_changed()  # HTTP validators (validators.py) follow every invalidation
            cache = _cache()
            if page_ids:
                cache.delete_many([entry_key(page_id) for page_id in page_ids])
            # A generation that is absent stamps no valid entry (the next lookup writes a new
            # one): replacing only those present adds no key for pages nobody viewed below.
            present = cache.get_many(list(generations)) if only_present else generations
            if present:
                cache.set_many({key: _token() for key in present}, None)
        except Exception as exc:  # a save must not fail for a cache that is down
            _failed(exc)

    run()
    # Again after commit: another process may have resolved and stored the old rows meanwhile.
    transaction.on_commit(run)


# --- signal receivers (connected in ``signal_handlers.py``, to these senders only) -----------


def page_changed(
    sender: type[Page], instance: Page, update_fields: Collection[str] | None = None,
    **kwargs: Any,
) -> None:
    """``post_save``/``post_delete`` of a page model: the page, its subtree and translations.

    Saves, publishes, unpublishes, slug changes and deletes of a page all go through these two.
    """
    if update_fields and set(update_fields) <= _DRAFT_FIELDS:
        return
    invalidate_page(instance)


def tag_link_changed(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    """``post_save``/``post_delete`` of a page tag link (a taggit through model)."""
    from django.contrib.contenttypes.models import ContentType
    from taggit.models import CommonGenericTaggedItemBase

    if isinstance(instance, CommonGenericTaggedItemBase):  # taggit's own TaggedItem
        model = ContentType.objects.get_for_id(instance.content_type_id).model_class()
        if model is not None and issubclass(model, Page):
            invalidate_tags_of(instance.object_id)
        return
    field = instance._meta.get_field("content_object")  # a through model with a page key
    if isinstance(field, ForeignKey) and issubclass(field.related_model, Page):
        # Links saved with their page (modelcluster, on every publish) hold the page itself.
        page = field.get_cached_value(instance, None)
        invalidate_tags_of(getattr(instance, field.attname), getattr(page, "path", None))


def tag_changed(sender: type[Model], instance: Model, created: bool = False, **kwargs: Any) -> None:
    """``post_save``/``post_delete`` of a tag model used by pages."""
    if not created:
        # A renamed or deleted tag: its pages are unknown without a query. A new tag is on no
        # page yet (its links invalidate the pages they are added to).
        invalidate()


def restriction_changed(
    sender: type[PageViewRestriction], instance: PageViewRestriction, **kwargs: Any
) -> None:
    """A view restriction added, changed or removed: its page and subtree."""
    page = Page.objects.filter(pk=instance.page_id).only("path", "translation_key").first()
    if page is not None:
        invalidate_page(page)
