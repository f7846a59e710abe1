"""Feeds: RSS 2.0, Atom 1.0 and JSON Feed 1.1 per site and per section (docs/feeds.md).

Public interface used by other parts of wagtail-smo:

- ``feed_links_for(page, request=None)`` -> list of ``FeedLink`` (title, url, mime_type, kind,
  scope), used by ``{% feed_links %}`` and ``{% subscribe_links %}`` (both in ``feeds.tags``);
- ``build_feed`` and ``feed_url``, used by exports.

Which pages the public may see is ``wagtail_smo.pages.visible_pages``.
"""

from .render import FeedLink, build_feed, feed_links_for, feed_url

__all__ = ["FeedLink", "build_feed", "feed_links_for", "feed_url"]
