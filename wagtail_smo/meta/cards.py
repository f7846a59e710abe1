"""The resolver's generated card: the last image fallback, or the image a page or site asks for.

When a card is used (``mode_of``):

- the page's Social tab says "always" or "never" (``social_card``); otherwise
- the site's setting (Settings › Social media › generated cards): "always", "off", or "missing"
  (the default): a card when no image is found, or when the image found is smaller than a large
  card needs (``LARGE_CARD_MIN``). A page that turned *find an image automatically* off, or whose
  image cannot be read, gets no card unless it asks for one: the editor's choice, and a broken
  file is a fault the audit reports rather than hides.

The card's file is drawn on first use (about 10-60 ms) and reused afterwards: only a storage
``exists()`` check is left, and the resolved meta is cached. ``smo_generate_images`` draws the
cards ahead of time. A card that cannot be drawn (a missing logo, a bad colour, an unknown
layout) is logged once with the setting at fault and the page is shared without an image.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.formats import date_format
from wagtail.models import Site

from ..images import fonts, store
from ..images.layouts import get_layout
from ..images.spec import (
    LARGE_CARD_MIN,
    OPEN_GRAPH_SIZE,
    CardError,
    CardSpec,
    ImageInput,
    network_size,
)
from .context import ResolveContext
from .images import SocialImage, absolute_url, warn_once

#: The settings' names of a card's images, in the words of an error.
LOGO_SETTING = "card logo (Settings › Social media)"
IMAGE_SETTING = "page's image"


def mode_of(page: Any, site_settings: Any) -> str:
    """"always", "never"/"off" or "missing": when ``page`` gets a generated card."""
    own = getattr(page, "social_card", "")
    if own in ("always", "never"):
        return own
    return getattr(site_settings, "card_mode", "off") if site_settings is not None else "off"


def too_small(image: SocialImage) -> bool:
    """Whether a found image is too small for a large card (the card replaces it)."""
    return image.width < LARGE_CARD_MIN[0] or image.height < LARGE_CARD_MIN[1]


def image_input(image: Any, setting: str) -> ImageInput | None:
    """A Wagtail image as a card input (its file hash, else its file name, feeds the key)."""
    name = getattr(getattr(image, "file", None), "name", "") or ""
    if not name:
        return None
    return ImageInput(name=name, digest=getattr(image, "file_hash", "") or name,
                      setting=setting, storage=image.file.storage)


def card_spec(
    site_settings: Any, *, title: str, section: str, published: datetime | None,
    site_name: str, image: Any = None, size: tuple[int, int] = OPEN_GRAPH_SIZE,
) -> CardSpec:
    """The spec of a page's card from its resolved values; ``CardError`` for an unknown layout."""
    layout = get_layout(getattr(site_settings, "card_layout", "classic"))
    choice = getattr(site_settings, "card_subtitle", "section")
    subtitle = section if choice == "section" else (
        date_format(published, "DATE_FORMAT") if choice == "date" and published else "")
    logo = getattr(site_settings, "card_logo", None)
    return CardSpec(
        layout=layout.name or getattr(site_settings, "card_layout", ""),
        width=size[0], height=size[1], title=title,
        site_name=site_name if getattr(site_settings, "card_site_name", True) else "",
        subtitle=subtitle,
        background=getattr(site_settings, "card_background", CardSpec.background),
        foreground=getattr(site_settings, "card_text_colour", CardSpec.foreground),
        accent=getattr(site_settings, "card_accent", CardSpec.accent),
        logo=image_input(logo, LOGO_SETTING) if logo is not None else None,
        image=image_input(image, IMAGE_SETTING) if image is not None and layout.uses_page_image
        else None,
        fonts=fonts.identity(), format=layout.format,
    )


def generated_card(
    page: Any, site: Site | None, site_settings: Any, *, title: str, section: str,
    published: datetime | None, site_name: str, image: Any = None,
    size: tuple[int, int] = OPEN_GRAPH_SIZE, context: ResolveContext | None = None,
) -> SocialImage | None:
    """The page's generated card, drawn now if its file does not exist yet; None when it cannot
    be made (no absolute URL, or a bad input: logged once, naming the setting)."""
    try:
        spec = card_spec(site_settings, title=title, section=section, published=published,
                         site_name=site_name, image=image, size=size)
        url = absolute_url(store.storage().url(spec.name), site)
        if url is None:
            return None  # no site root URL: the resolver has warned about the page already
        store.ensure(spec, force=bool(context and context.redraw_cards))
    except CardError as exc:
        warn_once(("card", getattr(page, "pk", None), str(exc)),
                  "wagtail-smo: no generated card for page %s: %s", getattr(page, "pk", None), exc)
        return None
    except Exception as exc:  # a storage failure: the page still renders, without an image
        warn_once(("card-storage", getattr(page, "pk", None)),
                  "wagtail-smo: the generated card of page %s cannot be stored: %s",
                  getattr(page, "pk", None), exc)
        return None
    if context is not None:
        context.cards.add(spec.name)
    return SocialImage(url=url, width=spec.width, height=spec.height, mime_type=spec.mime_type,
                       alt=title or site_name, image_id=None, file_name=spec.name)



def network_card(page: Any, meta: Any, network: Any) -> tuple[SocialImage, bytes] | None:
    """A card in the size ``network`` asks for, with its bytes, when the network cannot post
    without an image (Instagram, Pinterest: ``ImageNeeds.required``); else None."""
    from ..core.networks import get_network
    from .sites import site_settings_of

    needs = get_network(network).images
    if needs is None or not needs.required:
        return None
    site = page.get_site()
    context = ResolveContext()
    card = generated_card(page, site, site_settings_of(site, context), title=meta.title,
                          section=meta.section, published=meta.published_time,
                          site_name=meta.site_name, size=network_size(needs), context=context)
    if card is None:
        return None
    with store.storage().open(next(iter(context.cards)), "rb") as handle:
        return card, handle.read()
