"""What the pages resolved for one request, or in one batch, share: ``ResolveContext``.

The resolver reads each Site and its settings, the site root paths, each parent's ancestors, each
rendition and the values every page of a site shares once per context instead of once per page.
A request gets one context (``wagtail_smo.meta.requests.request_context``), kept on the request
so that every tag and view of that request shares it; a batch (an export chunk, a feed chunk, an
editor preview) creates its own and passes it to ``resolve(page, context=...)``. A fresh context
per chunk keeps memory flat.

A context never decides whether the meta cache is used: that is ``resolve(..., use_cache=...)``.

This module imports nothing from the rest of ``meta`` (the resolver, images and tree modules all
import it), not even for type hints: import-linter counts imports under ``TYPE_CHECKING`` too, and
they would make cycles inside ``meta``. The values the resolver's own types fill in are ``Any``
here; each field's comment names what it holds, and the module that fills it types it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wagtail.models import Page, Site


@dataclass(eq=False)
class ResolveContext:
    """Look-ups shared by the pages resolved for one request or one batch of pages."""

    #: Site by id (None for a site that no longer exists).
    sites: dict[int, Site | None] = field(default_factory=dict)
    #: The social media settings of each site, by site id.
    site_settings: dict[int, Any] = field(default_factory=dict)
    #: The values every page of a site shares (site name, handles, publisher), by site id.
    site_values: dict[int | None, Any] = field(default_factory=dict)
    #: Holds Wagtail's site root paths (read once), see ``tree.site_root_paths``.
    root_paths: Any = None
    #: ``page.get_url_parts()`` by (page id, url_path).
    url_parts: dict[tuple[int, str], tuple | None] = field(default_factory=dict)
    #: Ancestors from the site's root down, by (parent path, site root depth).
    ancestors: dict[tuple[str, int], list[Page]] = field(default_factory=dict)
    #: The breadcrumbs (a tuple of ``tree.Breadcrumb``) of the ancestors, by the ancestors'
    #: (id, url_path) pairs.
    breadcrumbs: dict[tuple, tuple[Any, ...]] = field(default_factory=dict)
    #: The nearest ancestor's social image (image, alt, source) or None, by parent id.
    ancestor_images: dict[int, tuple | None] = field(default_factory=dict)
    #: Crawler renditions (``images.SocialImage``) by (image id, filter spec, site id); None
    #: when unusable.
    renditions: dict[tuple[int, str, int | None], Any] = field(default_factory=dict)
    #: Live translations (page id, language code) by translation key (Wagtail i18n).
    translations: dict[Any, list[tuple[int, str]]] = field(default_factory=dict)
    #: Results already served in this context, by page id: the ``cache.Slot`` holding the
    #: ``resolver.SocialMeta``, its stamp and its rendered heads.
    results: dict[int, Any] = field(default_factory=dict)
    #: Storage names of the generated cards the pages of this context use.
    cards: set[str] = field(default_factory=set)
    #: Draw generated cards again even when their file exists (``smo_generate_images --force``).
    redraw_cards: bool = False
    #: Language code by Locale id, read once (``locales.page_locale``).
    locale_codes: dict[int, str] | None = None
    #: The meta cache's generation tokens a page lookup of this context read, by key (empty: none
    #: did); site-wide values and ancestors are cached under them (``cache.shared_get``).
    generations: dict[str, str] = field(default_factory=dict)
