"""Feed writers: Django's RSS 2.0 and Atom 1.0 generators with Media RSS, plus JSON Feed 1.1.

The writers stream: items are written as they are read from an iterable of ``FeedItem`` (see
``items.py``) instead of being collected in a list first, so a feed of any size is written with
constant memory. ``latest`` (the feed's last-modified date) is given up front for the same reason.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import IO, Any

from django.utils import feedgenerator
from django.utils.feedgenerator import Enclosure, rfc3339_date
from django.utils.html import escape
from django.utils.xmlutils import SimplerXMLGenerator

from .items import FeedItem, xml_safe

MEDIA_NS = "http://search.yahoo.com/mrss/"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


class StreamingFeedMixin(feedgenerator.SyndicationFeed):
    """Write ``entries`` (``FeedItem``s) one at a time; extra root values: ``latest``, ``hub``.

    Put it before one of Django's feed classes, e.g. ``class RssFeed(StreamingFeedMixin,
    Rss201rev2Feed)``.
    """

    #: The feed's media type: Django's feed class after this mixin sets it, or ``JsonFeed``.
    content_type: str

    def __init__(
        self,
        *args: Any,
        entries: Iterable[FeedItem] = (),
        latest: datetime | None = None,
        hub: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.entries = entries
        self.latest = latest
        self.hub = hub

    def latest_post_date(self) -> datetime:
        """The feed's last change, known before the items are written (never "now")."""
        return self.latest or datetime(2000, 1, 1, tzinfo=UTC)

    def write_items(self, handler: SimplerXMLGenerator) -> None:
        """Write each entry as soon as it is read; only one item is held at a time."""
        for entry in self.entries:
            self.items: list[dict] = []
            self.add_item(**item_arguments(entry))
            # The Rss201rev2Feed or Atom1Feed this mixin is placed before has write_items;
            # django-stubs' SyndicationFeed, all mypy sees here, does not.
            super().write_items(handler)  # type: ignore[misc]
        self.items = []


def item_arguments(entry: FeedItem) -> dict:
    """Arguments of ``SyndicationFeed.add_item`` for one entry, all values from the resolver."""
    meta = entry.meta
    image = meta.image
    enclosures = []
    if image is not None:
        enclosures.append(Enclosure(image.url, str(entry.image_length or 0), image.mime_type))
    return {
        "title": xml_safe(meta.title),
        "link": entry.link,
        # RSS and Atom summaries are HTML: escape the plain-text description so it stays text.
        "description": escape(xml_safe(meta.description)),
        "author_name": xml_safe(meta.author) or None,
        "pubdate": entry.published,
        "updateddate": entry.updated,
        "unique_id": entry.guid,
        "unique_id_is_permalink": False,
        # meta.tags are sorted by name by the resolver: stable bytes (ETag) on every database.
        "categories": [xml_safe(tag) for tag in meta.tags],
        "enclosures": enclosures,
        "image": image,
        "image_length": entry.image_length,
        "content_html": entry.content_html,
    }


def _add_media(handler: SimplerXMLGenerator, item: dict) -> None:
    image = item["image"]
    if image is None:
        return
    attrs = {
        "url": image.url,
        "type": image.mime_type,
        "medium": "image",
        "width": str(image.width),
        "height": str(image.height),
    }
    if item["image_length"]:
        attrs["fileSize"] = str(item["image_length"])
    # Django itself passes dicts here; django-stubs types attrs as xml.sax's AttributesImpl.
    handler.startElement("media:content", attrs)  # type: ignore[arg-type]
    if image.alt:
        handler.addQuickElement("media:description", xml_safe(image.alt), {"type": "plain"})
    handler.endElement("media:content")
    handler.addQuickElement(
        "media:thumbnail",
        None,
        {"url": image.url, "width": str(image.width), "height": str(image.height)},
    )


class RssFeed(StreamingFeedMixin, feedgenerator.Rss201rev2Feed):
    """RSS 2.0 with Media RSS images, ``content:encoded`` full text and a WebSub hub link."""

    def rss_attributes(self) -> dict:
        """Declare the Media RSS and content namespaces next to Django's Atom one."""
        attrs = super().rss_attributes()
        attrs["xmlns:media"] = MEDIA_NS
        attrs["xmlns:content"] = CONTENT_NS
        return attrs

    def add_root_elements(self, handler: SimplerXMLGenerator) -> None:
        """Django's channel elements plus the WebSub hub link."""
        super().add_root_elements(handler)
        if self.hub:
            handler.addQuickElement("atom:link", None, {"rel": "hub", "href": self.hub})

    def add_item_elements(self, handler: SimplerXMLGenerator, item: dict) -> None:
        """Django's item elements plus full content and Media RSS."""
        super().add_item_elements(handler, item)
        if item["content_html"]:
            handler.addQuickElement("content:encoded", item["content_html"])
        _add_media(handler, item)


class AtomFeed(StreamingFeedMixin, feedgenerator.Atom1Feed):
    """Atom 1.0 with Media RSS images, full content and a WebSub hub link."""

    def root_attributes(self) -> dict:
        """Declare the Media RSS namespace."""
        attrs = super().root_attributes()
        attrs["xmlns:media"] = MEDIA_NS
        return attrs

    def add_root_elements(self, handler: SimplerXMLGenerator) -> None:
        """Django's feed elements plus the WebSub hub link."""
        super().add_root_elements(handler)
        if self.hub:
            handler.addQuickElement("link", "", {"rel": "hub", "href": self.hub})

    def add_item_elements(self, handler: SimplerXMLGenerator, item: dict) -> None:
        """Django's entry elements plus full content and Media RSS."""
        super().add_item_elements(handler, item)
        if item["content_html"]:
            handler.addQuickElement("content", item["content_html"], {"type": "html"})
        _add_media(handler, item)


class JsonFeed(StreamingFeedMixin, feedgenerator.SyndicationFeed):
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1), streamed item by item."""

    content_type = "application/feed+json; charset=utf-8"

    def write(self, outfile: IO[str], encoding: str) -> None:
        """Write the feed object, its items array filled as entries are read."""
        feed = self.feed
        head = {
            "version": JSON_FEED_VERSION,
            "title": feed["title"],
            "home_page_url": feed["link"],
            "feed_url": feed["feed_url"],
            "description": feed["description"],
            "language": feed["language"],
            "authors": [{"name": feed["author_name"]}] if feed["author_name"] else None,
            "hubs": [{"type": "WebSub", "url": self.hub}] if self.hub else None,
        }
        head = {key: value for key, value in head.items() if value is not None}
        outfile.write(_dumps(head)[:-1] + ',"items":[')
        for index, entry in enumerate(self.entries):
            outfile.write(("," if index else "") + _dumps(json_item(entry)))
        outfile.write("]}\n")


def json_item(entry: FeedItem) -> dict:
    """One JSON Feed item; ``content_text`` carries the summary unless full content is on."""
    meta = entry.meta
    item: dict[str, Any] = {
        "id": entry.guid,
        "url": entry.link,
        "title": meta.title,
        "summary": meta.description,
    }
    if entry.content_html:
        item["content_html"] = entry.content_html
    else:
        item["content_text"] = meta.description
    if meta.image is not None:
        item["image"] = meta.image.url
        attachment: dict[str, Any] = {"url": meta.image.url, "mime_type": meta.image.mime_type}
        if entry.image_length:
            attachment["size_in_bytes"] = entry.image_length
        if meta.image.alt:
            attachment["title"] = meta.image.alt
        item["attachments"] = [attachment]
    if entry.published:
        item["date_published"] = rfc3339_date(entry.published)
    if entry.updated:
        item["date_modified"] = rfc3339_date(entry.updated)
    if meta.author:
        item["authors"] = [{"name": meta.author}]
    if meta.tags:
        item["tags"] = list(meta.tags)
    if meta.locale:
        item["language"] = language_tag(meta.locale)
    return item


def language_tag(locale: str) -> str:
    """An RFC 5646 language tag from an Open Graph locale: "en_GB" -> "en-GB"."""
    return locale.replace("_", "-")


def _dumps(value: Any) -> str:
    # ensure_ascii=False keeps feeds readable; "</" is escaped so a feed embedded in HTML is safe.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


FEED_CLASSES = {"rss": RssFeed, "atom": AtomFeed, "json": JsonFeed}
