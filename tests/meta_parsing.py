"""Reading social tags back with independent parsers: extruct (Open Graph, JSON-LD) and bs4."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import extruct
import pytest
from bs4 import BeautifulSoup


@dataclass
class ParsedHead:
    """What a crawler reads from a page: og/article properties, named metas, links, JSON-LD."""

    og: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    names: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    properties: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    links: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    json_ld: list[dict] = field(default_factory=list)
    elements: list[dict] = field(default_factory=list)
    scripts: int = 0

    def one(self, key: str) -> str:
        """The single value of an og:/article: property (extruct) or a named meta (bs4)."""
        values = self.og.get(key) or self.names.get(key) or self.properties.get(key) or []
        assert len(values) == 1, (key, values)
        return values[0]

    def ld(self, type_name: str) -> dict:
        """The one JSON-LD document of ``type_name``."""
        found = [doc for doc in self.json_ld if doc.get("@type") == type_name]
        assert len(found) == 1, (type_name, self.json_ld)
        return found[0]


def parse_head(html: str, base_url: str = "http://localhost/") -> ParsedHead:
    """Parse ``html`` (a page or a fragment of head tags) as crawlers do."""
    if "<html" not in html:
        html = f"<!DOCTYPE html><html><head>{html}</head><body></body></html>"
    parsed = ParsedHead()
    data = extruct.extract(html, base_url=base_url, syntaxes=["opengraph", "json-ld"],
                           uniform=False)
    for block in data["opengraph"]:
        for key, value in block["properties"]:
            parsed.og[key].append(value)
    parsed.json_ld = data["json-ld"]
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(["meta", "link"]):
        attrs = dict(tag.attrs)
        if tag.name == "meta" and "name" in attrs:
            parsed.names[attrs["name"]].append(attrs.get("content", ""))
            parsed.elements.append({"element": "meta", "name": attrs["name"],
                                    "content": attrs.get("content", "")})
        elif tag.name == "meta" and "property" in attrs:
            parsed.properties[attrs["property"]].append(attrs.get("content", ""))
            parsed.elements.append({"element": "meta", "property": attrs["property"],
                                    "content": attrs.get("content", "")})
        elif tag.name == "link" and attrs.get("rel") in (["canonical"], ["me"]):
            rel = attrs["rel"][0]
            parsed.links[rel].append(attrs.get("href", ""))
            parsed.elements.append({"element": "link", "rel": rel, "href": attrs.get("href", "")})
    parsed.scripts = len(soup.find_all("script", type="application/ld+json"))
    return parsed


@pytest.fixture
def fresh_caches():
    """Empty Django caches: renditions and meta cached by earlier (rolled back) tests go away."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()
