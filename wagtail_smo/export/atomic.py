"""Atomic output files: write to a temporary file beside the target, then rename it into place.

A reader (a web server serving ``public/blog/rss.xml``, a scheduler import) never sees a half
written file, and a failed export leaves nothing behind.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO, cast


class OutputError(OSError):
    """The output path cannot be written."""


def check_writable(path: str | os.PathLike) -> Path:
    """Fail early, with a clear message, when ``path`` cannot be written."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise OutputError(f"cannot write {target}: it is a directory")
    if not folder.is_dir():
        raise OutputError(f"cannot write {target}: directory {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write {target}: directory {folder} is not writable")
    if target.exists() and not os.access(target, os.W_OK):
        raise OutputError(f"cannot write {target}: permission denied")
    return target


@contextmanager
def atomic_output(path: str | os.PathLike, *, newline: str | None = "") -> Iterator[TextIO]:
    """A UTF-8 text file that replaces ``path`` only when the ``with`` block succeeds."""
    target = check_writable(path)
    try:
        handle = tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", newline=newline, dir=target.parent or ".",
            prefix=f".{target.name}.", suffix=".tmp", delete=False,
        )
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from exc
    try:
        with handle:
            # The real text stream (XML writers check for TextIOBase): in mode "w" an
            # io.TextIOWrapper, which typeshed's wrapper types only as IO[str].
            yield cast(TextIO, handle.file)
            handle.flush()
            os.fsync(handle.fileno())
        # NamedTemporaryFile creates 0600 files: give the result the usual umask-based mode.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(handle.name, 0o666 & ~umask)
        os.replace(handle.name, target)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
