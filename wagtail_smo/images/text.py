"""Text on a card: measured with the real fonts, wrapped to a box, cut with an ellipsis.

Every line is drawn as runs of one font each (``fonts.runs``), so characters the main font lacks
come from a fallback font or are left out, and widths are measured exactly as they are drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PIL import ImageDraw

from . import fonts

ELLIPSIS = "…"
#: Line height as a multiple of the font size.
LEADING = 1.2


@dataclass(frozen=True)
class FittedText:
    """Lines of text at a font size that fit a box; ``cut`` when the text had to be shortened."""

    lines: tuple[str, ...]
    size: int
    cut: bool

    @property
    def height(self) -> int:
        """Height of the lines in pixels."""
        return round(len(self.lines) * self.size * LEADING)


def width(text: str, size: int, bold: bool) -> float:
    """Width of ``text`` in pixels as drawn (fallback fonts included, missing glyphs left out)."""
    return sum(fonts.load(path, size).getlength(run) for path, run in fonts.runs(text, bold))


def _wrap(words: list[str], size: int, bold: bool, box_width: int) -> list[str]:
    """Greedy wrapping; a word wider than the box is broken between characters."""
    lines: list[str] = []
    line = ""
    for word in words:
        candidate = f"{line} {word}" if line else word
        if width(candidate, size, bold) <= box_width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = word
        while width(line, size, bold) > box_width and len(line) > 1:
            cut = len(line) - 1
            while cut > 1 and width(line[:cut], size, bold) > box_width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
    if line:
        lines.append(line)
    return lines


def with_ellipsis(line: str, size: int, bold: bool, box_width: int) -> str:
    """``line`` shortened (at a word when it can) so that it and an ellipsis fit ``box_width``."""
    text = line.rstrip()
    while text and width(text + ELLIPSIS, size, bold) > box_width:
        shorter = text.rsplit(" ", 1)[0] if " " in text else text[:-1]
        text = shorter.rstrip(" ,.;:–—-")
    return text + ELLIPSIS


def fit(text: str, box: tuple[int, int], sizes: Sequence[int], *, bold: bool = True,
        max_lines: int | None = None) -> FittedText:
    """The largest of ``sizes`` at which ``text`` fits ``box`` (width, height); at the smallest
    size, the lines that fit, the last one cut with an ellipsis."""
    words = fonts.drawable(text, bold).split()
    box_width, box_height = box
    size = sizes[-1]
    for size in sizes:
        allowed = max(1, int(box_height // (size * LEADING)))
        if max_lines:
            allowed = min(allowed, max_lines)
        lines = _wrap(words, size, bold, box_width)
        if len(lines) <= allowed:
            return FittedText(tuple(lines), size, False)
    kept = lines[:allowed]
    if kept:
        kept[-1] = with_ellipsis(kept[-1], size, bold, box_width)
    return FittedText(tuple(kept), size, True)


def draw_line(draw: ImageDraw.ImageDraw, xy: tuple[float, float], line: str, size: int,
              bold: bool, fill: tuple[int, ...], *, right: float | None = None) -> None:
    """Draw one line at ``xy`` (top left), or ending at ``right`` for right-to-left text."""
    x, y = xy
    parts = fonts.runs(line, bold)
    if right is not None:
        x = right - sum(fonts.load(path, size).getlength(run) for path, run in parts)
        parts = parts[::-1]  # runs of a right-to-left line go from right to left
    for path, run in parts:
        font = fonts.load(path, size)
        draw.text((x, y), run, font=font, fill=fill, anchor="la")
        x += font.getlength(run)


def draw_lines(draw: ImageDraw.ImageDraw, fitted: FittedText, xy: tuple[float, float],
               box_width: int, fill: tuple[int, ...], *, bold: bool = True) -> None:
    """Draw ``fitted`` lines from ``xy`` down; right-aligned when the text is right to left."""
    x, y = xy
    right = x + box_width if any(fonts.is_rtl(line) for line in fitted.lines) else None
    for line in fitted.lines:
        draw_line(draw, (x, y), line, fitted.size, bold, fill, right=right)
        y += fitted.size * LEADING
