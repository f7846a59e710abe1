"""Text helpers every part shares: the one URL extractor, counting by a network's rule, hashtags
and message templates (``{title} {link}`` placeholders, validated with positions).

URLs — ``find_urls`` finds every ``http://`` or ``https://`` URL whose host is a domain name with
a top-level domain (internationalised names such as ``пример.рф`` and punycode such as
``xn--e1afmkfd.xn--p1ai`` included), an IPv4 address, a bracketed IPv6 address or ``localhost``,
with a port, path, query and fragment; trailing sentence punctuation (``.,;:!?'"``, an ellipsis,
closing quotes ``”’»``, and a closing bracket that opens nowhere in the URL) is left out. Each
found URL says which kind of host it has, because the networks disagree, and the project follows
each:

- Bluesky links nothing itself: the client sends link facets, and its own app (``detectFacets`` in
  ``@atproto/api``) makes one of every ``http(s)://`` URL, whatever the host. Bluesky's facets
  (``providers/bluesky.py``) therefore cover every URL found, localhost and IP hosts included.
- X (twitter-text v3) and Mastodon (its ``Extractor`` extends twitter-text's; the validator counts
  only what that extractor links) link only hosts with a top-level domain — IDN and punycode
  included, but not IP addresses nor ``localhost``. So with ``short_urls`` only URLs on a domain
  count 23 (``SHORTENED_HOSTS``); one on ``localhost`` or ``127.0.0.1`` counts in full, as the
  network counts it (tests compare with twitter-text itself). twitter-text also ends a URL's
  path at a character outside ASCII, Latin and Cyrillic letters (``/日本``), and its query at the
  first non-ASCII character (``?q=да``: ``да`` is text on X), which counting under the ``"x"``
  counter follows; Mastodon's fork takes any character in either. Not
  followed: X also links bare domains without a scheme (``example.com``), checked against its list
  of top-level domains; the project counts only URLs with a scheme, as the templates write them.

Counting — the networks disagree on what a "character" is (a ``CountingRule`` names which):

- ``"x"`` (twitter-text v3): text is NFC-normalised; code points in a few Latin/punctuation ranges
  weigh 1, everything else (CJK, most symbols) weighs 2; an emoji sequence (including ZWJ
  sequences such as a family emoji) weighs 2 as a whole.
- ``"graphemes"``: grapheme clusters (Mastodon, Bluesky).
- ``"utf16"``: UTF-16 code units (Telegram, as its entity offsets).
- ``"codepoints"``: code points.

With ``short_urls`` every URL on a domain counts as 23 (t.co, Mastodon's
``characters_reserved_per_url``).

Templates — the syntax is deliberately tiny: ``{name}`` inserts a value, ``{{`` and ``}}`` write
literal braces. Anything else (an unknown name, an unclosed brace, a format spec) is an error
reported with its line and column, so that an editor saving a channel's template sees where it is
wrong.
"""

from __future__ import annotations

import ipaddress
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

import regex
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# --- URLs -------------------------------------------------------------------------------------

#: A URL candidate: the scheme (not right after a letter or digit), the authority up to the first
#: "/", "?", "#" or white space, then the rest up to white space. ``_url_at`` validates the host and
#: trims trailing punctuation.
_URL_CANDIDATE = regex.compile(
    r"(?<![\p{L}\p{N}_])https?://(?P<authority>[^\s/?#<>\"]+)(?P<rest>[/?#][^\s<>\"]*)?",
    regex.IGNORECASE,
)
#: A domain name with a top-level domain: labels of letters, marks and digits (hyphens inside),
#: then a TLD of letters (``com``, ``рф``) or punycode (``xn--p1ai``).
_DOMAIN = regex.compile(
    r"(?:[\p{L}\p{N}](?:[\p{L}\p{M}\p{N}-]*[\p{L}\p{M}\p{N}])?\.)+"
    r"(?:\p{L}[\p{L}\p{M}]+|xn--[a-z0-9-]*[a-z0-9])",
    regex.IGNORECASE,
)
_PORT = regex.compile(r"(?P<host>.+?)(?::(?P<port>\d{1,5}))?")
#: Characters that end a sentence rather than a URL when they come last.
_TRAILING = ".,;:!?'\"…”’»"
_CLOSING = {")": "(", "]": "["}
#: Host kinds that X and Mastodon (twitter-text) link and so count as 23 with ``short_urls``.
SHORTENED_HOSTS = frozenset({"domain"})


@dataclass(frozen=True)
class FoundUrl:
    """A URL in a text: ``text[start:end] == url``; ``kind`` of host: "domain", "ipv4", "ipv6"
    or "localhost"."""

    url: str
    start: int
    end: int
    host: str
    kind: str


def find_urls(text: str) -> Iterator[FoundUrl]:
    """Every URL in ``text``, in order (see the module docstring for what counts as one)."""
    for match in _URL_CANDIDATE.finditer(text):
        found = _url_at(text, match)
        if found is not None:
            yield found


def _url_at(text: str, match: regex.Match) -> FoundUrl | None:
    start, end = match.start(), match.end()
    while end > start:  # trailing punctuation and unbalanced closing brackets end a sentence
        last = text[end - 1]
        url = text[start:end]
        if last in _TRAILING or (last in _CLOSING and url.count(_CLOSING[last]) < url.count(last)):
            end -= 1
        else:
            break
    authority_end = min(match.end("authority"), end)
    authority = text[match.start("authority"):authority_end]
    classified = _host_kind(authority)
    if classified is None:
        return None
    host, kind = classified
    return FoundUrl(text[start:end], start, end, host, kind)


def _host_kind(authority: str) -> tuple[str, str] | None:
    """(host, kind) of a URL's authority ("example.com:8080", "[::1]"), or None if no host."""
    if authority.startswith("["):
        inner, bracket, port = authority[1:].partition("]")
        if not bracket or (port and not regex.fullmatch(r":\d{1,5}", port)):
            return None
        try:
            ipaddress.IPv6Address(inner)
        except ValueError:
            return None
        return inner, "ipv6"
    parts = _PORT.fullmatch(authority)
    host = parts["host"] if parts else ""
    if regex.fullmatch(r"[\d.]+", host):
        try:
            ipaddress.IPv4Address(host)
        except ValueError:
            return None
        return host, "ipv4"
    if host.lower() == "localhost":
        return host, "localhost"
    if _DOMAIN.fullmatch(host):
        return host, "domain"
    return None


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
        shortened = [url for url in find_urls(text) if url.kind in SHORTENED_HOSTS]
        for url in reversed(shortened):
            end = url.start + _twitter_text_length(url) if rule.counter == "x" else url.end
            text = text[:url.start] + text[end:]
        urls = len(shortened)
    return _count(text, rule.counter) + urls * SHORT_URL_LENGTH


# What of a URL X links (twitter-text v3): after the host, a path of Latin (accented included),
# Cyrillic and ASCII characters whose last one is not punctuation (balanced parentheses allowed),
# then a query of ASCII characters only; a "#" right after the host ends the link. Mastodon's fork
# takes any character in a path or query, so only X stops early.
_X_LATIN = "\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff\u0100-\u024f\u0253\u0254\u0256\u0257" \
    "\u0259\u025b\u0263\u0268\u026f\u0272\u0289\u028b\u02bb\u0300-\u036f\u1e00-\u1eff"
_X_PATH_CHAR = rf"[a-z0-9\u0400-\u04ff!*';:=+,.$/%#\[\]\-\u2013_~|&@{_X_LATIN}]"
_X_PARENS = rf"\((?:{_X_PATH_CHAR}+|{_X_PATH_CHAR}*\({_X_PATH_CHAR}+\){_X_PATH_CHAR}*)\)"
_X_PATH_END = rf"(?:[+\-a-z0-9\u0400-\u04ff=_#/{_X_LATIN}]|{_X_PARENS})"
_SCHEME_AND_AUTHORITY = regex.compile(r"https?://[^/?#]*", regex.IGNORECASE)
_X_LINKED = regex.compile(
    rf"(?:/(?:{_X_PATH_CHAR}*(?:{_X_PARENS}{_X_PATH_CHAR}*)*{_X_PATH_END}|@{_X_PATH_CHAR}+/)*)?"
    r"(?:\?[a-z0-9!?*'@();:&=+$/%#\[\]\-_.,~|]*[a-z0-9\-_&=#/])?",
    regex.IGNORECASE,
)


def _twitter_text_length(url: FoundUrl) -> int:
    """How much of ``url`` X links (twitter-text): the host, then what its path and query take."""
    authority_end = _SCHEME_AND_AUTHORITY.match(url.url).end()
    return _X_LINKED.match(url.url, authority_end).end()


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


def parse(template: str, names: Mapping[str, str] = PLACEHOLDERS
          ) -> tuple[list[tuple[str, str]], list[TemplateProblem]]:
    """Split ``template`` into ("text", s) / ("field", name) parts and list every problem;
    ``names`` are the placeholders it may use (default: a message template's)."""
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
            if name not in names:
                known = ", ".join(f"{{{key}}}" for key in names)
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
