"""Database look-ups the checks need, kept apart so that the checks stay plain functions."""

from __future__ import annotations

from collections import OrderedDict

from django.db.models import F, Value
from django.db.models.functions import Coalesce, NullIf
from wagtail.images import get_image_model
from wagtail.models import Page, Site, get_page_models

# Bounded caches keep a long audit in constant memory.
_CACHE_SIZE = 256


class AuditContext:
    """Look-ups shared by the checks of one audit run (one editor request or one command)."""

    def __init__(self) -> None:
        self._images: OrderedDict[int, object] = OrderedDict()
        self._root_paths: dict[int, str] = {}
        self._titled = None
        self._channel_networks: dict[int, tuple[str, ...]] = {}

    def image(self, image_id: int | None):
        """The original Wagtail image ``image_id`` (cached), or None."""
        if image_id is None:
            return None
        if image_id in self._images:
            self._images.move_to_end(image_id)
            return self._images[image_id]
        image = get_image_model().objects.filter(pk=image_id).first()
        self._images[image_id] = image
        if len(self._images) > _CACHE_SIZE:
            self._images.popitem(last=False)
        return image

    def image_from_source(self, page, source: str):
        """The image a ``meta.sources["image"]`` entry points at, when it names a field."""
        if source == "social_image":
            return getattr(page, "social_image", None)
        kind, _, name = source.partition(": ")
        if kind == "image field" and name:
            return getattr(page, name.strip(), None)
        if source == "site default":
            from ..models import SocialMediaSettings

            site = self.site_for(page)
            return SocialMediaSettings.for_site(site).default_image if site else None
        return None

    def site_for(self, page) -> Site | None:
        """The Wagtail site whose tree holds ``page`` (Wagtail caches the site roots)."""
        return page.get_site() if page.path else None

    def channel_networks(self, site: Site | None) -> tuple[str, ...]:
        """Network keys of ``site``'s enabled channels (one query per site and audit run)."""
        if site is None:
            return ()
        if site.pk not in self._channel_networks:
            from ..exceptions import ImproperlyConfiguredChannel
            from ..models import SocialChannel

            keys = []
            for channel in SocialChannel.objects.enabled_for_site(site):
                try:
                    keys.append(channel.network)
                except ImproperlyConfiguredChannel:
                    continue  # a channel whose backend is broken: the system check says so
            self._channel_networks[site.pk] = tuple(keys)
        return self._channel_networks[site.pk]

    def pages_sharing_title(self, page, title: str, limit: int = 3) -> list[tuple[int, str]]:
        """Other live pages of ``page``'s site whose social title is ``title``: (id, title)."""
        if not title:
            return []
        if self._titled is None:
            # Built once per audit: the page models and their fields do not change in a run.
            self._titled = Page.objects.live().annotate(smo_title=_resolved_title())
        site = self.site_for(page)
        pages = self._titled.filter(smo_title=title).exclude(pk=page.pk)
        if site is not None:
            pages = pages.filter(path__startswith=self._root_path(site))
        return list(pages.order_by("path").values_list("pk", "title")[:limit])

    def _root_path(self, site: Site) -> str:
        if site.pk not in self._root_paths:
            self._root_paths[site.pk] = (
                Page.objects.filter(pk=site.root_page_id).values_list("path", flat=True).first()
                or ""
            )
        return self._root_paths[site.pk]


def _resolved_title():
    """SQL for the title the resolver picks: social title, then SEO title, then title.

    One query for every page type: each model holding ``social_title`` is joined from Page
    (a page has a row in one of them only), so no union over the page models is needed.
    """
    from ..models import SocialMetaMixin

    parts = []
    for model in get_page_models():
        if not issubclass(model, SocialMetaMixin):
            continue
        field = model._meta.get_field("social_title")
        if field.model is model:  # a subclass's title lives in its parent's table: joined there
            parts.append(NullIf(F(_path_from_page(model) + "__social_title"), Value("")))
    if any(f.name == "seo_title" for f in Page._meta.get_fields()):
        parts.append(NullIf(F("seo_title"), Value("")))
    return Coalesce(*parts, F("title")) if parts else F("title")


def _path_from_page(model) -> str:
    """The lookup from Page down to ``model`` through multi-table inheritance, e.g. "blogpage"."""
    names = []
    while model is not Page and model._meta.concrete_model is not Page:
        names.append(model._meta.model_name)
        model = next(iter(model._meta.parents))
    return "__".join(reversed(names))
