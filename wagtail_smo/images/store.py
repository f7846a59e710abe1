"""Card files in the default storage: drawn once per spec, reused, and cleaned up.

Like Wagtail's renditions, a card is made the first time it is asked for and kept: its name
holds a hash of every input (``CardSpec.name``), so ``ensure()`` only checks that the file exists
and returns. Two processes drawing the same card at once both write the same bytes; the one that
comes second removes its duplicate.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage

from ..conf import smo_settings
from .layouts import check_text, get_layout
from .spec import CardSpec


def storage() -> Storage:
    """The storage of the card files: the site's default storage."""
    return default_storage


def render(spec: CardSpec) -> bytes:
    """The card's file contents (PNG or JPEG, as its layout says); ``CardError`` on bad input."""
    layout = get_layout(spec.layout)
    check_text(spec)
    canvas = layout.background(spec)
    layout.draw(canvas, spec)
    buffer = io.BytesIO()
    if layout.format == "jpeg":
        canvas.convert("RGB").save(buffer, "JPEG", quality=85, optimize=True)
    else:
        canvas.save(buffer, "PNG", optimize=False, compress_level=6)
    return buffer.getvalue()


def exists(spec: CardSpec) -> bool:
    """Whether the card's file is in storage."""
    return storage().exists(spec.name)


def ensure(spec: CardSpec, *, force: bool = False) -> bool:
    """Make sure the card's file exists; True when it was drawn now (``force``: draw again)."""
    store = storage()
    name = spec.name
    if not force and store.exists(name):
        return False
    content = render(spec)
    if force and store.exists(name):
        store.delete(name)
    saved = store.save(name, ContentFile(content))
    if saved != name:  # another process wrote it meanwhile: keep theirs
        store.delete(saved)
    return True


def stored_names() -> Iterator[str]:
    """The storage name of every card file under ``CARDS["FOLDER"]``."""
    store = storage()
    top = smo_settings.CARDS["FOLDER"].strip("/")
    try:
        prefixes, _files = store.listdir(top)
    except FileNotFoundError:
        return
    for prefix in prefixes:
        keys, _files = store.listdir(f"{top}/{prefix}")
        for key in keys:
            _dirs, files = store.listdir(f"{top}/{prefix}/{key}")
            for name in files:
                yield f"{top}/{prefix}/{key}/{name}"


def delete_unused(keep: Iterable[str]) -> list[str]:
    """Delete every card file whose name is not in ``keep``; the names deleted."""
    kept = set(keep)
    store = storage()
    deleted = [name for name in stored_names() if name not in kept]
    for name in deleted:
        store.delete(name)
    return deleted
