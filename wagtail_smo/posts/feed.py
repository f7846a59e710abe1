"""RSS feed of a channel's approved and scheduled posts, for external tools' RSS automation.

Teams that post through Buffer, Zapier or IFTTT point them at
``/smo/posts/<channel>/rss.xml?token=...``. The token is an HMAC of the channel name with the
site's SECRET_KEY (the upcoming schedule is not public): the channel admin shows the full URL.
Only posts of live pages without a view restriction appear.
"""

from __future__ import annotations

from django.db.models import F, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.feedgenerator import Enclosure, Rss201rev2Feed
from django.utils.html import escape

from ..feeds.items import xml_safe
from ..models import PostStatus, SocialPost
from ..net import is_public_url
from ..pages import visible_pages
from ..providers import channel_aliases

FEED_STATUSES = (PostStatus.APPROVED, PostStatus.SCHEDULED)
MAX_ITEMS = 100
_SALT = "wagtail_smo.posts.feed"


def feed_token(channel: str) -> str:
    """The secret token of a channel's post feed."""
    return salted_hmac(_SALT, channel, algorithm="sha256").hexdigest()[:32]


def feed_path(channel: str) -> str:
    """Path of a channel's post feed, with its token."""
    return reverse("wagtail_smo:post_feed", args=(channel,)) + f"?token={feed_token(channel)}"


def feed_posts(channel: str) -> QuerySet[SocialPost]:
    """Approved and scheduled posts of a channel whose page the public may see, soonest first.

    Approved posts (sent as soon as possible) come before scheduled ones.
    """
    public_pages = visible_pages().values("pk")
    return (
        SocialPost.objects.filter(channel=channel, status__in=FEED_STATUSES,
                                  page__in=public_pages)
        .select_related("page", "site")
        .order_by(F("scheduled_at").asc(nulls_first=True), "created_at")[:MAX_ITEMS]
    )


def post_feed(request: HttpRequest, channel: str) -> HttpResponse:
    """The RSS 2.0 feed; 404 for an unknown channel or a wrong token."""
    token = request.GET.get("token", "")
    if channel not in channel_aliases() or not constant_time_compare(token, feed_token(channel)):
        raise Http404("No such feed.")
    posts = list(feed_posts(channel))
    site = posts[0].site if posts and posts[0].site else None
    root = site.root_url if site else request.build_absolute_uri("/").rstrip("/")
    feed = Rss201rev2Feed(
        title=f"Social posts: {channel}", link=root + "/",
        description=f"Approved and scheduled posts of the channel {channel}.",
        feed_url=root + feed_path(channel).split("?")[0],
    )
    for post in posts:
        enclosures = []
        if is_public_url(post.image_url):  # schedulers reading the feed fetch the enclosure
            enclosures.append(Enclosure(post.image_url, "0", "image/jpeg"))
        feed.add_item(
            title=xml_safe(post.page.title),
            link=post.link or post.page.full_url or root + "/",
            description=escape(xml_safe(post.text)),  # RSS descriptions are HTML
            pubdate=post.scheduled_at or post.updated_at,
            unique_id=f"wagtail-smo-post-{post.pk}",
            unique_id_is_permalink=False,
            enclosures=enclosures,
        )
    response = HttpResponse(content_type="application/rss+xml; charset=utf-8")
    feed.write(response, "utf-8")
    response["X-Robots-Tag"] = "noindex"
    return response
