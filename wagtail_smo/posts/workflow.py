"""The post state machine: every status change of a ``SocialPost`` and the permission it needs.

``TRANSITIONS`` declares each change once: the statuses it starts from, the status it leads to,
the permission a person needs (``SYSTEM``: nobody asks, delivery and the draft task make it) and
the entry it writes in Wagtail's history. Everything that changes a status goes through
``transition`` (or ``initial_status`` and ``record_created`` for a post being created): the admin
views and bulk actions, the schedule import, draft creation and delivery.

A post that needs attention (``needs_attention``: "sending" past ``STUCK_AFTER_SECONDS``, or
failed with its outcome unknown) can always be settled by a person with the send permission:
mark it sent (with its URL), mark it failed, retry or cancel it (``posts/settling.py``); those
rows are ``attention`` rows, made only while the post still needs attention.

``transition`` changes the post with a conditional UPDATE (status still one it starts from, plus
any condition of the caller), so two clicks or two workers never act twice. A post that enters
the queue (approved or scheduled) is announced with the ``post_queued`` signal; the receiver
connected in ``signal_handlers.py`` enqueues its delivery task after the commit. The signal keeps
this module below the tasks: delivery decides what happens, the workflow records it, the one
queue helper enqueues.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from ..conf import smo_settings
from ..core.networks import channel_label
from ..exceptions import InvalidPostState
from ..models import OPEN_STATUSES, PostStatus, SocialPost, new_click_ref
from ..share.utm import retag

#: Statuses from which a post can be approved, scheduled or sent now.
APPROVABLE = (PostStatus.DRAFT, PostStatus.APPROVED, PostStatus.SCHEDULED)
#: Statuses in which the text of a post may still be edited.
EDITABLE = (PostStatus.DRAFT, PostStatus.APPROVED, PostStatus.SCHEDULED, PostStatus.FAILED)
#: Statuses from which a post can be cancelled (not while a worker is sending it).
CANCELLABLE = (PostStatus.DRAFT, PostStatus.APPROVED, PostStatus.SCHEDULED, PostStatus.FAILED)
#: Statuses of a post that can be shared again: closed ones, and a failed one (closed on the way).
SHAREABLE_AGAIN = (PostStatus.SENT, PostStatus.FAILED, PostStatus.CANCELLED)
#: Statuses of a post waiting in the queue for a worker.
QUEUED = (PostStatus.APPROVED, PostStatus.SCHEDULED)
#: Every status but "sent". A worker's success is written whatever a person or the reconciler
#: did meanwhile, as long as the post still carries the worker's attempt id: the network's answer
#: is the truth (a post failed as "interrupted" that the network did publish becomes sent).
NOT_SENT = tuple(status for status in PostStatus.values if status != PostStatus.SENT)
#: Where a worker's failure or retry may land: not on a post a person has since cancelled or sent
#: back to draft (a late answer must not put it back in the queue).
DELIVERING = (PostStatus.SENDING, PostStatus.APPROVED, PostStatus.SCHEDULED, PostStatus.FAILED)

#: The permission of a transition that nobody asks for: delivery and the draft task make it.
SYSTEM = None
#: The target of a post going (back) to the queue: scheduled when it has a time, else approved.
WAITING = "waiting"

LOG_ACTIONS = {
    "wagtail_smo.post.create": (_l("Create social post draft"), _l("Social post draft created")),
    "wagtail_smo.post.approve": (_l("Approve social post"), _l("Social post approved")),
    "wagtail_smo.post.schedule": (_l("Schedule social post"), _l("Social post scheduled")),
    "wagtail_smo.post.send_now": (_l("Send social post now"), _l("Social post sent to the queue")),
    "wagtail_smo.post.retry": (_l("Retry social post"), _l("Failed social post queued again")),
    "wagtail_smo.post.cancel": (_l("Cancel social post"), _l("Social post cancelled")),
    "wagtail_smo.post.duplicate": (_l("Duplicate social post"), _l("Social post duplicated")),
    "wagtail_smo.post.share_again": (_l("Share again"), _l("New draft to share the page again")),
    "wagtail_smo.post.import": (_l("Import social post"), _l("Social post imported")),
    "wagtail_smo.post.mark_sent": (_l("Mark social post as sent"),
                                   _l("Social post marked as sent")),
    "wagtail_smo.post.mark_failed": (_l("Mark social post as failed"),
                                     _l("Social post marked as failed")),
}
#: Statuses of a post that may need a person's attention (see ``needs_attention``).
SETTLEABLE = (PostStatus.SENDING, PostStatus.FAILED)


@dataclass(frozen=True)
class Transition:
    """One status change: from ``sources`` (empty: a new post) to ``target``."""

    sources: tuple[str, ...]
    target: str
    #: "add", "change", "approve" or "send" (``wagtail_smo.<permission>_socialpost``), or SYSTEM.
    permission: str | None
    #: The Wagtail log action written for it, or None (delivery's record is its DeliveryAttempt).
    log_action: str | None = None
    #: Only while the post needs attention (stuck "sending", or failed with an unknown outcome).
    attention: bool = False


TRANSITIONS: dict[str, Transition] = {
    # A new post.
    "create": Transition((), PostStatus.DRAFT, "add", "wagtail_smo.post.create"),
    "auto_approve": Transition((), PostStatus.APPROVED, SYSTEM, "wagtail_smo.post.create"),
    "duplicate": Transition((), PostStatus.DRAFT, "add", "wagtail_smo.post.duplicate"),
    "share_again": Transition((), PostStatus.DRAFT, "add", "wagtail_smo.post.share_again"),
    "import": Transition((), PostStatus.SCHEDULED, "approve", "wagtail_smo.post.import"),
    "import_draft": Transition((), PostStatus.DRAFT, "add", "wagtail_smo.post.import"),
    # A person's actions.
    "approve": Transition(APPROVABLE, WAITING, "approve", "wagtail_smo.post.approve"),
    "schedule": Transition(APPROVABLE, PostStatus.SCHEDULED, "approve",
                           "wagtail_smo.post.schedule"),
    "send_now": Transition(APPROVABLE, PostStatus.APPROVED, "send", "wagtail_smo.post.send_now"),
    # Retrying puts an already approved post back in the queue: it is "send now" for a failed
    # post, so it needs the send permission (approving alone does not let a person re-send).
    "retry": Transition((PostStatus.FAILED,), WAITING, "send", "wagtail_smo.post.retry"),
    "cancel": Transition(CANCELLABLE, PostStatus.CANCELLED, "change", "wagtail_smo.post.cancel"),
    # An edit by someone who may not approve (Wagtail logs the edit itself).
    "back_to_draft": Transition(QUEUED, PostStatus.DRAFT, "change"),
    # Settling a post that needs attention (stuck "sending" or outcome unknown): send permission.
    "mark_sent": Transition(SETTLEABLE, PostStatus.SENT, "send", "wagtail_smo.post.mark_sent",
                            attention=True),
    "mark_failed": Transition(SETTLEABLE, PostStatus.FAILED, "send",
                              "wagtail_smo.post.mark_failed", attention=True),
    "settle_retry": Transition(SETTLEABLE, WAITING, "send", "wagtail_smo.post.retry",
                               attention=True),
    "settle_cancel": Transition(SETTLEABLE, PostStatus.CANCELLED, "send",
                                "wagtail_smo.post.cancel", attention=True),
    # Delivery (no user).
    "claim": Transition(QUEUED, PostStatus.SENDING, SYSTEM),
    "sent": Transition(NOT_SENT, PostStatus.SENT, SYSTEM),
    "failed": Transition(DELIVERING, PostStatus.FAILED, SYSTEM),
    "retry_later": Transition(DELIVERING, WAITING, SYSTEM),
    "reconcile": Transition((PostStatus.SENDING,), WAITING, SYSTEM),
}

#: Sent (inside the transaction) when a post enters the queue: ``post_id``, ``run_after``.
post_queued = Signal()


class WorkflowError(InvalidPostState):
    """The post is not in a state that allows the requested action."""


#: Who takes a step: a person (``request.user``), whose permission is checked. Where ``None`` is
#: allowed it is a trusted caller (a management command, code): no check.
Actor = AbstractBaseUser | AnonymousUser


def can(user: Actor, action: str) -> bool:
    """True if ``user`` holds the permission behind ``action`` (add/change/delete/approve/send)."""
    # Wagtail's user models have has_perm (PermissionsMixin); AbstractBaseUser does not declare it.
    return user.has_perm(f"wagtail_smo.{action}_socialpost")  # type: ignore[union-attr]


def can_see(user: Actor) -> bool:
    """True if ``user`` may open the posts listing, the calendar and a post (view or change)."""
    return can(user, "view") or can(user, "change")


def attention_q(now: datetime | None = None) -> Q:
    """Posts that need a person: "sending" past the stuck threshold, or failed with their
    outcome unknown (the "needs attention" filter of the post list)."""
    stuck_after = timedelta(seconds=smo_settings.DELIVERY["STUCK_AFTER_SECONDS"])
    cutoff = (now or timezone.now()) - stuck_after
    return (Q(status=PostStatus.SENDING, updated_at__lte=cutoff)
            | Q(status=PostStatus.FAILED, outcome_unknown=True))


def needs_attention(post: SocialPost) -> bool:
    """True if ``post`` is stuck "sending" or failed with its outcome unknown."""
    if post.status == PostStatus.FAILED:
        return post.outcome_unknown
    stuck_after = timedelta(seconds=smo_settings.DELIVERY["STUCK_AFTER_SECONDS"])
    return post.status == PostStatus.SENDING and post.updated_at <= timezone.now() - stuck_after


def allows(user: Actor, name: str, post: SocialPost) -> bool:
    """True if ``user`` may make the transition ``name`` and ``post`` is in one of its statuses.

    Never for a system transition: no person makes those (they have no button).
    """
    step = TRANSITIONS[name]
    return (step.permission is not SYSTEM and post.status in step.sources
            and (not step.attention or needs_attention(post))
            and can(user, step.permission))


def require(user: Actor | None, name: str) -> Transition:
    """The transition ``name``, once ``user`` is known to hold its permission.

    ``user=None`` is a trusted caller (a management command, code): no check.
    """
    step = TRANSITIONS[name]
    if step.permission is not SYSTEM and user is not None and not can(user, step.permission):
        raise PermissionDenied(_("You do not have permission to %(action)s social posts.")
                               % {"action": step.permission})
    return step


def _target(step: Transition, post: SocialPost, changes: dict) -> str:
    if step.target != WAITING:
        return step.target
    scheduled_at = changes.get("scheduled_at", post.scheduled_at)
    return PostStatus.SCHEDULED if scheduled_at else PostStatus.APPROVED


def run_after(post: SocialPost) -> datetime | None:
    """When a queued post is due: the later of its schedule time and its next try."""
    return max(filter(None, [post.scheduled_at, post.retry_at]), default=None)


def queue_post(post: SocialPost) -> None:
    """Hand an approved or scheduled post to the queue (its task is enqueued after the commit)."""
    post_queued.send(sender=SocialPost, post_id=post.pk, run_after=run_after(post))


def transition(post: SocialPost, name: str, user: Actor | None = None, *, where: Q | None = None,
               log_data: dict | None = None, **changes: Any) -> bool:
    """Make the change ``name`` to ``post`` if it is still in one of its statuses; True if made.

    ``where`` narrows the conditional UPDATE further (delivery: due, same attempt id);
    ``changes`` are the other fields written with the status.
    """
    step = require(user, name)
    if not step.sources:
        raise ValueError(f"{name!r} creates a post: use initial_status() and record_created()")
    status = _target(step, post, changes)
    changes.update(status=status, updated_at=timezone.now())
    rows = SocialPost.objects.filter(pk=post.pk, status__in=step.sources)
    if step.attention:
        rows = rows.filter(attention_q())
    updated = rows.filter(where or Q()).update(**changes)
    if not updated:
        return False
    for field, value in changes.items():
        setattr(post, field, value)
    if step.log_action:
        log(post, step.log_action, user=user, data=log_data)
    if status in QUEUED:
        queue_post(post)
    return True


def act(post: SocialPost, name: str, user: Actor | None, **changes: Any) -> SocialPost:
    """A person's transition: refused with a clear message when the post moved on meanwhile."""
    if not transition(post, name, user, **changes):
        post.refresh_from_db()
        raise WorkflowError(
            _("This post is %(status)s: the action is not possible any more.")
            % {"status": post.get_status_display().lower()}
        )
    return post


def initial_status(name: str, user: Actor | None = None) -> str:
    """The status of a post created by ``name`` ("create", "import"...), permission checked."""
    step = require(user, name)
    if step.sources:
        raise ValueError(f"{name!r} changes an existing post")
    return step.target


def record_created(posts: Iterable[SocialPost], name: str, user: Actor | None = None,
                   log_data: dict | None = None) -> None:
    """After creating ``posts`` with ``initial_status(name)``: history entries, then the queue.

    With ``log_data`` each post gets ``log()``'s entry; without, the entries (data: the channel)
    are written in one query, as draft creation needs for many channels at once.
    """
    step = TRANSITIONS[name]
    posts = list(posts)
    if step.log_action and log_data is not None:
        for post in posts:
            log(post, step.log_action, user=user, data=log_data)
    elif step.log_action and posts:
        _log_many(posts, step.log_action, user)
    for post in posts:
        if post.status in QUEUED:
            queue_post(post)


def _log_many(posts: list[SocialPost], action: str, user: Actor | None) -> None:
    """History entries of several new posts in one query (as ``log()`` would, one by one)."""
    content_type = ContentType.objects.get_for_model(SocialPost, for_concrete_model=False)
    now = timezone.now()
    ModelLogEntry.objects.bulk_create([
        ModelLogEntry(
            content_type=content_type, label=str(post), action=action, timestamp=now,
            data={"channel": post.channel}, object_id=str(post.pk), user=user,
        )
        for post in posts
    ])


def validate_schedule_time(when: datetime | None) -> None:
    """Refuse a schedule time that is not in the future."""
    if when is None:
        raise WorkflowError(_("Choose a date and time."))
    if when <= timezone.now():
        raise WorkflowError(_("The schedule time is in the past: choose a time in the future."))


@transaction.atomic
def approve(post: SocialPost, user: Actor | None) -> SocialPost:
    """Approve a draft: it is sent as soon as possible (or at its scheduled time)."""
    scheduled = post.scheduled_at and post.scheduled_at > timezone.now()
    return act(post, "approve", user, approved_by=user,
                scheduled_at=post.scheduled_at if scheduled else None)


@transaction.atomic
def schedule(post: SocialPost, when: datetime, user: Actor | None) -> SocialPost:
    """Approve a post for sending at ``when`` (which must be in the future)."""
    require(user, "schedule")
    validate_schedule_time(when)
    return act(post, "schedule", user, scheduled_at=when, approved_by=user,
                log_data={"scheduled_at": when.isoformat()})


@transaction.atomic
def send_now(post: SocialPost, user: Actor | None) -> SocialPost:
    """Send a post at once; a failed post is retried."""
    if post.status == PostStatus.FAILED:
        return retry(post, user)
    changes: dict[str, Any] = {"scheduled_at": None}
    if post.approved_by_id is None:
        changes["approved_by"] = user
    return act(post, "send_now", user, **changes)


@transaction.atomic
def retry(post: SocialPost, user: Actor | None) -> SocialPost:
    """Put a failed post back in the queue for a new series of tries (needs "send")."""
    return act(post, "retry", user, retry_at=None, last_error="", outcome_unknown=False)


@transaction.atomic
def cancel(post: SocialPost, user: Actor | None) -> SocialPost:
    """Cancel a post that has not been sent; the page may then get a new draft."""
    return act(post, "cancel", user)


@transaction.atomic
def duplicate(post: SocialPost, user: Actor | None, channel: str | None = None, *,
              composed: Mapping[str, Any] | None = None) -> SocialPost:
    """A new draft with the same text and link, for the same or another channel.

    ``composed`` replaces the copied fields (text, link, image_id, revision_id...): a post
    duplicated to another network is composed afresh for it (see ``drafts.duplicate``).
    """
    return _new_draft(post, user, "duplicate", channel or post.channel, composed)


@transaction.atomic
def share_again(post: SocialPost, user: Actor | None,
                composed: Mapping[str, Any]) -> SocialPost:
    """A new draft (fields ``composed``) sharing the page of a sent, failed or cancelled post.

    A failed post is still open (it may be retried): sharing again cancels it first, which needs
    the change permission as well.
    """
    initial_status("share_again", user)
    if post.status not in SHAREABLE_AGAIN:
        raise WorkflowError(
            _("This post is %(status)s: edit it instead, it can be shared again once it is sent "
              "or cancelled.") % {"status": post.get_status_display().lower()}
        )
    if post.status == PostStatus.FAILED:
        act(post, "cancel", user)
    return _new_draft(post, user, "share_again", post.channel, composed)


def _new_draft(post: SocialPost, user: Actor | None, name: str, channel: str,
               composed: Mapping[str, Any] | None) -> SocialPost:
    """Create the draft of ``name`` ("duplicate", "share_again") from ``post`` on ``channel``."""
    status = initial_status(name, user)
    blocking = SocialPost.objects.filter(page_id=post.page_id, channel=channel,
                                         status__in=OPEN_STATUSES).first()
    if blocking is not None:
        raise WorkflowError(
            _("The page already has an open post for %(channel)s (%(status)s): edit that one, "
              "or cancel it first.")
            % {"channel": channel_label(channel),
               "status": blocking.get_status_display().lower()}
        )
    fields = dict(composed) if composed is not None else _copied_fields(post)
    # initial_status() refused an AnonymousUser (it holds no permission): user is None or the
    # user model, which mypy cannot tell from Actor.
    copy = SocialPost.objects.create(page_id=post.page_id, site_id=post.site_id, channel=channel,
                                     status=status, created_by=user,  # type: ignore[misc]
                                     **fields)
    record_created([copy], name, user, log_data={"source": post.pk})
    return copy


def _copied_fields(post: SocialPost) -> dict[str, Any]:
    """A copy's text, link, image, revision and record: the original's, its link naming the
    copy (a reference of its own), so that a click on the copy never counts for the original."""
    ref = new_click_ref()
    record = dict(post.composed_from)
    for name in ("text", "link"):
        if isinstance(record.get(name), str):
            record[name] = retag(record[name], post.click_ref, ref)
    return {
        "text": retag(post.text, post.click_ref, ref),
        "link": retag(post.link, post.click_ref, ref),
        "image_id": post.image_id, "revision_id": post.revision_id, "composed_from": record,
        "page_changed": post.page_changed, "click_ref": ref,
    }


def after_edit(post: SocialPost, user: Actor) -> None:
    """An edit by someone who may not approve sends an approved post back to review."""
    if post.status in QUEUED and not can(user, "approve"):
        transition(post, "back_to_draft", user, approved_by=None)

