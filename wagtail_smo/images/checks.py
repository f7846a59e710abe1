"""System checks of ``WAGTAIL_SMO["CARDS"]``: the fonts can be read, the layouts imported.

E040 a font path that does not exist or is not a font; E041 a layout that cannot be imported or
is not a ``Layout``. (The layout chosen per site is checked when a card is drawn: the warning
names Settings › Social media, and the page is shared without an image.)
"""

from __future__ import annotations

from django.core import checks

from . import fonts
from .layouts import _import_layout
from .spec import CardError


def card_errors(cards: dict) -> list[checks.CheckMessage]:
    """Errors of the CARDS settings ``cards`` (already of the right types)."""
    errors: list[checks.CheckMessage] = []
    named = [("FONT", cards.get("FONT") or ""), ("BOLD_FONT", cards.get("BOLD_FONT") or "")]
    named += [(f"FALLBACK_FONTS[{i}]", path)
              for i, path in enumerate(cards.get("FALLBACK_FONTS") or [])]
    for key, path in named:
        if not path:
            continue
        try:
            fonts.load(path, 12)
        except CardError as exc:
            errors.append(checks.Error(
                f"WAGTAIL_SMO['CARDS']['{key.split('[')[0]}'] {path!r} cannot be read as a font: "
                f"{exc.__cause__ or exc}.",
                hint="Give the path of a TrueType or OpenType file, or remove it to use the "
                     "bundled DejaVu Sans.",
                id="wagtail_smo.E040",
            ))
    for name, path in (cards.get("LAYOUTS") or {}).items():
        try:
            _import_layout(path)
        except (ImportError, TypeError) as exc:
            errors.append(checks.Error(
                f"WAGTAIL_SMO['CARDS']['LAYOUTS'][{name!r}] = {path!r} cannot be used: {exc}.",
                hint="Name a subclass of wagtail_smo.images.layouts.Layout by its dotted path.",
                id="wagtail_smo.E041",
            ))
    return errors
