"""Text helpers of the resolver: clean text, text of rich text, first paragraph, shortening."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from typing import Any

from django.utils.html import strip_tags

from ..core.networks import get_network

# Control characters are not allowed in XML, break some parsers and never belong in a card.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Where a block of rich text ends: one paragraph or list item is one candidate description.
_BLOCK_TAG = re.compile(
    r"</?(?:p|div|li|ul|ol|h[1-6]|blockquote|br|hr|tr|td|th|figure|figcaption)\b[^>]*>",
    re.IGNORECASE,
)
_BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|blockquote|div)>|<br\s*/?>|\n\s*\n", re.IGNORECASE)


def clean_text(value: Any) -> str:
    """Plain text with control characters removed and whitespace folded to single spaces."""
    text = _CONTROL_CHARS.sub("", str(value or ""))
    return " ".join(text.split())


def html_to_text(html: str) -> str:
    """The plain text of an HTML fragment: tags removed, entities decoded, whitespace folded."""
    # Block tags become a space so that "<p>a</p><p>b</p>" does not become "ab".
    return clean_text(unescape(strip_tags(_BLOCK_TAG.sub(" ", html))))


def is_rich_text(value: Any) -> bool:
    """Whether ``value`` is Wagtail rich text or a StreamField value (HTML inside)."""
    return hasattr(value, "source") or hasattr(value, "raw_data")


def value_text(value: Any, *, html: bool = False) -> str:
    """Plain text of a field value; HTML is only stripped from rich text (or when ``html``)."""
    if value is None:
        return ""
    if is_rich_text(value) or html:
        return " ".join(html_to_text(part) for part in iter_rich_text(value)).strip()
    return clean_text(value)


def iter_rich_text(body: Any) -> Iterator[str]:
    """Yield the HTML source of each text block of a StreamField or rich text, in order."""
    if body is None:
        return
    if hasattr(body, "source"):  # RichText value
        yield body.source
    elif isinstance(body, str):
        yield body
    elif hasattr(body, "raw_data") and hasattr(body, "stream_block"):  # StreamValue
        from wagtail.blocks import ChooserBlock

        for index, raw in enumerate(body.raw_data):
            # Chosen images, documents and pages hold no text, and turning them into objects is a
            # query per block type: skipped before they are read.
            if isinstance(body.stream_block.child_blocks.get(raw.get("type")), ChooserBlock):
                continue
            yield from iter_rich_text(body[index].value)
    elif hasattr(body, "raw_data") or isinstance(body, list | tuple):  # ListValue
        for child in body:
            yield from iter_rich_text(getattr(child, "value", child))
    elif isinstance(body, dict):  # StructValue
        for value in body.values():
            yield from iter_rich_text(value)


def first_paragraph(body: Any) -> str:
    """Plain text of the first non-empty paragraph of a StreamField or rich text value."""
    for html in iter_rich_text(body):
        for block in _BLOCK_END.split(html):
            text = html_to_text(block)
            if text:
                return text
    return ""


def word_count(body: Any) -> int:
    """Number of words in the text blocks of a StreamField or rich text value."""
    return sum(len(html_to_text(html).split()) for html in iter_rich_text(body))


#: Characters of the description written into og:description, ``<meta name="description">`` and
#: the JSON-LD description (docs/meta.md): more than any card shows (Facebook about 110, X 200,
#: LinkedIn and Slack less), so no network shows less than it could; a 5,000-character text is
#: not repeated in full three times in every page's head.
DESCRIPTION_TAG_MAX = 300


def x_description_max() -> int:
    """Characters of twitter:description: the X network's declared description limit."""
    return get_network("x").limits.description or DESCRIPTION_TAG_MAX


def shorten(text: str, length: int) -> str:
    """``text`` cut at the last word boundary before ``length`` characters, with an ellipsis."""
    if len(text) <= length:
        return text
    cut = text[: length - 1]
    space = cut.rfind(" ")
    # A single very long word (or a language without spaces) is cut where it is.
    if space >= length // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–—") + "…"
