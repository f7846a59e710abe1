"""Database look-ups the checks need, kept apart so that the checks stay plain functions."""

from __future__ import annotations

from collections import OrderedDict

from django.db.models import F, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage
from wagtail.models import Page, Site, get_page_models

from ..pages import visible_pages

# Bounded caches keep a long audit in constant memory.
_CACHE_SIZE = 256


class AuditContext:
    """Look-ups shared by the checks of one audit run (one editor request or one command)."""

    def __init__(self) -> None:
        self._images: OrderedDict[int, AbstractImage | None] = OrderedDict()
        self._titled: dict[int | None, QuerySet] = {}
        self._channel_networks: dict[int, tuple[str, ...]] = {}

    def image(self, image_id: int | None) -> AbstractImage | None:
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

    def site_for(self, page: Page) -> Site | None:
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

    def pages_sharing_title(
        self, page: Page, title: str, limit: int = 3
    ) -> list[tuple[int, str]]:
        """Other visible pages of ``page``'s site whose social title is ``title``: (id, title).

        Only pages the public may see (``wagtail_smo.pages.visible_pages``): a crawler never
        meets a draft or a page under a view restriction beside this one.
        """
        if not title:
            return []
        site = self.site_for(page)
        key = site.pk if site is not None else None
        if key not in self._titled:
            # Built once per site and audit: the view restrictions behind it are read once, and
            # the page models and their fields do not change in a run.
            self._titled[key] = visible_pages(site).annotate(smo_title=_resolved_title())
        pages = self._titled[key].filter(smo_title=title).exclude(pk=page.pk)
        return list(pages.order_by("path").values_list("pk", "title")[:limit])


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


def _path_from_page(model: type[Page]) -> str:
    """The lookup from Page down to ``model`` through multi-table inheritance, e.g. "blogpage"."""
    names = []
    while model is not Page and model._meta.concrete_model is not Page:
        names.append(model._meta.model_name)
        model = next(iter(model._meta.parents))
    return "__".join(reversed(names))
