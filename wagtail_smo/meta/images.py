"""Images of the resolver: finding the page's image and turning it into a crawler-safe rendition."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from wagtail.models import Site

from ..conf import smo_settings
from .context import ResolveContext

if TYPE_CHECKING:
    # Only for hints: this module reads the image models through get_image_model() when called.
    from wagtail.images.models import AbstractImage, AbstractRendition

logger = logging.getLogger("wagtail_smo")

# Crawlers (Facebook, LinkedIn, X, messengers) reliably read only these formats.
CRAWLER_MIME_TYPES = {
    "jpeg": "image/jpeg",
    "jpg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
}
_EMBED_IMAGE = re.compile(r"<embed\b[^>]*\bembedtype=\"image\"[^>]*>")
_EMBED_ID = re.compile(r"\bid=\"(\d+)\"")


@dataclass(frozen=True)
class SocialImage:
    """A crawler-safe rendition of the social image, with an absolute URL."""

    url: str
    width: int
    height: int
    mime_type: str
    alt: str
    image_id: int | None = None
    #: The file's name in the default storage when it is a generated card (no Wagtail image).
    file_name: str = ""

    @property
    def secure_url(self) -> str:
        """The URL when it is https (og:image:secure_url), else an empty string."""
        return self.url if self.url.startswith("https://") else ""


_warned: set[tuple] = set()


def warn_once(key: tuple, message: str, *args: Any) -> None:
    """Log ``message`` as a warning the first time ``key`` is seen by this process."""
    if key in _warned:
        return
    _warned.add(key)
    logger.warning(message, *args)


def chosen_image(owner: Any, name: str, context: Any = None) -> Any:
    """``getattr(owner, name)`` for an image field; on a page request, an image not loaded yet is
    read from the meta cache (kept under the global generation, which any image change replaces)."""
    from django.core.exceptions import FieldDoesNotExist

    from . import cache

    if context is None or not context.generations:  # not a page request: the rows as they are
        return getattr(owner, name, None)
    try:
        field = owner._meta.get_field(name)
    except (FieldDoesNotExist, AttributeError):
        return getattr(owner, name, None)
    image_id = getattr(owner, field.attname, None) if field.is_relation else None
    if image_id is None or field.is_cached(owner):
        return getattr(owner, name, None)
    image = cache.shared_get(f"image:{image_id}", context)
    if image is None:
        image = getattr(owner, name, None)
        if image is not None:
            cache.shared_set(f"image:{image_id}", image, context)
    else:
        field.set_cached_value(owner, image)
    return image


def first_body_image(body: Any) -> AbstractImage | None:
    """The first Wagtail image in a StreamField or rich text value, or None."""
    from wagtail.images import get_image_model

    image_model = get_image_model()
    if body is None:
        return None
    if isinstance(body, image_model):
        return body
    if hasattr(body, "source") or isinstance(body, str):
        match = _EMBED_IMAGE.search(getattr(body, "source", body))
        id_match = _EMBED_ID.search(match.group(0)) if match else None
        if id_match:
            return image_model.objects.filter(pk=int(id_match.group(1))).first()
        return None
    if hasattr(body, "raw_data") or isinstance(body, list | tuple):
        for child in body:
            found = first_body_image(getattr(child, "value", child))
            if found is not None:
                return found
    elif isinstance(body, dict):
        for value in body.values():
            found = first_body_image(value)
            if found is not None:
                return found
    return None


def crawler_rendition(
    image: AbstractImage, filter_spec: str | None = None
) -> AbstractRendition | None:
    """The rendition of ``image`` for crawlers, or None (warned once) when it cannot be made."""
    spec = filter_spec or smo_settings.IMAGE_FILTER
    try:
        return image.get_rendition(spec)
    except Exception as exc:  # missing file, unreadable image: never a 500 on the public site
        warn_once(
            ("rendition", image.pk, spec),
            "wagtail-smo: image %s left out of social tags: %s",
            image.pk,
            exc,
        )
        return None


def social_image(
    image: Any,
    alt: str,
    site: Site | None,
    filter_spec: str | None = None,
    context: ResolveContext | None = None,
) -> SocialImage | None:
    """A ``SocialImage`` for ``image`` on ``site``, or None when it cannot be served to crawlers.

    With a ``context`` (a request or a batch of pages) each image's rendition is looked up once:
    every page of an export shares the site's default image and publisher logo.
    """
    from .text import clean_text

    spec = filter_spec or smo_settings.IMAGE_FILTER
    key = (image.pk, spec, site.pk if site else None)
    if context is not None and key in context.renditions:
        found = context.renditions[key]
    else:
        found = _crawler_image(image, site, spec)
        if context is not None:
            context.renditions[key] = found
    if found is None:
        return None
    # The alt text is the page's own (or the image title): only the rendition part is shared.
    # (A direct copy: dataclasses.replace costs several times more, twice per exported page.)
    return SocialImage(found.url, found.width, found.height, found.mime_type,
                       clean_text(alt or image.title), found.image_id)


def _crawler_image(image: AbstractImage, site: Site | None, spec: str) -> SocialImage | None:
    rendition = crawler_rendition(image, spec)
    if rendition is None:
        return None
    ext = rendition.file.name.rsplit(".", 1)[-1].lower()
    mime_type = CRAWLER_MIME_TYPES.get(ext)
    if mime_type is None:
        warn_once(
            ("format", image.pk, ext),
            "wagtail-smo: image %s left out of social tags: its rendition is %s, which crawlers "
            "do not read; add format-jpeg or format-png to WAGTAIL_SMO['IMAGE_FILTER']",
            image.pk,
            ext,
        )
        return None
    url = absolute_url(rendition.url, site)
    if url is None:
        warn_once(
            ("url", image.pk, site.pk if site else None),
            "wagtail-smo: image %s left out of social tags: no absolute URL (the page has no "
            "site with a root URL and MEDIA_URL is relative)",
            image.pk,
        )
        return None
    return SocialImage(
        url=url,
        width=rendition.width,
        height=rendition.height,
        mime_type=mime_type,
        alt="",
        image_id=image.pk,
    )


def absolute_url(url: str, site: Site | None) -> str | None:
    """``url`` made absolute against the site's root URL (remote storage URLs pass through)."""
    if url.startswith(("http://", "https://")):
        return url
    if url.startswith("//"):
        return "https:" + url
    root = site_root_url(site)
    if not root:
        return None
    return root + "/" + url.lstrip("/")


def site_root_url(site: Site | None) -> str:
    """The root URL of ``site`` without a trailing slash, or "" when it has none."""
    if site is None or not site.hostname:
        return ""
    return site.root_url.rstrip("/")
