"""Demo social posts in every state, so the dashboard and the calendar are not empty on first
start: scheduled over the coming days (one whose page changed since), sent ones with their
network link, a failed one with its error, a draft and a cancelled one.

Made by ``load_demo_content --with-posts`` (``make demo`` passes it), composed from the pages as
the publish task composes drafts. Once the site has posts nothing is added again.
"""

from __future__ import annotations

import datetime
import uuid

from django.utils import timezone
from wagtail.models import Page, Site

from wagtail_smo.models import AttemptOutcome, DeliveryAttempt, PostStatus, SocialPost
from wagtail_smo.posts import drafts, workflow
from wagtail_smo.providers import channel_aliases, channel_network

#: (page slug, channel number, status, days from today, time of day); the channel number picks
#: among the configured channels (cycled), so the demo works with any set of channels.
PLAN = [
    ("social-cards-explained", 0, PostStatus.SENT, -2, (9, 0)),
    ("social-cards-explained", 1, PostStatus.SENT, -1, (12, 30)),
    ("very-long-title", 1, PostStatus.FAILED, -1, (15, 0)),
    ("hashtags-and-reach", 0, PostStatus.SCHEDULED, 1, (9, 30)),
    ("hashtags-and-reach", 1, PostStatus.SCHEDULED, 2, (12, 0)),
    ("kak-sdelat-kartochki", 2, PostStatus.SCHEDULED, 3, (17, 15)),
    ("only-a-body-image", 2, PostStatus.SCHEDULED, 5, (10, 0)),
    ("demo-launched", 0, PostStatus.DRAFT, None, None),
    ("feeds-and-exports", 2, PostStatus.CANCELLED, None, None),
]
FAILURE = "Rate limited by the network (HTTP 429): it was not retried in time."


def create_demo_posts(site: Site) -> list[SocialPost]:
    """The demo posts of ``site`` (none if it has posts already); the posts created."""
    aliases = channel_aliases()
    if not aliases or SocialPost.objects.filter(site=site).exists():
        return []
    today = timezone.localdate()
    created = []
    for number, (slug, channel, status, days, clock) in enumerate(PLAN, start=1):
        page = Page.objects.filter(slug=slug).descendant_of(site.root_page).first()
        if page is None:
            continue
        alias = aliases[channel % len(aliases)]
        when = None
        if days is not None:
            when = timezone.make_aware(datetime.datetime.combine(
                today + datetime.timedelta(days=days), datetime.time(*clock)))
        post = SocialPost.objects.create(
            page=page, site=site, channel=alias, status=status, scheduled_at=when,
            **drafts.composed_fields(page, alias),
        )
        if status == PostStatus.SENT:
            _sent(post, number)
        elif status == PostStatus.FAILED:
            _failed(post)
        created.append(post)
    _page_changed(created)
    for post in created:
        if post.status in workflow.QUEUED:
            workflow.queue_post(post)  # the demo worker sends them (console) when due
    return created


def _sent(post: SocialPost, number: int) -> None:
    """A post sent at its time, with the link the network gave back and its delivery attempt."""
    network = channel_network(post.channel)
    post.sent_at = post.scheduled_at
    post.remote_id = f"demo-{number}"
    post.remote_url = f"https://{network}.example/smodemo/posts/{number}"
    post.save(update_fields=["sent_at", "remote_id", "remote_url"])
    DeliveryAttempt.objects.create(
        post=post, attempt_id=uuid.uuid4().hex, channel=post.channel,
        started_at=post.sent_at, finished_at=post.sent_at, outcome=AttemptOutcome.SENT,
        status_code=200, message=post.remote_url,
    )


def _failed(post: SocialPost) -> None:
    """A post whose tries ran out, with the network's error."""
    post.last_error = FAILURE
    post.save(update_fields=["last_error"])
    DeliveryAttempt.objects.create(
        post=post, attempt_id=uuid.uuid4().hex, channel=post.channel,
        started_at=post.scheduled_at, finished_at=post.scheduled_at,
        outcome=AttemptOutcome.FAILED, status_code=429, message=FAILURE,
    )


def _page_changed(posts: list[SocialPost]) -> None:
    """One scheduled post is flagged: its page's social title changed after it was written."""
    scheduled = [post for post in posts if post.status == PostStatus.SCHEDULED]
    if len(scheduled) < 2:
        return
    post = scheduled[1]
    title = post.composed_from["inputs"]["title"]
    post.composed_from["inputs"]["title"] = f"{title} (first draft)"
    post.page_changed = {"title": [f"{title} (first draft)", title]}
    post.save(update_fields=["composed_from", "page_changed"])
