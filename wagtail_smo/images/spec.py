"""What a generated card is made of, and the file name that a hash of it gives.

A ``CardSpec`` holds every input of a card: layout, size, texts, colours, the logo's and the
background image's file hashes, and the fonts (their file names and sizes). Its ``key`` is a hash
of all of them, and the card's file lives under a folder named by that key, so a card is drawn
once and reused; a change of any input gives a new name (the old file is removed by
``smo_generate_images --clean``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from ..conf import smo_settings
from ..exceptions import SmoError

#: Bumped when the drawing changes, so that cards drawn by an older release are drawn again.
DRAWING_VERSION = 1
#: Open Graph and X (summary_large_image) card size.
OPEN_GRAPH_SIZE = (1200, 630)
#: A found image smaller than this cannot fill a large card (Facebook shows anything smaller as a
#: small thumbnail): the resolver shares a generated card instead.
LARGE_CARD_MIN = (600, 315)
#: Title characters measured against the layout by the audit and drawn at most.
TITLE_MAX_CHARS = 300


class CardError(SmoError):
    """A card cannot be drawn: its message names the setting or input at fault."""


@dataclass(frozen=True)
class ImageInput:
    """An image drawn on a card (the site's logo, the page's image as a background).

    ``digest`` (Wagtail's ``file_hash``, else the file name) is what the card's key reads; the
    file is opened from ``storage`` by ``name`` only when the card is drawn.
    """

    name: str
    digest: str
    #: Where the input comes from, in the words of an error ("the card logo (Settings › ...)").
    setting: str = ""
    storage: Any = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class CardSpec:
    """Every input of one card."""

    layout: str
    width: int
    height: int
    title: str
    site_name: str = ""
    #: The line above the title: the page's section or its date ("" for none).
    subtitle: str = ""
    background: str = "#1d3557"
    foreground: str = "#ffffff"
    accent: str = "#e9c46a"
    logo: ImageInput | None = None
    image: ImageInput | None = None
    #: (file name, size in bytes) of each font used, filled by ``fonts.identity()``.
    fonts: tuple[tuple[str, int], ...] = ()
    #: File format, "png" or "jpeg": the layout's ``format``.
    format: str = "png"

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) in pixels."""
        return self.width, self.height

    @property
    def key(self) -> str:
        """A hash of every input (and the drawing version): the name of the card's folder."""
        data = asdict(self)
        for name in ("logo", "image"):
            if data[name] is not None:
                data[name] = {"name": data[name]["name"], "digest": data[name]["digest"]}
        data["version"] = DRAWING_VERSION
        encoded = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(encoded.encode()).hexdigest()[:32]

    @property
    def name(self) -> str:
        """The card's storage name: ``<FOLDER>/<key[:2]>/<key>/<layout>-<w>x<h>.<png|jpg>``."""
        key = self.key
        folder = smo_settings.CARDS["FOLDER"].strip("/")
        ext = "jpg" if self.format == "jpeg" else "png"
        return f"{folder}/{key[:2]}/{key}/{self.layout}-{self.width}x{self.height}.{ext}"

    @property
    def mime_type(self) -> str:
        """The card's media type (og:image:type)."""
        return "image/jpeg" if self.format == "jpeg" else "image/png"


def network_size(images: Any, use: str | None = None) -> tuple[int, int]:
    """The size a network's ``ImageNeeds`` asks for (its first size, or the one for ``use``).

    Networks that declare no size get the Open Graph size.
    """
    sizes = list(getattr(images, "sizes", ()) or ())
    for size_use, width, height in sizes:
        if use is None or size_use == use:
            return width, height
    return OPEN_GRAPH_SIZE
