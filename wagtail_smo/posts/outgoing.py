"""What a provider is given to send: a SocialPost turned into an ``OutgoingPost``.

This is the posts side of the border with the providers: it reads the page's social values, the
attached image's rendition bytes and their absolute URL, so that providers never touch the ORM or
the resolver. The values come from the post's own record (``composed_from``) while the page is
still at the revision the post was composed from; only a page changed since is resolved again
(a delivery is mostly a post sent as composed: resolving was 44 % of ``deliver()``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..conf import smo_settings
from ..core.networks import network_for_channel
from ..exceptions import ImproperlyConfiguredChannel
from ..meta import SocialMeta, resolve
from ..meta.cards import network_card
from ..meta.images import absolute_url
from ..models import SocialPost
from ..net import host_problem, is_public_url
from ..providers.base import OutgoingPost


@dataclass(frozen=True)
class PageValues:
    """The page's social values a delivery reads (from the post's record or from resolve())."""

    title: str
    description: str
    url: str
    image_url: str
    image_alt: str


def resolved_values(meta: SocialMeta) -> PageValues:
    """``PageValues`` of a resolved page."""
    return PageValues(title=meta.title, description=meta.description, url=meta.url or "",
                      image_url=meta.image.url if meta.image else "",
                      image_alt=meta.image.alt if meta.image else "")


def stored_values(post: SocialPost) -> PageValues | None:
    """The values recorded when ``post`` was composed, while they still hold: the page is at the
    revision composed from and the post keeps the composed image. None: resolve the page."""
    record = post.composed_from or {}
    inputs = record.get("inputs")
    if (not isinstance(inputs, dict) or "image_url" not in record or post.revision_id is None
            or post.image_id != record.get("image_id")
            or post.page.live_revision_id != post.revision_id):
        return None
    return PageValues(title=inputs.get("title") or "", description=inputs.get("description") or "",
                      url=inputs.get("url") or "", image_url=record["image_url"] or "",
                      image_alt=record.get("image_alt") or "")


def page_values(post: SocialPost) -> PageValues | None:
    """The page's values for ``post``: stored when unchanged, else resolved; None without page."""
    if not post.page_id:
        return None
    return stored_values(post) or resolved_values(resolve(post.page.specific))


def outgoing_post(post: SocialPost) -> OutgoingPost:
    """From a SocialPost: text, link, image (a rendition) and card data of the page's values."""
    values = page_values(post)
    image = None
    mime = "image/jpeg"
    alt = ""
    # An imported image URL leaves the site only when it is on a public address.
    image_url = (post.image_url if is_public_url(post.image_url) else "") or (
        values.image_url if values else "")
    if post.image is not None:  # None without a query when there is no image_id
        rendition = post.image.get_rendition(smo_settings.IMAGE_FILTER)
        with rendition.file.open("rb") as handle:
            image = handle.read()
        if rendition.file.name.lower().endswith(".png"):
            mime = "image/png"
        alt = (values.image_alt if values else "") or post.image.title
        # The URL of these very bytes: networks that fetch the image (Threads) must get the
        # attached image, not the page's social image.
        site = post.page.get_site() if post.page_id else None
        image_url = absolute_url(rendition.url, site) or ""
    if image is None and values is not None and not post.image_url:
        card = _network_card(post)
        if card is not None:
            image, mime, alt, image_url = card[1], card[0].mime_type, card[0].alt, card[0].url
    return OutgoingPost(
        # Networks that fetch the image (Instagram, Pinterest) cannot reach a local address.
        image_problem=(host_problem(image_url) or "") if image_url else "",
        text=post.text, link=post.link or (values.url if values else ""),
        title=values.title if values else "", description=values.description if values else "",
        image=image, image_mime_type=mime, image_alt=alt, pk=post.pk, image_url=image_url,
    )


def _network_card(post: SocialPost) -> tuple | None:
    """A network that takes only images (Instagram, Pinterest) gets a card in its own size; the
    page is resolved only for such a network (the card draws its title and section)."""
    try:
        network = network_for_channel(post.channel)
    except ImproperlyConfiguredChannel:
        return None
    if network.images is None or not network.images.required:
        return None
    page = post.page.specific
    return network_card(page, resolve(page), network)
