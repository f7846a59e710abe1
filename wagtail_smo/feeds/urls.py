"""Feed URLs (included by ``wagtail_smo.urls``): ``feeds/rss.xml``, ``feeds/<section>/rss.xml``."""

from django.urls import path, register_converter

from . import views


class FeedFileConverter:
    """Matches a feed file name: rss.xml, atom.xml or feed.json."""

    regex = r"rss\.xml|atom\.xml|feed\.json"

    def to_python(self, value: str) -> str:
        """The file name as it is."""
        return value

    def to_url(self, value: str) -> str:
        """The file name as it is."""
        return value


register_converter(FeedFileConverter, "smo_feedfile")

urlpatterns = [
    path("feeds/<smo_feedfile:filename>", views.feed, name="feed"),
    path("feeds/<path:section>/<smo_feedfile:filename>", views.feed, name="section_feed"),
]
