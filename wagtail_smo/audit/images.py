"""Checks of the social image against what each network in play declares it needs.

The networks in play are those the "Social cards" preview shows and those of the site's enabled
channels (``limits.networks_in_play``); each one's ``Network.images`` (card size, aspect, formats,
file size) and ``Network.limits.alt`` come from the registry, so a site's own network gets its own
findings, named, without a change to the package.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from typing import TypeVar
from urllib.parse import urlsplit

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from wagtail.images.models import AbstractImage
from wagtail.models import Page

from ..core.networks import IMAGE_FORMATS, ImageNeeds, Network
from ..meta.images import crawler_rendition
from ..meta.resolver import SocialMeta
from . import limits
from .context import AuditContext
from .findings import Finding, Level
from .wording import cut_by, names, phrase

#: A network and what it declares it needs of images.
Needs = list[tuple[Network, ImageNeeds]]
V = TypeVar("V", bound=Hashable)


def extension(url: str) -> str:
    """The lower-case file extension of a URL's or a file name's last segment ("" if none)."""
    path = urlsplit(url or "").path
    name = path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def networks_for(page: Page, context: AuditContext) -> list[Network]:
    """The networks in play for ``page``: the previewed ones and its site's enabled channels'."""
    return limits.networks_in_play(context.channel_networks(context.site_for(page)))


def check_image_needs(page: Page, meta: SocialMeta, context: AuditContext) -> Iterator[Finding]:
    """An image smaller than a network's card, in another aspect, format or over its size."""
    if meta.image is None:
        return  # check_image says why
    # Networks that cannot post without an image (Instagram, Pinterest) get a generated card in
    # their own size (posts/outgoing.py), not the page's image: its shape is not theirs to judge.
    networks: Needs = [(network, network.images) for network in networks_for(page, context)
                       if network.images is not None and not network.images.required]
    original = context.image(meta.image.image_id)
    width = getattr(original, "width", None) or meta.image.width
    height = getattr(original, "height", None) or meta.image.height
    yield from _size(width, height, networks)
    yield from _aspect(meta.image.width, meta.image.height, networks)
    yield from _format(meta.image.url, networks)
    yield from _bytes(original, networks)


def check_alt_length(page: Page, meta: SocialMeta, context: AuditContext) -> Iterator[Finding]:
    """Alt text longer than a network in play accepts (X: 420 characters)."""
    alt = meta.image.alt if meta.image is not None else ""
    groups = limits.field_limits("alt", networks_for(page, context)) if alt else []
    cut = [(limit, networks) for limit, networks in reversed(groups) if len(alt) > limit]
    if cut:
        shown = [(limit, networks) for limit, networks in groups if len(alt) <= limit]
        yield Finding(
            Level.WARNING, "image-alt-too-long",
            _("The image's alt text is %(n)s characters: %(cut)s.")
            % {"n": len(alt), "cut": cut_by(cut, shown)},
            _("Shorten “Social image alt text” (Social tab) to at most %(max)s characters.")
            % {"max": groups[0][0]},
        )


def _grouped(pairs: list[tuple[Network, V]]) -> list[tuple[V, list[Network]]]:
    """``(value, networks)`` for (network, value) pairs, in order of first appearance."""
    groups: dict[V, list[Network]] = {}
    for network, value in pairs:
        groups.setdefault(value, []).append(network)
    return list(groups.items())


def _size(width: int, height: int, networks: Needs) -> Iterator[Finding]:
    short = [(network, size) for network, needs in networks
             if (size := needs.card_size) and (width < size[0] or height < size[1])]
    if not short:
        return
    groups = sorted(_grouped(short), key=lambda group: group[0], reverse=True)
    needs_text = phrase([f"{names(group)} ({w}×{h})" for (w, h), group in groups])
    need_w = max(size[0] for _network, size in short)
    need_h = max(size[1] for _network, size in short)
    yield Finding(
        Level.WARNING, "image-too-small",
        _("The image is %(w)s×%(h)s pixels: smaller than the card image of %(needs)s, so they "
          "show it small or blurred.") % {"w": width, "h": height, "needs": needs_text},
        _("Choose an image of at least %(mw)s×%(mh)s pixels.") % {"mw": need_w, "mh": need_h},
    )


def _aspect(width: int, height: int, networks: Needs) -> Iterator[Finding]:
    if not width or not height:
        return
    ratio = width / height
    cropped = [(network, needs.aspect or "") for network, needs in networks
               if (declared := needs.aspect_ratio)
               and abs(ratio / declared - 1) > limits.ASPECT_TOLERANCE]
    if not cropped:
        return
    groups = _grouped(cropped)
    shapes = phrase([f"{names(group)} ({aspect})" for aspect, group in groups])
    yield Finding(
        Level.WARNING, "image-aspect",
        _("The card image is %(w)s×%(h)s (%(ratio).2f:1): %(shapes)s crop it to their own "
          "shape, so its edges are cut off.")
        % {"w": width, "h": height, "ratio": ratio, "shapes": shapes},
        _("Set the image's focal point (Images › Edit) so that the crop keeps what matters, or "
          "choose an image in %(aspect)s.") % {"aspect": groups[0][0]},
    )


def _format(url: str, networks: Needs) -> Iterator[Finding]:
    served = limits.format_of(extension(url))
    rejecting = [(network, needs) for network, needs in networks if served not in needs.formats]
    if not rejecting:
        return
    # A format every rejecting network takes, in the order crawlers prefer them.
    accepted = ([fmt for fmt in IMAGE_FORMATS
                 if all(fmt in needs.formats for _network, needs in rejecting)]
                or list(rejecting[0][1].formats))
    yield Finding(
        Level.ERROR, "image-format",
        _("The card image is a %(fmt)s file, which %(names)s do not accept, so they show no "
          "image.") % {"fmt": (served or _("unknown")).upper(),
                       "names": names(network for network, _needs in rejecting)},
        _("Upload a %(formats)s, or add |format-%(first)s to WAGTAIL_SMO['IMAGE_FILTER'].")
        % {"formats": _(" or ").join(fmt.upper() for fmt in accepted[:2]),
           "first": accepted[0]},
    )


def _bytes(original: AbstractImage | None, networks: Needs) -> Iterator[Finding]:
    capped = [(network, needs.max_bytes) for network, needs in networks if needs.max_bytes]
    if not capped or original is None:
        return
    size = _served_size(original)
    if size is None:
        return
    over = [(network, cap) for network, cap in capped if cap is not None and size > cap]
    if not over:
        return
    groups = sorted(_grouped(over), key=lambda group: group[0], reverse=True)
    caps = phrase([f"{names(group)} ({filesizeformat(cap)})" for cap, group in groups])
    yield Finding(
        Level.ERROR, "image-too-large",
        _("The card image file is %(size)s: over the limit of %(caps)s, so they show no image.")
        % {"size": filesizeformat(size), "caps": caps},
        _("Choose a smaller image, or lower the quality in WAGTAIL_SMO['IMAGE_FILTER'] "
          "(e.g. jpegquality-70)."),
    )


def _served_size(original: AbstractImage) -> int | None:
    """Bytes of the rendition crawlers fetch (None when it cannot be read)."""
    rendition = crawler_rendition(original)
    if rendition is None:
        return None
    try:
        return rendition.file.size
    except (OSError, ValueError):  # a file gone from storage: check_image reports it
        return None
