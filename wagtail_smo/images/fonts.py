"""Fonts of the generated cards: the bundled DejaVu Sans, a site's own, and fallbacks per glyph.

DejaVu Sans (Bitstream Vera licence, kept beside the files in ``wagtail_smo/fonts/``) covers
Latin, Cyrillic, Greek, Hebrew and Arabic. A character the font lacks (emoji, CJK) is drawn with
the first of ``WAGTAIL_SMO["CARDS"]["FALLBACK_FONTS"]`` that has it, or left out: never drawn as
the font's empty box. Whether a font has a glyph is decided by comparing the character's bitmap
with the font's missing-glyph (.notdef) bitmap, as no cmap reader ships with Pillow.

Right-to-left text needs Pillow's complex-layout support (libraqm, ``PIL.features.check("raqm")``)
for shaping and ordering; without it a right-to-left title is refused (``CardError``) rather
than drawn backwards.
"""

from __future__ import annotations

import os
import unicodedata
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont, features

from ..conf import smo_settings
from .spec import CardError

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
REGULAR = str(FONT_DIR / "DejaVuSans.ttf")
BOLD = str(FONT_DIR / "DejaVuSans-Bold.ttf")
#: A code point in a private-use plane that no text font maps: it draws as the .notdef box.
_NOT_A_GLYPH = "\U0010fffd"
#: Drawn without a glyph of their own: spaces.
_SPACES = frozenset(" \u00a0\u2009\u202f")


def has_raqm() -> bool:
    """Whether Pillow has complex text layout (shaping, bidirectional text)."""
    return bool(features.check("raqm"))


def is_rtl(text: str) -> bool:
    """Whether ``text`` holds right-to-left letters (Hebrew, Arabic...)."""
    return any(unicodedata.bidirectional(char) in ("R", "AL") for char in text)


def font_paths(bold: bool) -> tuple[str, ...]:
    """The configured font (or the bundled one) of a weight, then the fallback fonts."""
    cards = smo_settings.CARDS
    main = (cards["BOLD_FONT"] if bold else cards["FONT"]) or (BOLD if bold else REGULAR)
    return (main, *cards["FALLBACK_FONTS"])


def identity() -> tuple[tuple[str, int], ...]:
    """(file name, size) of every font a card may use: part of each card's key."""
    paths = dict.fromkeys(font_paths(False) + font_paths(True))
    return tuple(_file_identity(path) for path in paths)


@lru_cache(maxsize=32)
def _file_identity(path: str) -> tuple[str, int]:
    try:
        return os.path.basename(path), os.path.getsize(path)
    except OSError:
        return os.path.basename(path), -1


@lru_cache(maxsize=64)
def load(path: str, size: int) -> ImageFont.FreeTypeFont:
    """The font at ``path`` in ``size`` pixels; ``CardError`` naming the setting if unreadable."""
    engine = ImageFont.Layout.RAQM if has_raqm() else ImageFont.Layout.BASIC
    try:
        return ImageFont.truetype(path, size, layout_engine=engine)
    except OSError as exc:
        raise CardError(
            f"The card font {path!r} cannot be read ({exc}): check WAGTAIL_SMO['CARDS'] "
            "FONT, BOLD_FONT and FALLBACK_FONTS."
        ) from exc


@lru_cache(maxsize=8192)
def has_glyph(path: str, char: str) -> bool:
    """Whether the font at ``path`` draws ``char`` (not its missing-glyph box)."""
    if char in _SPACES:
        return True
    font = load(path, 32)
    drawn = font.getmask(char)
    missing = font.getmask(_NOT_A_GLYPH)
    if drawn.size == missing.size and bytes(drawn) == bytes(missing):
        return False
    # A font whose .notdef glyph is empty draws nothing for a character it lacks.
    return drawn.getbbox() is not None or unicodedata.category(char).startswith(("Z", "M", "C"))


def font_of(char: str, bold: bool) -> str | None:
    """The path of the first font that draws ``char`` (main font first), or None."""
    for path in font_paths(bold):
        if has_glyph(path, char):
            return path
    return None


def drawable(text: str, bold: bool) -> str:
    """``text`` without the characters no configured font draws, spaces tidied up."""
    kept = "".join(char for char in text if font_of(char, bold) is not None)
    return " ".join(kept.split())


def runs(text: str, bold: bool) -> list[tuple[str, str]]:
    """``text`` split into (font path, text) runs of characters one font draws.

    Characters no font draws are left out; spaces stay with the run they are in.
    """
    out: list[tuple[str, str]] = []
    for char in text:
        path = out[-1][0] if out and char in _SPACES else font_of(char, bold)
        if path is None:
            continue
        if out and out[-1][0] == path:
            out[-1] = (path, out[-1][1] + char)
        else:
            out.append((path, char))
    return out


def check_rtl(text: str, setting: str) -> None:
    """Refuse right-to-left text when Pillow cannot lay it out (``CardError``)."""
    if is_rtl(text) and not has_raqm():
        raise CardError(
            f"The {setting} is written right to left, and this Pillow has no complex text "
            "layout (libraqm): install libraqm so that the card is not drawn backwards."
        )
