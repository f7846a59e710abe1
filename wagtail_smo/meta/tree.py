"""The page's place in the tree: ancestors, section, breadcrumbs and the inherited image."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from wagtail.models import Page, Site

from ..pages import section_of
from . import cache
from .context import ResolveContext
from .sources import ANCESTOR_IMAGE, Source
from .text import clean_text


@dataclass(frozen=True)
class Breadcrumb:
    """One step of the path from the site's home page down to a page."""

    title: str
    url: str


class _RootPathsHolder:
    """Carries Wagtail's site root paths for one ``ResolveContext`` (a request or a batch).

    Wagtail's ``get_url_parts(request)`` caches ``Site.get_site_root_paths()`` on whatever object
    it is given and only lets the Host header pick among sites when that object is an
    ``HttpRequest``. This one is not: the canonical URL never depends on the request.
    """

    _wagtail_cached_site_root_paths: list


def site_root_paths(context: ResolveContext) -> list:
    """``Site.get_site_root_paths()``, read from Django's cache once per ``context``."""
    holder = _root_paths_holder(context)
    return holder._wagtail_cached_site_root_paths


def _root_paths_holder(context: ResolveContext) -> _RootPathsHolder:
    if context.root_paths is None:
        holder = context.root_paths = _RootPathsHolder()
        holder._wagtail_cached_site_root_paths = Site.get_site_root_paths()
    return context.root_paths


def url_parts(page: Page, context: ResolveContext) -> tuple | None:
    """``page.get_url_parts()`` (site id, root URL, path), once per page and ``context``."""
    # url_path in the key: a page moved or renamed within one request gets its new URL.
    key = (page.pk, page.url_path)
    if key not in context.url_parts:
        context.url_parts[key] = page.get_url_parts(_root_paths_holder(context))
    return context.url_parts[key]


def site_ancestors(
    page: Page, site: Site | None, context: ResolveContext | None = None
) -> list[Page]:
    """Ancestors of ``page`` from its site's root page down (one query, generic pages).

    Siblings share their ancestors: with a ``context`` the query runs once per parent.
    """
    if not page.pk or getattr(page, "depth", 0) <= 1:
        return []
    context = context if context is not None else ResolveContext()
    root_depth = _site_root_depth(site, context) if site is not None else 2
    key = (page.path[: -page.steplen], root_depth)
    if key not in context.ancestors:
        # Cached across requests under the generations of the page's ancestors' paths: a change
        # to any ancestor (or a move: the global generation) replaces one of them.
        name, depends_on = f"ancestors:{key[0]}:{root_depth}", tuple(cache.dependency_keys(page))
        found = cache.shared_get(name, context, depends_on)
        if found is None:
            found = list(page.get_ancestors().filter(depth__gte=root_depth))
            cache.shared_set(name, found, context, depends_on)
        context.ancestors[key] = found
    return context.ancestors[key]


def _site_root_depth(site: Site, context: ResolveContext) -> int:
    for path in site_root_paths(context):
        if path.site_id == site.pk:
            return path.root_path.strip("/").count("/") + 2
    return 2


def section(page: Page, ancestors: list[Page], site: Site | None) -> str:
    """The title of the page's section (``pages.section_of``), "" when it has none."""
    found = section_of(page, site, ancestors)
    return clean_text(found.title) if found is not None else ""


def breadcrumbs(
    page: Page,
    ancestors: list[Page],
    site: Site | None,
    page_url: str | None,
    title: str,
    context: ResolveContext,
) -> tuple[Breadcrumb, ...]:
    """The path from the site's home page to ``page`` (empty when the page has no URL).

    Siblings share their ancestors' crumbs: they are built once per parent and ``context``.
    """
    if not page_url:
        return ()
    key = tuple((ancestor.pk, ancestor.url_path) for ancestor in ancestors)
    crumbs = context.breadcrumbs.get(key)
    if crumbs is None:
        crumbs = context.breadcrumbs[key] = tuple(_ancestor_crumbs(ancestors, context))
    return (*crumbs, Breadcrumb(clean_text(page.title) or title, page_url))


def _ancestor_crumbs(ancestors: list[Page], context: ResolveContext) -> Iterator[Breadcrumb]:
    for ancestor in ancestors:
        parts = url_parts(ancestor, context)
        if parts is None or parts[1] is None:
            continue
        yield Breadcrumb(clean_text(ancestor.title), parts[1].rstrip("/") + parts[2])


def ancestor_image(
    ancestors: list[Page], context: ResolveContext
) -> tuple[Any, str, Source] | None:
    """The social image of the nearest ancestor that has one, in one query across page models.

    Returns (image, alt, source) or None; siblings look it up once per ``context``.
    """
    if not ancestors:
        return None
    parent = ancestors[-1]
    if parent.pk not in context.ancestor_images:
        # Cached across requests under the generations of the ancestors' paths, as they are.
        name = f"ancestor-image:{parent.pk}"
        depends_on = tuple(cache.path_generations(parent.path, parent.steplen))
        found = cache.shared_get(name, context, depends_on)
        if found is None:
            found = _nearest_image(ancestors) or ()
            cache.shared_set(name, found, context, depends_on)
        context.ancestor_images[parent.pk] = found or None
    return context.ancestor_images[parent.pk]


def _nearest_image(ancestors: list[Page]) -> tuple[Any, str, Source] | None:
    from wagtail.images import get_image_model

    ids = [ancestor.pk for ancestor in ancestors]
    querysets = [
        model.objects.filter(pk__in=ids, social_image__isnull=False)
        .order_by()  # compound statements take no ORDER BY in their parts
        .values_list("depth", "pk", "social_image_id", "social_image_alt")
        for model in _mixin_page_models()
    ]
    if not ids or not querysets:
        return None
    combined = querysets[0].union(*querysets[1:]) if len(querysets) > 1 else querysets[0]
    rows = sorted(combined, reverse=True)
    if not rows:
        return None
    _depth, ancestor_id, image_id, alt = rows[0]
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None:
        return None
    return image, alt, Source(ANCESTOR_IMAGE, "social_image", page_id=ancestor_id)


def _mixin_page_models() -> list:
    from django.apps import apps

    from ..models import SocialMetaMixin

    # Only the model whose own table holds social_image: a subclass of it would only repeat rows.
    return [
        model
        for model in apps.get_models()
        if issubclass(model, SocialMetaMixin)
        and issubclass(model, Page)
        and model._meta.get_field("social_image").model is model
    ]
