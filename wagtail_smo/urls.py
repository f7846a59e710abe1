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
