"""The page's place in the tree: ancestors, section, breadcrumbs and the inherited image."""

from __future__ import annotations

from dataclasses import dataclass

from wagtail.models import Page, Site

from .text import clean_text


@dataclass(frozen=True)
class Breadcrumb:
    """One step of the path from the site's home page down to a page."""

    title: str
    url: str


def site_ancestors(page: Page, site: Site | None, memo: dict | None = None) -> list[Page]:
    """Ancestors of ``page`` from its site's root page down (one query, generic pages).

    Siblings share their ancestors: with a ``memo`` (one per request or per batch of pages), the
    query runs once per parent.
    """
    if not page.pk or getattr(page, "depth", 0) <= 1:
        return []
    memo = {} if memo is None else memo
    root_depth = _site_root_depth(site) if site is not None else 2
    key = ("ancestors", page.path[: -page.steplen], root_depth)
    if key not in memo:
        memo[key] = list(page.get_ancestors().filter(depth__gte=root_depth))
    return memo[key]


def _site_root_depth(site: Site) -> int:
    for path in Site.get_site_root_paths():
        if path.site_id == site.pk:
            return path.root_path.strip("/").count("/") + 2
    return 2


def section(page: Page, ancestors: list[Page], site: Site | None) -> str:
    """The title of the page's parent, unless the parent is the site's home page."""
    if not ancestors or (site is not None and ancestors[-1].pk == site.root_page_id):
        return ""
    return clean_text(ancestors[-1].title)


def breadcrumbs(
    page: Page, ancestors: list[Page], site: Site | None, page_url: str | None, title: str
) -> tuple[Breadcrumb, ...]:
    """The path from the site's home page to ``page`` (empty when the page has no URL)."""
    if not page_url:
        return ()
    crumbs = []
    for ancestor in ancestors:
        url = ancestor.get_url_parts(None)
        if url is None or url[1] is None:
            continue
        crumbs.append(Breadcrumb(clean_text(ancestor.title), url[1].rstrip("/") + url[2]))
    crumbs.append(Breadcrumb(clean_text(page.title) or title, page_url))
    return tuple(crumbs)


_MISSING = object()


def ancestor_image(ancestors: list[Page], memo: dict | None = None):
    """The social image of the nearest ancestor that has one, in one query across page models.

    Returns (image, alt, source) or None; with a ``memo`` siblings look it up once.
    """
    if not ancestors:
        return None
    memo = {} if memo is None else memo
    key = ("ancestor_image", ancestors[-1].pk)
    found = memo.get(key, _MISSING)
    if found is _MISSING:
        found = memo[key] = _nearest_image(ancestors)
    return found


def _nearest_image(ancestors: list[Page]):
    from wagtail.images import get_image_model

    ids = [ancestor.pk for ancestor in ancestors]
    querysets = [
        model.objects.filter(pk__in=ids, social_image__isnull=False)
        .order_by()  # compound statements take no ORDER BY in their parts
        .values_list("depth", "title", "social_image_id", "social_image_alt")
        for model in _mixin_page_models()
    ]
    if not ids or not querysets:
        return None
    combined = querysets[0].union(*querysets[1:]) if len(querysets) > 1 else querysets[0]
    rows = sorted(combined, reverse=True)
    if not rows:
        return None
    _depth, title, image_id, alt = rows[0]
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None:
        return None
    return image, alt, f"inherited from {clean_text(title)}"


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
