"""Database look-ups the checks need, kept apart so that the checks stay plain functions."""

from __future__ import annotations

from collections import OrderedDict
from functools import reduce

from django.db.models import F, Q, Value
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

    def pages_sharing_title(self, page, title: str, limit: int = 3) -> list[tuple[int, str]]:
        """Other live pages of ``page``'s site whose social title is ``title``: (id, title)."""
        if not title:
            return []
        site = self.site_for(page)
        root_path = self._root_path(site) if site else ""
        querysets = [
            qs.filter(smo_title=title, path__startswith=root_path)
            .exclude(pk=page.pk)
            .values_list("pk", "title")
            .order_by()
            for qs in _titled_querysets()
        ]
        return list(querysets[0].union(*querysets[1:], all=True)[:limit])

    def _root_path(self, site: Site) -> str:
        if site.pk not in self._root_paths:
            self._root_paths[site.pk] = (
                Page.objects.filter(pk=site.root_page_id).values_list("path", flat=True).first()
                or ""
            )
        return self._root_paths[site.pk]


def _has_field(model, name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())


def _titled_querysets():
    """Live pages annotated with ``smo_title``, the title the resolver would pick, per model."""
    from ..models import SocialMetaMixin

    mixin_models = [
        m for m in get_page_models() if issubclass(m, SocialMetaMixin) and not m._meta.abstract
    ]
    querysets = []
    for model in mixin_models:
        querysets.append(
            model.objects.live().annotate(smo_title=_coalesce_title(model, "social_title"))
        )
    others = Page.objects.live().exclude(
        reduce(
            lambda q, m: q | Q(content_type__app_label=m._meta.app_label,
                               content_type__model=m._meta.model_name),
            mixin_models,
            Q(pk__in=[]),
        )
    )
    querysets.append(others.annotate(smo_title=_coalesce_title(Page)))
    return querysets


def _coalesce_title(model, *first: str):
    names = [*first, "seo_title"]
    parts = [NullIf(F(name), Value("")) for name in names if _has_field(model, name)]
    return Coalesce(*parts, F("title")) if parts else F("title")
