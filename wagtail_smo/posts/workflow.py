"""The editorial workflow of a post: approve, schedule, send now, cancel, duplicate.

Every operation checks the user's permission, refuses a post in the wrong state with a clear
message, changes the post with a conditional UPDATE (two clicks never act twice), hands the post
to delivery and records a log entry in Wagtail's history.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from wagtail.log_actions import log

from ..exceptions import SmoError
from ..models import OPEN_STATUSES, PostStatus, SocialPost

#: Statuses from which a post can be approved, scheduled or sent now.
APPROVABLE = (PostStatus.DRAFT, PostStatus.APPROVED, PostStatus.SCHEDULED)
#: Statuses in which the text of a post may still be edited.
EDITABLE = (PostStatus.DRAFT, PostStatus.APPROVED, PostStatus.SCHEDULED, PostStatus.FAILED)
#: Statuses from which a post can be cancelled (not while a worker is sending it).
CANCELLABLE = (PostStatus.DRAFT, PostStatus.APPROVED, PostStatus.SCHEDULED, PostStatus.FAILED)

LOG_ACTIONS = {
    "wagtail_smo.post.create": (_l("Create social post draft"), _l("Social post draft created")),
    "wagtail_smo.post.approve": (_l("Approve social post"), _l("Social post approved")),
    "wagtail_smo.post.schedule": (_l("Schedule social post"), _l("Social post scheduled")),
    "wagtail_smo.post.send_now": (_l("Send social post now"), _l("Social post sent to the queue")),
    "wagtail_smo.post.retry": (_l("Retry social post"), _l("Failed social post queued again")),
    "wagtail_smo.post.cancel": (_l("Cancel social post"), _l("Social post cancelled")),
    "wagtail_smo.post.duplicate": (_l("Duplicate social post"), _l("Social post duplicated")),
    "wagtail_smo.post.import": (_l("Import social post"), _l("Social post imported")),
}


class WorkflowError(SmoError):
    """The post is not in a state that allows the requested action."""


def can(user, action: str) -> bool:
    """True if ``user`` holds the permission behind ``action`` (add/change/delete/approve/send)."""
    return user.has_perm(f"wagtail_smo.{action}_socialpost")


def _require(user, action: str) -> None:
    if user is not None and not can(user, action):
        raise PermissionDenied(_("You do not have permission to %(action)s social posts.")
                               % {"action": action})


def _transition(post: SocialPost, allowed, **changes) -> None:
    """Apply ``changes`` only if the post is still in an ``allowed`` status."""
    changes["updated_at"] = timezone.now()
    updated = SocialPost.objects.filter(pk=post.pk, status__in=allowed).update(**changes)
    if not updated:
        post.refresh_from_db()
        raise WorkflowError(
            _("This post is %(status)s: the action is not possible any more.")
            % {"status": post.get_status_display().lower()}
        )
    for name, value in changes.items():
        setattr(post, name, value)


def _queue(post: SocialPost) -> None:
    from ..delivery import queue_post

    queue_post(post)


def validate_schedule_time(when: datetime) -> None:
    """Refuse a schedule time that is not in the future."""
    if when is None:
        raise WorkflowError(_("Choose a date and time."))
    if when <= timezone.now():
        raise WorkflowError(_("The schedule time is in the past: choose a time in the future."))


@transaction.atomic
def approve(post: SocialPost, user) -> SocialPost:
    """Approve a draft: it is sent as soon as possible (or at its scheduled time)."""
    _require(user, "approve")
    scheduled = post.scheduled_at and post.scheduled_at > timezone.now()
    status = PostStatus.SCHEDULED if scheduled else PostStatus.APPROVED
    _transition(post, APPROVABLE, status=status, approved_by=user,
                scheduled_at=post.scheduled_at if scheduled else None)
    log(post, "wagtail_smo.post.approve", user=user)
    _queue(post)
    return post


@transaction.atomic
def schedule(post: SocialPost, when: datetime, user) -> SocialPost:
    """Approve a post for sending at ``when`` (which must be in the future)."""
    _require(user, "approve")
    validate_schedule_time(when)
    _transition(post, APPROVABLE, status=PostStatus.SCHEDULED, scheduled_at=when, approved_by=user)
    log(post, "wagtail_smo.post.schedule", user=user, data={"scheduled_at": when.isoformat()})
    _queue(post)
    return post


@transaction.atomic
def send_now(post: SocialPost, user) -> SocialPost:
    """Send a post at once; a failed post is retried through delivery."""
    _require(user, "send")
    if post.status == PostStatus.FAILED:
        from ..delivery import retry_post

        retry_post(post, user=user)
        log(post, "wagtail_smo.post.retry", user=user)
        return post
    changes = {"status": PostStatus.APPROVED, "scheduled_at": None}
    if post.approved_by_id is None:
        changes["approved_by"] = user
    _transition(post, APPROVABLE, **changes)
    log(post, "wagtail_smo.post.send_now", user=user)
    _queue(post)
    return post


@transaction.atomic
def cancel(post: SocialPost, user) -> SocialPost:
    """Cancel a post that has not been sent; the page may then get a new draft."""
    _require(user, "change")
    _transition(post, CANCELLABLE, status=PostStatus.CANCELLED)
    log(post, "wagtail_smo.post.cancel", user=user)
    return post


@transaction.atomic
def duplicate(post: SocialPost, user, channel: str | None = None) -> SocialPost:
    """A new draft with the same text and link, for the same or another channel."""
    _require(user, "add")
    channel = channel or post.channel
    if SocialPost.objects.filter(page_id=post.page_id, channel=channel,
                                 status__in=OPEN_STATUSES).exists():
        raise WorkflowError(
            _("The page already has an open post for %(channel)s: edit that one instead.")
            % {"channel": channel}
        )
    copy = SocialPost.objects.create(
        page_id=post.page_id, revision_id=post.revision_id, site_id=post.site_id,
        channel=channel, text=post.text, link=post.link, image_id=post.image_id,
        status=PostStatus.DRAFT, created_by=user,
    )
    log(copy, "wagtail_smo.post.duplicate", user=user, data={"source": post.pk})
    return copy


def after_edit(post: SocialPost, user) -> None:
    """An edit by someone who may not approve sends an approved post back to review."""
    if post.status in (PostStatus.APPROVED, PostStatus.SCHEDULED) and not can(user, "approve"):
        SocialPost.objects.filter(pk=post.pk, status=post.status).update(
            status=PostStatus.DRAFT, approved_by=None
        )
        post.status, post.approved_by = PostStatus.DRAFT, None
