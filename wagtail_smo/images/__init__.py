"""Generated social cards: a designed image for pages without a good one of their own.

- ``spec``: what a card is made of (``CardSpec``) and the storage name derived from a hash of it;
- ``fonts``: the bundled DejaVu Sans, configured and fallback fonts, glyph coverage;
- ``layouts``: the built-in layouts and the ``Layout`` base class a site extends for its own;
- ``draw``: Pillow drawing of a spec (text measured, wrapped and cut to the layout);
- ``store``: files in the default storage, made once per spec and reused; clean-up.

This package sits below the models and the resolver and knows neither: the resolver
(``wagtail_smo.meta.cards``) turns a page into a ``CardSpec`` and asks ``store.ensure()`` for
its file. See docs/images.md.
"""

from .spec import OPEN_GRAPH_SIZE, CardError, CardSpec, ImageInput

__all__ = ["OPEN_GRAPH_SIZE", "CardError", "CardSpec", "ImageInput"]
