"""Template tags of wagtail-smo: ``{% load wagtail_smo_tags %}``."""

from __future__ import annotations

from django import template

from ..feeds.tags import feed_links, subscribe_links_context
from ..meta.render import social_meta_tag
from ..share import tags as share_tags

register = template.Library()


# {% social_meta [page] [json_ld=False] %}: every social tag of the page (docs/meta.md).
register.simple_tag(social_meta_tag, takes_context=True, name="social_meta")

# Share, follow, subscribe and read-next blocks, and their CSS/JS links (docs/share.md).
_SHARE_BLOCKS = {**share_tags.INCLUSION_TAGS, "subscribe_links": subscribe_links_context}
for _name, _function in _SHARE_BLOCKS.items():
    register.inclusion_tag(f"wagtail_smo/share/{_name}.html", takes_context=True, name=_name)(
        _function
    )

# {% feed_links [page] %}: autodiscovery links of the section and site feeds (docs/feeds.md).
register.inclusion_tag("wagtail_smo/feed_links.html", takes_context=True)(feed_links)
