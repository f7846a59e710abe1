"""Public URLs of wagtail-smo: ``path("smo/", include("wagtail_smo.urls"))``."""

from django.urls import path

from .api.views import page_meta

app_name = "wagtail_smo"

urlpatterns: list = [
    path("meta/", page_meta, name="page_meta"),
]

# Feeds: feeds/rss.xml, feeds/atom.xml, feeds/feed.json and feeds/<section path>/... (docs/feeds.md)
from .feeds.urls import urlpatterns as feed_urlpatterns  # noqa: E402

urlpatterns += feed_urlpatterns

# Posts: an RSS feed of each channel's approved and scheduled posts (docs/posts.md).
from .posts.feed import post_feed  # noqa: E402

urlpatterns += [path("posts/<str:channel>/rss.xml", post_feed, name="post_feed")]
