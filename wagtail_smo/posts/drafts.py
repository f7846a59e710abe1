"""Post drafts created when a page is published: one per channel enabled on the page's site.

``page_published`` fires for the Publish button, scheduled publishing, workflow approval, bulk
publish, the API and ``revision.publish()``. Its receiver (``signal_handlers.py``) only enqueues
the ``create_post_drafts`` task, once the transaction commits (Wagtail's own pattern for its
tasks), so a rolled-back publish creates nothing, a workflow approval (run inside
``transaction.atomic``) only creates drafts once it is final, and the editor's publish request
does not wait for the resolver, the composing and the inserts: a worker does that work. The task
re-checks everything at run time. The drafts' statuses come from the workflow.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone
from wagtail.images.models import AbstractImage
from wagtail.models import Page, Revision, Site

from ..core.networks import channel_aliases, network_limit
from ..meta import SocialMeta, resolve
from ..models import OPEN_STATUSES, SocialChannel, SocialPost, new_click_ref
from ..pages import is_public
from . import workflow
from .compose import ComposedPost, compose_post

logger = logging.getLogger("wagtail_smo")


def wants_drafts(page: Page) -> bool:
    """True if the page type opts in and the page's "share when published" switch is on."""
    if not getattr(type(page), "smo_post_drafts", True):
        return False
    return bool(getattr(page, "share_when_published", False))


def has_listening_channel(page: Page) -> bool:
    """Whether a site the page may belong to has an enabled, configured channel: one query.

    Asked on the publish path before a draft task is queued, so that a site with no channel
    pays nothing more. The sites looked at are those whose root page is the page or one of its
    ancestors (a materialised-path prefix, no routing): a superset of the page's own site, so
    it never says no wrongly; the task checks the page's own site exactly.
    """
    aliases = channel_aliases()
    if not aliases or not page.path:
        return False
    step = page.steplen
    prefixes = [page.path[:end] for end in range(step, len(page.path) + 1, step)]
    return SocialChannel.objects.filter(
        enabled=True, channel__in=aliases, site__root_page__path__in=prefixes).exists()


def create_drafts_for(page_id: int, revision_id: int | None = None) -> list[SocialPost]:
    """Create the drafts of a published page (by id); safe to call twice or concurrently.

    The body of the ``create_post_drafts`` task: the page is loaded afresh, so a page unpublished,
    restricted or switched off since its publish gets nothing. Failures are logged, not raised.
    """
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return []
    try:
        return create_drafts(page.specific, revision_id=revision_id)
    except Exception:
        # The page is published (committed) already: a broken channel or template must not turn
        # the editor's publish into an error page. Logged, and the editor can add posts by hand.
        logger.exception("wagtail-smo: post drafts for page %s could not be created", page_id)
        return []


def create_drafts(page: Page, *, revision_id: int | None = None) -> list[SocialPost]:
    """One draft per enabled channel of the page's site that has no open post for the page.

    Nothing for a page that is not live, is under a view restriction, or whose switch is off.
    Returns the posts created. The "share when published" switch is turned off afterwards, so
    that the next publish re-shares only when an editor ticks it again.
    """
    if getattr(page, "alias_of_id", None) or not wants_drafts(page) or not is_public(page):
        return []
    site = page.get_site()
    channels = list(SocialChannel.objects.enabled_for_site(site)) if site else []
    if not channels:
        return []
    open_channels = set(
        SocialPost.objects.filter(page=page, status__in=OPEN_STATUSES)
        .values_list("channel", flat=True)
    )
    channels = [c for c in channels if c.channel not in open_channels]
    if not channels:
        # Republished while every channel still has its open post: that post is the share. The
        # switch goes off all the same, or a form loaded before the worker ran (still ticked)
        # would keep it on and re-share on some later publish, once the posts are sent.
        _switch_off_sharing(page)
        return []
    # The author is whoever published the revision that asked for drafts; the text is composed
    # from the page as it is live now (a later publish may have come before the worker ran), so
    # the post records the live revision.
    user_id = _revision_user_id(revision_id or page.live_revision_id)
    revision_id = page.live_revision_id or revision_id
    meta = resolve(page)
    image_id = meta.image.image_id if meta.image else None
    started = timezone.now()
    # Created by the system for whoever published: an auto-approving channel was set so by
    # someone who may approve, so its posts are approved (and queued) at once.
    made_by = {c.channel: "auto_approve" if c.auto_approve else "create" for c in channels}
    # Each post's click reference is chosen before the insert (bulk_create gives the rows no id
    # here), so its link names it without a second write.
    posts = [
        SocialPost(
            page=page, revision_id=revision_id, site=site, channel=channel.channel,
            text=composed.text, link=composed.link, image_id=image_id, created_by_id=user_id,
            status=workflow.initial_status(made_by[channel.channel]),
            composed_from=composed_record(meta, composed, image_id), click_ref=ref,
        )
        for channel in channels
        for ref in [new_click_ref()]
        for composed in [compose_for_channel(page, channel, meta=meta, click_ref=ref)]
    ]
    with transaction.atomic():  # one commit for every row written (SQLite syncs per commit)
        # The partial unique index (one open post per page and channel) drops the rows of
        # channels that a concurrent publish has just given an open post.
        SocialPost.objects.bulk_create(posts, ignore_conflicts=True)
        created = list(
            SocialPost.objects.filter(
                page=page, channel__in=[c.channel for c in channels], created_at__gte=started,
                status__in=OPEN_STATUSES,
            )
        )
        for post in created:
            post.page = page  # already loaded: naming each post in its history needs no query
        _switch_off_sharing(page)
        for name in dict.fromkeys(made_by.values()):
            # History entries in one query, then the auto-approved posts go to the queue.
            workflow.record_created([p for p in created if made_by[p.channel] == name], name)
    return created


def compose_for_channel(
    page: Page, channel: SocialChannel, *, meta: SocialMeta | None = None,
    image: AbstractImage | None = None, click_ref: str = "",
) -> ComposedPost:
    """Compose ``page``'s post with a channel's template, hashtag, UTM and length rules; its
    link names the post ``click_ref`` (see ``compose_post``)."""
    meta = meta if meta is not None else resolve(page)
    with_image = (meta.image is not None) if image is None else bool(image)
    return compose_post(
        page, channel.network,
        template=channel.effective_template(),
        utm=channel.utm_enabled,
        max_hashtags=channel.max_hashtags,
        limit=network_limit(channel.network, options=channel.options, with_image=with_image),
        meta=meta,
        source=channel.network,
        campaign=channel.utm_campaign or None,
        tags=channel.hashtag_sources(meta.tags),
        click_ref=click_ref,
    )


def channel_for(site: Site | None, alias: str) -> SocialChannel:
    """The site's settings of channel ``alias``; unsaved defaults when the site has none."""
    found = SocialChannel.objects.filter(site=site, channel=alias).first() if site else None
    return found or SocialChannel(site=site, channel=alias)


def page_inputs(meta: SocialMeta) -> dict[str, Any]:
    """The page's social values a post is composed from, as JSON (compared on each publish)."""
    return {
        "title": meta.title, "description": meta.description, "url": meta.url or "",
        "image": (meta.image.image_id or meta.image.url) if meta.image else None,
        "tags": list(meta.tags), "author": meta.author, "section": meta.section,
        "site_name": meta.site_name,
    }


def composed_record(meta: SocialMeta, composed: ComposedPost,
                    image_id: int | None) -> dict[str, Any]:
    """A post's ``composed_from``: the inputs read and the text, link and image they gave, and
    the image's URL and alt text (a delivery of the unchanged page reads them from here)."""
    return {"inputs": page_inputs(meta), "text": composed.text, "link": composed.link,
            "image_id": image_id, "image_url": meta.image.url if meta.image else "",
            "image_alt": meta.image.alt if meta.image else ""}


def composed_fields(page: Page, alias: str, click_ref: str = "") -> dict[str, Any]:
    """A post's text, link, image, revision, record and click reference, composed from ``page``
    for ``alias``; ``click_ref`` keeps an existing post's reference (a new one otherwise)."""
    page = page.specific
    meta = resolve(page)
    click_ref = click_ref or new_click_ref()
    composed = compose_for_channel(page, channel_for(page.get_site(), alias), meta=meta,
                                   click_ref=click_ref)
    image_id = meta.image.image_id if meta.image else None
    return {
        "text": composed.text, "link": composed.link, "image_id": image_id,
        "click_ref": click_ref,
        "revision_id": page.live_revision_id,
        "composed_from": composed_record(meta, composed, image_id),
        "page_changed": {},
    }


def share_again(post: SocialPost, user: AbstractBaseUser | AnonymousUser) -> SocialPost:
    """A new draft composed from the page as it is now, for the channel of a closed post."""
    return workflow.share_again(post, user, composed_fields(post.page, post.channel))


def duplicate(post: SocialPost, user: AbstractBaseUser | AnonymousUser,
              channel: str | None = None) -> SocialPost:
    """Copy ``post``; to another channel the copy is composed for that channel's network.

    A copy for another network keeps nothing of the original's text: its UTM source, length
    rule, template and hashtags are the new channel's.
    """
    channel = channel or post.channel
    composed = composed_fields(post.page, channel) if channel != post.channel else None
    return workflow.duplicate(post, user, channel, composed=composed)


def _revision_user_id(revision_id: int | None) -> int | None:
    if revision_id is None:
        return None
    return Revision.objects.filter(pk=revision_id).values_list("user_id", flat=True).first()


def _switch_off_sharing(page: Page) -> None:
    """Untick "share when published" on the page and in its latest revision (the editor form)."""
    model = type(page)
    model.objects.filter(pk=page.pk).update(share_when_published=False)
    page.share_when_published = False
    revision = page.latest_revision
    if revision is not None and revision.content.get("share_when_published"):
        revision.content["share_when_published"] = False
        revision.save(update_fields=["content"])
