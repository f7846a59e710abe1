"""Length of a post as each network counts it, and each network's limit.

The networks disagree on what a "character" is:

- **X** (twitter-text v3): text is NFC-normalised; code points in a few Latin/punctuation ranges
  weigh 1, everything else (CJK, most symbols) weighs 2; an emoji sequence (including ZWJ
  sequences such as a family emoji) weighs 2 as a whole; every URL weighs 23. Limit 280.
- **Mastodon**: grapheme clusters, every URL counts as 23 (``characters_reserved_per_url``);
  the limit is the instance's ``max_characters`` (a channel's ``OPTIONS["MAX_CHARACTERS"]``).
- **Bluesky**: 300 grapheme clusters, URLs count in full.
- **Telegram**: UTF-16 code units (as its entity offsets), 4096, or 1024 for a photo caption.
- **Threads** 500, **LinkedIn** 3000, **Facebook** 63206, **VK** 16384: code points.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import regex

#: A URL as the networks detect it in a post: scheme, a host name with a top-level domain
#: ("localhost" is not linked, so it counts in full), then anything up to white space, minus
#: trailing punctuation that usually ends a sentence rather than the URL.
URL_RE = regex.compile(
    r"https?://(?:[\p{L}\p{N}-]+\.)+\p{L}{2,}(?::\d+)?"
    r"(?:[/?#][^\s<>\"]*?)?(?=[.,;:!?)\]'\"]*(?:\s|$))",
    regex.IGNORECASE,
)

#: Weight of a URL for networks that shorten links (t.co, Mastodon's reserved length).
SHORT_URL_LENGTH = 23

# twitter-text v3 configuration: code point ranges weighing 1 (scale 100 -> weight 100).
_X_LIGHT_RANGES = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))
_GRAPHEME_RE = regex.compile(r"\X")
_EMOJI_RE = regex.compile(r"\p{Extended_Pictographic}|\p{Regional_Indicator}")


@dataclass(frozen=True)
class NetworkRule:
    """How a network counts a post and how long it may be."""

    limit: int
    counter: str  # "x", "graphemes", "codepoints" or "utf16"
    short_urls: bool = False
    image_limit: int | None = None  # a shorter limit when the post carries an image


RULES: dict[str, NetworkRule] = {
    "x": NetworkRule(280, "x", short_urls=True),
    "mastodon": NetworkRule(500, "graphemes", short_urls=True),
    "bluesky": NetworkRule(300, "graphemes"),
    "threads": NetworkRule(500, "codepoints"),
    "linkedin": NetworkRule(3000, "codepoints"),
    "telegram": NetworkRule(4096, "utf16", image_limit=1024),
    "facebook": NetworkRule(63206, "codepoints"),
    "vk": NetworkRule(16384, "codepoints"),
}
#: Networks without a rule of their own (console, generic) count code points up to this length.
DEFAULT_RULE = NetworkRule(500, "codepoints")

#: Networks with a rule, in the order the admin lists them.
NETWORKS = tuple(RULES)


def rule_for(network: str) -> NetworkRule:
    """The counting rule of ``network`` (the default rule for an unknown network)."""
    return RULES.get(network, DEFAULT_RULE)


def network_limit(network: str, *, options: dict | None = None, with_image: bool = False) -> int:
    """The maximum length of a post; ``options`` are the channel's OPTIONS (MAX_CHARACTERS)."""
    rule = rule_for(network)
    limit = rule.limit
    if options and options.get("MAX_CHARACTERS"):
        limit = int(options["MAX_CHARACTERS"])
    if with_image and rule.image_limit:
        limit = min(limit, rule.image_limit)
    return limit


def count_length(text: str, network: str) -> int:
    """Length of ``text`` as ``network`` counts it against its limit."""
    rule = rule_for(network)
    if rule.counter == "x":
        text = unicodedata.normalize("NFC", text)
    urls = 0
    if rule.short_urls:
        text, urls = URL_RE.subn("", text)
    return _count(text, rule.counter) + urls * SHORT_URL_LENGTH


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
