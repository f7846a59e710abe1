"""Feed and export items: the resolver's values of each page, fetched in constant-size batches.

Pages are read in chunks: each chunk loads the concrete page rows with their image foreign keys
and tags in a fixed number of queries, then every value comes from ``wagtail_smo.meta.resolve``.
Memory stays flat over any number of pages because only one chunk is held at a time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import islice

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist
from django.core.files.storage import Storage
from django.db.models import ForeignKey, QuerySet, prefetch_related_objects
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from modelcluster.queryset import FakeQuerySet
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from ..conf import smo_settings
from ..images.store import storage as cards_storage
from ..meta import ResolveContext, SocialImage, SocialMeta, resolve
from ..meta.locales import prefetch_translations
from ..meta.tree import url_parts
from ..share.utm import build_utm_url

CHUNK_SIZE = 200
# XML 1.0 forbids these; feeds must stay well-formed whatever an editor pasted.
_XML_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_RELATIVE_ATTR = re.compile(r"""(\s(?:href|src)=)(["'])(/(?!/)[^"']*)\2""")


@dataclass(frozen=True)
class FeedItem:
    """One page as a feed entry or export row; values come from the resolver (``meta``)."""

    meta: SocialMeta
    page: Page
    site: Site | None
    link: str
    guid: str
    published: datetime | None
    updated: datetime | None
    image_length: int | None = None
    content_html: str | None = None

    @property
    def image(self) -> SocialImage | None:
        """The resolved social image (crawler-safe rendition) or None."""
        return self.meta.image


def xml_safe(text: str | None) -> str:
    """``text`` without the characters XML 1.0 cannot carry (control characters, U+FFFE/F)."""
    return _XML_FORBIDDEN.sub("", text or "")


def aware(value: datetime | None) -> datetime | None:
    """A timezone-aware datetime (naive dates from DateFields are in the current time zone)."""
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value, timezone.get_current_timezone())
    return value


def page_guid(page: Page, site: Site | None) -> str:
    """A stable tag: URI for a page: survives slug changes and moves (RFC 4151)."""
    host = site.hostname if site else "localhost"
    first = page.first_published_at or page.last_published_at
    day = first.strftime("%Y-%m-%d") if first else "2000-01-01"
    return f"tag:{host},{day}:page:{page.pk}"


def iter_items(
    pages: Iterable[Page] | QuerySet,
    *,
    context: ResolveContext | None = None,
    use_cache: bool = False,
    utm: bool = False,
    utm_source: str = "feed",
    utm_medium: str = "rss",
    full_content: bool = False,
    chunk_size: int = CHUNK_SIZE,
) -> Iterator[FeedItem]:
    """Yield a ``FeedItem`` per page of ``pages`` (a queryset, or base or specific pages), in order.

    A queryset is read as ids and types only: each page is then instantiated once, as its
    specific class, chunk by chunk. ``context`` (a request's) is shared by every chunk; without
    one each chunk gets its own. ``use_cache``: whether the meta cache may serve and keep the
    results (off by default: an export of 100,000 pages must not flood it).
    """
    keys = _page_keys(pages)
    sites: dict[int, Site | None] = {}  # a feed or export reads few sites: fetch each once
    while chunk := list(islice(keys, chunk_size)):
        # A fresh context per chunk: what the resolver shares (sites, renditions, ancestors, URLs)
        # lives as long as one chunk, so memory stays flat however many pages are exported.
        shared = context if context is not None else ResolveContext()
        resolved = [
            (page, resolve(page, context=shared, use_cache=use_cache))
            for page in load_specific(chunk, shared)
        ]
        lengths = _image_lengths([meta for _page, meta in resolved])
        for page, meta in resolved:
            # Never the request's site: the same page must give the same item in a static file.
            site = _site_of(page, shared, sites)
            link = meta.url or ""
            if utm and link:
                link = build_utm_url(link, utm_source, medium=utm_medium, page=page)
            yield FeedItem(
                meta=meta,
                page=page,
                site=site,
                link=link,
                guid=page_guid(page, site),
                published=aware(meta.published_time),
                updated=aware(meta.modified_time or meta.published_time),
                image_length=lengths.get(meta.image.url) if meta.image else None,
                content_html=full_html(page, site) if full_content else None,
            )


def _page_keys(pages: Iterable[Page] | QuerySet) -> Iterator[tuple[int, int]]:
    """(pk, content_type_id) of each page, in order; a queryset is not instantiated at all."""
    if isinstance(pages, QuerySet):
        return pages.values_list("pk", "content_type_id").iterator(chunk_size=2000)
    return ((page.pk, page.content_type_id) for page in pages)


def _site_of(page: Page, context: ResolveContext, sites: dict) -> Site | None:
    # The page's URL parts are kept in the context by the resolver (never from the request's
    # Host); only the Site row itself needs a query, once per site.
    parts = url_parts(page, context)
    if not parts:
        return None
    site_id = parts[0]
    if site_id not in sites:
        sites[site_id] = Site.objects.filter(pk=site_id).select_related("root_page").first()
    return sites[site_id]


def load_specific(
    keys: list[tuple[int, int]], context: ResolveContext | None = None
) -> list[Page]:
    """The specific pages of ``keys`` ((pk, content_type_id) pairs) in order, one query per model.

    Image foreign keys come in the same query and tags in one more query per model; with a
    ``context``, the translations of the chunk too (Wagtail i18n). Missing pages are left out.
    """
    by_model: dict[type[Page], list[int]] = {}
    for pk, content_type_id in keys:
        model = ContentType.objects.get_for_id(content_type_id).model_class() or Page
        by_model.setdefault(model, []).append(pk)
    i18n = getattr(settings, "WAGTAIL_I18N_ENABLED", False)
    loaded: dict[int, Page] = {}
    for model, ids in by_model.items():
        queryset = model.objects.filter(pk__in=ids)
        related = [*_image_fks(model), *(["locale"] if i18n else [])]
        if related:
            queryset = queryset.select_related(*related)
        pages = list(queryset)
        prefetch_tags(pages, getattr(model, "smo_tags_field", None))
        loaded.update((page.pk, page) for page in pages)
    result = [loaded[pk] for pk, _type in keys if pk in loaded]
    if i18n and context is not None:
        prefetch_translations(result, context)
    return result


def prefetch_tags(pages: list[Page], name: str | None) -> None:
    """Attach the tags of ``pages`` (same model) as prefetched results: one query for them all.

    Django's ``prefetch_related`` builds a taggit queryset per page (most of its cost); here one
    query on the through model joins the tags, and ``page.<name>.all()`` reads the result.
    """
    if not pages or not name:
        return
    model = type(pages[0])
    link = _tag_link(model, name)
    if link is None:  # not a taggit manager on a plain foreign key (e.g. generic tags)
        if hasattr(model, name):
            prefetch_related_objects(pages, name)
        return
    field = model._meta.get_field(name)
    by_page: dict[int, list] = {page.pk: [] for page in pages}
    tagged = field.through._default_manager.filter(
        **{f"{link.attname}__in": list(by_page)}
    ).select_related("tag")
    for item in tagged.order_by("pk"):
        by_page[getattr(item, link.attname)].append(item.tag)
    tag_model = field.related_model
    for page in pages:
        # An in-memory queryset, as modelcluster itself returns for unsaved tags: iterating,
        # filtering or counting it needs no query.
        cache = page.__dict__.setdefault("_prefetched_objects_cache", {})
        cache[name] = FakeQuerySet(tag_model, by_page[page.pk])


def _tag_link(model: type[Page], name: str) -> ForeignKey | None:
    """The foreign key from the tags' through model to ``model``, or None."""
    try:
        link = model._meta.get_field(name).through._meta.get_field("content_object")
    except (FieldDoesNotExist, AttributeError):
        return None
    return link if isinstance(link, ForeignKey) else None


def _image_fks(model: type[Page]) -> list[str]:
    image_model = get_image_model()
    names = ["social_image", *getattr(model, "smo_image_fields", [])]
    result = []
    for name in dict.fromkeys(names):
        field = next((f for f in model._meta.get_fields() if f.name == name), None)
        if isinstance(field, ForeignKey) and field.related_model is image_model:
            result.append(name)
    return result


def _image_lengths(metas: list[SocialMeta]) -> dict[str, int]:
    """Byte length of each resolved social image, keyed by its absolute URL.

    One query per chunk finds the rendition files; sizes are cached since a rendition file never
    changes (its name carries the filter and a hash).
    """
    urls = {m.image.url: m.image.image_id for m in metas if m.image and m.image.image_id}
    lengths: dict[str, int] = {}
    for meta in metas:  # generated cards: a file of the default storage, no rendition row
        if meta.image and meta.image.file_name:
            size = stored_size(cards_storage(), meta.image.file_name)
            if size is not None:
                lengths[meta.image.url] = size
    if not urls:
        return lengths
    rendition_model = get_image_model().get_rendition_model()
    renditions = rendition_model.objects.filter(
        image_id__in=set(urls.values()), filter_spec=smo_settings.IMAGE_FILTER
    ).only("file", "image_id", "width", "height")  # the file's URL reads its dimensions
    by_path = {rendition.url: rendition for rendition in renditions}
    for url in urls:
        for path, rendition in by_path.items():
            if url.endswith(path):
                size = file_size(rendition.file)
                if size is not None:
                    lengths[url] = size
                break
    return lengths


def file_size(file: FieldFile) -> int | None:
    """Size in bytes of a stored file, cached by name; None when the file is missing."""
    if not file.name:  # a field without a file: nothing to measure
        return None
    return stored_size(file.storage, file.name)


def stored_size(storage: Storage, name: str) -> int | None:
    """Size in bytes of the file ``name`` of ``storage``, cached (file names carry a hash of
    their contents: renditions and generated cards never change); None when it is missing."""
    key = f"wagtail-smo:file-size:{name}"
    size = cache.get(key)
    if size is None:
        try:
            size = storage.size(name)
        except Exception:  # missing file or storage error: leave the length out
            return None
        cache.set(key, size, None)
    return size


def full_html(page: Page, site: Site | None) -> str:
    """The rendered body fields of ``page`` with absolute links and image URLs."""
    parts = []
    for name in getattr(page, "smo_body_fields", []):
        value = getattr(page, name, None)
        if value is None:
            continue
        if isinstance(value, str):
            from wagtail.rich_text import expand_db_html

            value = expand_db_html(value)
        parts.append(str(value))
    html = "\n".join(parts)
    if site is not None:
        root = site.root_url.rstrip("/")
        html = _RELATIVE_ATTR.sub(lambda m: f"{m[1]}{m[2]}{root}{m[3]}{m[2]}", html)
    return xml_safe(html)
