"""Share links as data: a network declares where a visitor shares a page as a URL template.

``ShareLink("https://t.me/share/url?url={url}&text={title}")``: the part before ``?`` is kept as
written; each ``name=value`` pair of the query is a small template (the message templates' syntax,
``core.text.parse``) whose result is stripped and percent-encoded (``%20`` for spaces, so that
``mailto:`` bodies and networks that do not read ``+`` as a space all agree). A pair whose value
comes out empty (no image, no X handle) is left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import quote, urlencode

from .text import parse

#: Placeholders a share link may use, with what they hold.
SHARE_PLACEHOLDERS: dict[str, str] = {
    "url": "the page's URL, with the share button's UTM parameters",
    "title": "the page's social title",
    "description": "the page's social description",
    "summary": "the page's social description, or its title when it has none",
    "text": "the title and the URL, separated by a space",
    "image": "the URL of the page's social image",
    "via": "the site's X handle, without the “@”",
}

#: Schemes a share link may use (a visitor's browser follows it).
SHARE_SCHEMES = ("https://", "mailto:")


@dataclass(frozen=True)
class ShareLink:
    """Where a visitor shares a page on a network: a URL template (see the module docstring)."""

    template: str

    @property
    def base(self) -> str:
        """The part before the query ("https://t.me/share/url")."""
        return self.template.partition("?")[0]

    def params(self) -> list[tuple[str, str]]:
        """The query's ``(name, value template)`` pairs, in order."""
        query = self.template.partition("?")[2]
        pairs = [pair.partition("=") for pair in query.split("&") if pair]
        return [(name, value) for name, _sep, value in pairs]

    def problems(self) -> list[str]:
        """What is wrong with the template, in words (empty when it is usable)."""
        found = []
        if not self.base.startswith(SHARE_SCHEMES):
            found.append(f"a share link starting with {' or '.join(SHARE_SCHEMES)}")
        for name, value in self.params():
            if not name:
                found.append("a share link parameter name before each '='")
            found.extend(f"a valid share link parameter {name} ({problem})"
                         for problem in parse(value, SHARE_PLACEHOLDERS)[1])
        return found

    @cached_property
    def _parsed(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """``(name, parsed value template)`` of each query pair, parsed once per ShareLink (a
        page renders every button's link: parsing them again per render was most of the cost).
        ``cached_property`` writes the instance's ``__dict__``, which a frozen dataclass allows."""
        parsed = []
        for name, template in self.params():
            parts, problems = parse(template, SHARE_PLACEHOLDERS)
            if problems:
                raise ValueError(f"share link parameter {name}: {problems[0]}")
            parsed.append((name, parts))
        return parsed

    def render(self, values: Mapping[str, str], *, base: str | None = None) -> str:
        """The share URL for ``values`` (``SHARE_PLACEHOLDERS``); ``base`` replaces the part
        before the query (a Mastodon instance's own /share form)."""
        query = []
        for name, parts in self._parsed:
            value = "".join(part if kind == "text" else values.get(part, "")
                            for kind, part in parts).strip()
            if value:
                query.append((name, value))
        encoded = urlencode(query, quote_via=quote, safe="")
        base = self.base if base is None else base
        return f"{base}?{encoded}" if encoded else base
