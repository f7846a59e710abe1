"""What a provider is given to send: a SocialPost turned into an ``OutgoingPost``.

This is the posts side of the border with the providers: it reads the page (through the resolver),
the attached image's rendition bytes and their absolute URL, so that providers never touch the
ORM or the resolver.
"""

from __future__ import annotations

from ..conf import smo_settings
from ..core.networks import network_for_channel
from ..exceptions import ImproperlyConfiguredChannel
from ..meta import resolve
from ..meta.cards import network_card
from ..meta.images import absolute_url
from ..models import SocialPost
from ..net import host_problem, is_public_url
from ..providers.base import OutgoingPost


def outgoing_post(post: SocialPost) -> OutgoingPost:
    """From a SocialPost: text, link, image (a rendition) and card data from resolve()."""
    meta = resolve(post.page.specific) if post.page_id else None
    image = None
    mime = "image/jpeg"
    alt = ""
    # An imported image URL leaves the site only when it is on a public address.
    image_url = (post.image_url if is_public_url(post.image_url) else "") or (
        meta.image.url if meta and meta.image else "")
    if post.image is not None:  # None without a query when there is no image_id
        rendition = post.image.get_rendition(smo_settings.IMAGE_FILTER)
        with rendition.file.open("rb") as handle:
            image = handle.read()
        if rendition.file.name.lower().endswith(".png"):
            mime = "image/png"
        alt = (meta.image.alt if meta and meta.image else "") or post.image.title
        # The URL of these very bytes: networks that fetch the image (Threads) must get the
        # attached image, not the page's social image.
        site = post.page.get_site() if post.page_id else None
        image_url = absolute_url(rendition.url, site) or ""
    if image is None and meta is not None and not post.image_url:
        # A network that takes only images (Instagram, Pinterest) gets a card in its own size.
        try:
            card = network_card(post.page.specific, meta, network_for_channel(post.channel))
        except ImproperlyConfiguredChannel:
            card = None
        if card is not None:
            image, mime, alt, image_url = card[1], card[0].mime_type, card[0].alt, card[0].url
    return OutgoingPost(
        # Networks that fetch the image (Instagram, Pinterest) cannot reach a local address.
        image_problem=(host_problem(image_url) or "") if image_url else "",
        text=post.text, link=post.link or (meta.url if meta else "") or "",
        title=meta.title if meta else "", description=meta.description if meta else "",
        image=image, image_mime_type=mime, image_alt=alt, pk=post.pk, image_url=image_url,
    )
