"""Text helpers every part shares: the one URL extractor, counting by a network's rule, hashtags
and message templates (``{title} {link}`` placeholders, validated with positions).

Counting — the networks disagree on what a "character" is (a ``CountingRule`` names which):

- ``"x"`` (twitter-text v3): text is NFC-normalised; code points in a few Latin/punctuation ranges
  weigh 1, everything else (CJK, most symbols) weighs 2; an emoji sequence (including ZWJ
  sequences such as a family emoji) weighs 2 as a whole.
- ``"graphemes"``: grapheme clusters (Mastodon, Bluesky).
- ``"utf16"``: UTF-16 code units (Telegram, as its entity offsets).
- ``"codepoints"``: code points.

With ``short_urls`` every URL counts as 23 (t.co, Mastodon's ``characters_reserved_per_url``).

Templates — the syntax is deliberately tiny: ``{name}`` inserts a value, ``{{`` and ``}}`` write
literal braces. Anything else (an unknown name, an unclosed brace, a format spec) is an error
reported with its line and column, so that an editor saving a channel's template sees where it is
wrong.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

import regex
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# --- URLs -------------------------------------------------------------------------------------

#: A URL as the networks detect it in a post: scheme, a host name with a top-level domain
#: ("localhost" is not linked, so it counts in full), then anything up to white space, minus
#: trailing punctuation that usually ends a sentence rather than the URL.
URL_RE = regex.compile(
    r"https?://(?:[\p{L}\p{N}-]+\.)+\p{L}{2,}(?::\d+)?"
    r"(?:[/?#][^\s<>\"]*?)?(?=[.,;:!?)\]'\"]*(?:\s|$))",
    regex.IGNORECASE,
)


def find_urls(text: str) -> Iterator[regex.Match]:
    """Every URL in ``text`` as a match (``.group(0)``, ``.start()``, ``.end()``), in order."""
    return URL_RE.finditer(text)


# --- counting ---------------------------------------------------------------------------------

#: The ways of counting a "character" that a ``CountingRule`` may name.
COUNTERS = ("x", "graphemes", "codepoints", "utf16")
#: Weight of a URL for networks that shorten links (t.co, Mastodon's reserved length).
SHORT_URL_LENGTH = 23

# twitter-text v3 configuration: code point ranges weighing 1 (scale 100 -> weight 100).
_X_LIGHT_RANGES = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))
_GRAPHEME_RE = regex.compile(r"\X")
_EMOJI_RE = regex.compile(r"\p{Extended_Pictographic}|\p{Regional_Indicator}")


@dataclass(frozen=True)
class CountingRule:
    """How a network counts a post (``counter``, one of ``COUNTERS``) and how long it may be."""

    counter: str
    limit: int
    short_urls: bool = False
    image_limit: int | None = None  # a shorter limit when the post carries an image


def count(text: str, rule: CountingRule) -> int:
    """Length of ``text`` as a network with ``rule`` counts it against its limit."""
    if rule.counter == "x":
        text = unicodedata.normalize("NFC", text)
    urls = 0
    if rule.short_urls:
        text, urls = URL_RE.subn("", text)
    return _count(text, rule.counter) + urls * SHORT_URL_LENGTH


def limit_of(rule: CountingRule, *, max_characters: int | None = None,
             with_image: bool = False) -> int:
    """The maximum length under ``rule``; ``max_characters`` (a channel option) replaces it."""
    limit = int(max_characters) if max_characters else rule.limit
    if with_image and rule.image_limit:
        limit = min(limit, rule.image_limit)
    return limit


def _count(text: str, counter: str) -> int:
    if counter == "x":
        return sum(_x_weight(g) for g in _GRAPHEME_RE.findall(text))
    if counter == "graphemes":
        return len(_GRAPHEME_RE.findall(text))
    if counter == "utf16":
        return len(text.encode("utf-16-le")) // 2
    return len(text)


def _x_weight(grapheme: str) -> int:
    if _EMOJI_RE.search(grapheme):
        return 2  # a whole emoji sequence (ZWJ, skin tone, flag, even "©") weighs 2
    return sum(1 if _x_light(ord(char)) else 2 for char in grapheme)


def _x_light(codepoint: int) -> bool:
    return any(start <= codepoint <= end for start, end in _X_LIGHT_RANGES)


# --- hashtags ---------------------------------------------------------------------------------

_NOT_HASHTAG_CHARS = regex.compile(r"[^\p{L}\p{M}\p{N}_]+")
#: A #hashtag in a post's text (group 1: with "#", group 2: without), as networks link them.
HASHTAG_RE = regex.compile(r"(?:^|\s)(#(\p{L}[\p{L}\p{N}_]*))")


def hashtags(tags: Iterable[str], max_count: int | None = None) -> list[str]:
    """Hashtags from page tags: "web design" -> "#WebDesign"; no duplicates, no pure numbers.

    Letters of every script are kept ("#Новости"); punctuation and spaces are removed, words
    of multi-word tags are capitalised so that they stay readable.
    """
    result: list[str] = []
    seen: set[str] = set()
    if max_count is not None and max_count <= 0:
        return result
    for tag in tags:
        words = [w for w in _NOT_HASHTAG_CHARS.split(str(tag).lstrip("#")) if w]
        if not words:
            continue
        if len(words) > 1:  # "web design" -> "WebDesign": readable and screen-reader friendly
            words = [w[:1].upper() + w[1:] for w in words]
        body = "".join(words)
        if body.replace("_", "").isdigit():
            continue  # "#2024" is not a hashtag on most networks
        key = body.casefold()
        if key in seen:
            continue
        seen.add(key)
        result.append("#" + body)
        if max_count is not None and len(result) >= max_count:
            break
    return result


# --- message templates ------------------------------------------------------------------------

#: Placeholders a template may use, with the help text shown next to the template field.
PLACEHOLDERS: dict[str, str] = {
    "title": "the page's social title",
    "description": "the page's social description (shortened first when the post is too long)",
    "link": "the page's URL, with UTM parameters when the channel enables them",
    "hashtags": "hashtags from the page's tags (dropped first when the post is too long)",
    "site_name": "the site's name",
    "author": "the page's author",
    "section": "the title of the page's section (the page itself when it has child pages, "
               "else its parent)",
}


@dataclass(frozen=True)
class TemplateProblem:
    """One error in a template, at a 0-based ``offset`` (``line``/``column`` are 1-based)."""

    offset: int
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.message}"


def _problem(template: str, offset: int, message: str) -> TemplateProblem:
    line = template.count("\n", 0, offset) + 1
    column = offset - (template.rfind("\n", 0, offset) + 1) + 1
    return TemplateProblem(offset, line, column, message)


def parse(template: str) -> tuple[list[tuple[str, str]], list[TemplateProblem]]:
    """Split ``template`` into ("text", s) / ("field", name) parts and list every problem."""
    parts: list[tuple[str, str]] = []
    problems: list[TemplateProblem] = []
    text: list[str] = []
    i, n = 0, len(template)
    while i < n:
        char = template[i]
        if char in "{}" and template.startswith(char * 2, i):
            text.append(char)
            i += 2
        elif char == "}":
            problems.append(_problem(template, i, "single '}' (write '}}' for a literal brace)"))
            i += 1
        elif char == "{":
            end = template.find("}", i + 1)
            stray = template.find("{", i + 1)
            if end == -1 or (stray != -1 and stray < end):
                problems.append(_problem(template, i, "'{' is never closed"))
                i += 1
                continue
            name = template[i + 1 : end]
            if name not in PLACEHOLDERS:
                known = ", ".join(f"{{{key}}}" for key in PLACEHOLDERS)
                problems.append(
                    _problem(template, i, f"unknown placeholder {{{name}}} (known: {known})")
                )
            else:
                if text:
                    parts.append(("text", "".join(text)))
                    text = []
                parts.append(("field", name))
            i = end + 1
        else:
            text.append(char)
            i += 1
    if text:
        parts.append(("text", "".join(text)))
    return parts, problems


def validate_template(template: str) -> None:
    """Raise ``ValidationError`` listing every problem of ``template`` with its position."""
    _parts, problems = parse(template)
    if problems:
        raise ValidationError(
            [
                ValidationError(
                    _("Template error at %(position)s"), code="template", params={
                        "position": str(problem),
                    }
                )
                for problem in problems
            ]
        )


def render(template: str, values: Mapping[str, str]) -> str:
    """Fill ``template`` with ``values`` (an invalid template raises ``ValidationError``).

    Lines left empty by missing values are folded so that a post never ends with blank lines.
    """
    parts, problems = parse(template)
    if problems:
        raise ValidationError(str(problems[0]))
    out = "".join(value if kind == "text" else values.get(value, "") for kind, value in parts)
    lines = [" ".join(line.split()) for line in out.split("\n")]
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip()
