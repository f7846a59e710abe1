"""Exactly-once delivery of approved posts: queue, claim, send, record, retry and reconcile.

The steps, and why each one is there:

1. A post enters the queue through the workflow (``posts/workflow.py``: approve, schedule, send
   now, retry); the ``deliver_post`` task is enqueued after the transaction commits (deferred with
   ``run_after`` to ``scheduled_at`` when the backend can defer) by the one queue helper.
2. ``claim_post`` takes the post under a row lock (``select_for_update(skip_locked=True)`` where the
   database has it) *and* a conditional UPDATE, so that of two workers holding the same task only
   one wins. The post becomes "sending" with a fresh ``attempt_id`` before any network call.
3. The provider is called with the post's stable ``delivery_key`` (Mastodon ``Idempotency-Key``,
   Bluesky ``rkey``, VK ``guid``): a retry the network already received is dropped by the network.
4. The outcome is written only if the post still carries this attempt's id.
5. Retryable errors (429, 5xx, timeouts) go back to the queue with exponential backoff and jitter,
   honouring Retry-After, up to ``MAX_ATTEMPTS``. An answer that may hide a published post (timeout
   after sending, dropped connection, unreadable body) is retried only where the network
   de-duplicates, and only within the de-duplication window it declares (Mastodon keeps an
   Idempotency-Key one hour), measured from the post's first try; otherwise the post fails with
   its outcome unknown (``outcome_unknown``) so that a person checks first and settles it.
6. ``reconcile_stuck_posts`` handles posts left "sending" by a killed worker with the same rule;
   each interruption counts as a try, and a network that can say whether it has the post
   (Bluesky's getRecord of the rkey) is asked first. ``posts/healing.py`` runs it periodically.

This module decides what happens to a post (send now, try again at T, fail) and records it with
the workflow's system transitions ("claim", "sent", "failed", "retry_later", "reconcile"): it takes
no user and imports no task. A post put back in the queue is enqueued by the workflow's
``post_queued`` signal, through the queue helper.
"""

from __future__ import annotations

import logging
import random
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from ..conf import smo_settings
from ..core.networks import FOREVER
from ..exceptions import ImproperlyConfiguredChannel, ProviderError, UncertainDelivery
from ..models import AttemptOutcome, DeliveryAttempt, PostStatus, SocialPost
from ..providers import channel_config, get_provider, provider_class
from ..providers.base import SendResult, redact
from . import workflow
from .outgoing import outgoing_post

# Named as before the move into posts/: the secret-redacting log filter is set on this name.
logger = logging.getLogger("wagtail_smo.delivery")

#: Statuses of a post waiting for a worker.
QUEUED_STATUSES = workflow.QUEUED

_TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"


def new_delivery_key() -> str:
    """A Bluesky-style TID (13 chars, time-sortable): valid as rkey, Idempotency-Key and VK guid."""
    value = (time.time_ns() // 1000) << 10 | secrets.randbits(10)
    value &= (1 << 63) - 1
    chars = []
    for _ in range(13):
        chars.append(_TID_ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def _options() -> dict:
    return smo_settings.DELIVERY


@dataclass
class Claim:
    """A post taken by this worker: it is "sending" and ``attempt`` is its open attempt."""

    post: SocialPost
    attempt: DeliveryAttempt
    #: The try before this one may have reached the network (interrupted, or its answer lost).
    resumes: bool = False


def due_q(now: datetime) -> Q:
    """Approved or scheduled posts whose time (and next try) has come."""
    return (
        Q(status__in=QUEUED_STATUSES)
        & (Q(scheduled_at__isnull=True) | Q(scheduled_at__lte=now))
        & (Q(retry_at__isnull=True) | Q(retry_at__lte=now))
    )


def _locked(queryset: QuerySet[SocialPost]) -> QuerySet[SocialPost]:
    if connection.features.has_select_for_update_skip_locked:
        return queryset.select_for_update(skip_locked=True)
    # SQLite has no row locks; the conditional UPDATE below still lets one worker win.
    return queryset.select_for_update()


def claim_post(post_id: int) -> Claim | None:
    """Take a due post for this worker, or return None when it is not due or someone has it."""
    now = timezone.now()
    with transaction.atomic():
        post = _locked(SocialPost.objects.filter(due_q(now), pk=post_id)).first()
        if post is None:
            return None
        attempt_id = uuid.uuid4().hex
        key = post.delivery_key or new_delivery_key()
        if not workflow.transition(post, "claim", where=due_q(now), attempt_id=attempt_id,
                                   delivery_key=key):
            return None
        previous = post.attempts.order_by("-started_at", "-id").first()
        number = previous.number + 1 if previous and previous.outcome in (
            AttemptOutcome.RETRY, AttemptOutcome.INTERRUPTED
        ) else 1
        attempt = DeliveryAttempt.objects.create(
            post=post, attempt_id=attempt_id, number=number, channel=post.channel, started_at=now
        )
    resumes = previous is not None and previous.outcome == AttemptOutcome.INTERRUPTED
    return Claim(post=post, attempt=attempt, resumes=resumes)


def backoff_seconds(number: int, retry_after: float | None = None) -> float:
    """Delay before try ``number + 1``: exponential with jitter, never shorter than Retry-After."""
    options = _options()
    base = min(options["BACKOFF_MAX_SECONDS"], options["BACKOFF_SECONDS"] * 2 ** (number - 1))
    delay = base * random.uniform(0.5, 1.5)
    if retry_after is not None:
        # Honour the network's own wait, plus a little jitter so workers do not stampede.
        delay = max(float(retry_after) * random.uniform(1.0, 1.1), min(delay, float(retry_after)))
    return delay


def _finish(claim: Claim, transition: str, *, outcome: str, post_fields: dict,
            message: str = "", status_code: int | None = None,
            retry_at: datetime | None = None) -> bool:
    """Write the attempt's outcome, and the post's ``transition`` if the post is still its own."""
    with transaction.atomic():
        updated = workflow.transition(
            claim.post, transition, where=Q(attempt_id=claim.attempt.attempt_id), **post_fields
        )
        DeliveryAttempt.objects.filter(pk=claim.attempt.pk).update(
            outcome=outcome, finished_at=timezone.now(), message=message,
            status_code=status_code, retry_at=retry_at,
        )
    return updated


def safe_remote_url(url: str) -> str:
    """The network's link to the post if it is a plain http(s) URL (it becomes an admin href)."""
    url = (url or "").strip()
    return url[:2000] if url.lower().startswith(("https://", "http://")) else ""


def _record_success(claim: Claim, result: SendResult) -> str:
    _finish(claim, "sent", outcome=AttemptOutcome.SENT, post_fields={
        "sent_at": timezone.now(), "remote_id": result.remote_id[:255],
        "remote_url": safe_remote_url(result.remote_url), "last_error": "", "retry_at": None,
        "outcome_unknown": False,
    })
    logger.info("Post %s sent to channel %s (%s)", claim.post.pk, claim.post.channel,
                result.remote_url or result.remote_id)
    return PostStatus.SENT


def _fail(claim: Claim, message: str, *, outcome: str = AttemptOutcome.FAILED,
          status_code: int | None = None) -> str:
    unknown = outcome == AttemptOutcome.UNKNOWN
    _finish(claim, "failed", outcome=outcome, message=message, status_code=status_code,
            post_fields={"last_error": message, "retry_at": None, "outcome_unknown": unknown})
    logger.warning("Post %s to channel %s failed: %s", claim.post.pk, claim.post.channel, message)
    return PostStatus.FAILED


UNCERTAIN_HINT = (
    "The post may have been published: check the channel, and retry only if it is missing."
)


def _unknown(claim: Claim, message: str, status_code: int | None = None) -> str:
    """Fail the post with its outcome unknown: a person checks the network and settles it."""
    return _fail(claim, f"{message} {UNCERTAIN_HINT}", outcome=AttemptOutcome.UNKNOWN,
                 status_code=status_code)


def dedup_window(alias: str) -> float:
    """Seconds the channel's network drops a repeated create (0: never; ``FOREVER``)."""
    try:
        options = channel_config(alias).get("OPTIONS", {})
        return provider_class(alias).dedup_window_with(options)
    except ImproperlyConfiguredChannel:
        return 0


def may_resend(post: SocialPost, at: datetime) -> bool:
    """Whether a create repeated at ``at`` is still dropped by the post's network: within the
    de-duplication window it declares, measured from the post's first try."""
    window = dedup_window(post.channel)
    if window <= 0:
        return False
    if window == FOREVER:
        return True
    first = post.attempts.order_by("started_at").values_list("started_at", flat=True).first()
    return first is None or at <= first + timedelta(seconds=window)


def _record_error(claim: Claim, exc: ProviderError) -> str:
    message = redact(exc.message) or exc.__class__.__name__
    if exc.retryable and claim.attempt.number < _options()["MAX_ATTEMPTS"]:
        retry_at = timezone.now() + timedelta(
            seconds=backoff_seconds(claim.attempt.number, exc.retry_after)
        )
        if exc.delivered_maybe and not may_resend(claim.post, retry_at):
            return _unknown(claim, message, exc.status)
        # Back to the queue: the workflow announces the post, due again at ``retry_at``. A try
        # that may have reached the network is "interrupted": the next one checks the window.
        outcome = AttemptOutcome.INTERRUPTED if exc.delivered_maybe else AttemptOutcome.RETRY
        _finish(claim, "retry_later", outcome=outcome, message=message,
                status_code=exc.status, retry_at=retry_at,
                post_fields={"retry_at": retry_at, "last_error": message})
        logger.info("Post %s to channel %s will be retried at %s: %s", claim.post.pk,
                    claim.post.channel, retry_at.isoformat(), message)
        return PostStatus.SCHEDULED
    if exc.retryable:
        message = f"{message} (gave up after {claim.attempt.number} tries)"
    if exc.delivered_maybe:
        return _unknown(claim, message, exc.status)
    return _fail(claim, message, status_code=exc.status)


def send_claimed(claim: Claim) -> str:
    """Call the network for a claimed post and record the outcome; returns the post's status."""
    if claim.resumes and not may_resend(claim.post, timezone.now()):
        # The queue reached the post after the network forgot the key of the last try.
        return _unknown(claim, PAST_WINDOW_HINT)
    try:
        provider = get_provider(claim.post.channel)
        result = provider.send(outgoing_post(claim.post), claim.post.delivery_key)
    except ProviderError as exc:
        return _record_error(claim, exc)
    except ImproperlyConfiguredChannel as exc:
        return _fail(claim, redact(str(exc)))
    except Exception as exc:
        # A bug or an unexpected library error: the request may have gone out, so never re-send
        # blindly; the traceback goes to the log (without secrets), the editor sees the kind.
        logger.exception("Unexpected error delivering post %s", claim.post.pk)
        return _record_error(claim, _unexpected(exc))
    return _record_success(claim, result)


def _unexpected(exc: Exception) -> ProviderError:
    return UncertainDelivery(f"Unexpected error ({exc.__class__.__name__}).")


def deliver(post_id: int) -> str:
    """Claim and send one post; returns its status afterwards ("skipped" when not claimed)."""
    claim = claim_post(post_id)
    if claim is None:
        _requeue_if_early(post_id)
        return "skipped"
    return send_claimed(claim)


def _requeue_if_early(post_id: int) -> None:
    """A task that ran before the post is due (rescheduled later) enqueues itself for then."""
    post = SocialPost.objects.filter(pk=post_id, status__in=QUEUED_STATUSES).first()
    if post is None:
        return
    when = workflow.run_after(post)
    if when is not None and when > timezone.now():
        workflow.queue_post(post)


INTERRUPTED_HINT = (
    "Delivery was interrupted (the worker stopped) after the request may have reached the network."
)
NO_DEDUP_HINT = "The network cannot recognise a repeated post: it was not sent again."
PAST_WINDOW_HINT = (
    "The last try may have reached the network, and the network no longer recognises a repeat "
    "(past its de-duplication window): it was not sent again."
)


def stuck_cutoff(older_than: timedelta | None = None) -> datetime:
    """Posts "sending" since before this time are stuck (``STUCK_AFTER_SECONDS`` by default)."""
    if older_than is None:
        older_than = timedelta(seconds=_options()["STUCK_AFTER_SECONDS"])
    return timezone.now() - older_than


def _look_up(post: SocialPost) -> tuple[bool, SendResult | None]:
    """(asked, the post found on the network): asked is False where the network cannot say
    (no ``look_up``) or did not answer."""
    try:
        provider = get_provider(post.channel)
        if not provider.can_look_up or not post.delivery_key:
            return False, None
        return True, provider.look_up(post.delivery_key)
    except (ProviderError, ImproperlyConfiguredChannel) as exc:
        logger.warning("Post %s: channel %s could not be asked whether it has the post: %s",
                       post.pk, post.channel, redact(str(exc)))
        return False, None


def _reconcile_one(claim: Claim) -> str:
    """Settle one interrupted post; returns "sent", "requeued" or "failed"."""
    post, number = claim.post, claim.attempt.number
    tries_left = number < _options()["MAX_ATTEMPTS"]
    asked, found = _look_up(post)
    if found is not None:
        _record_success(claim, found)
        return "sent"
    if tries_left and (asked or may_resend(post, timezone.now())):
        # Back to the queue at once (the workflow announces it; it is due now).
        _finish(claim, "reconcile", outcome=AttemptOutcome.INTERRUPTED,
                message=INTERRUPTED_HINT, post_fields={"retry_at": None})
        return "requeued"
    gave_up = f" (gave up after {number} tries)" if not tries_left else ""
    if asked:  # the network says it has no such post: a plain failure
        _fail(claim, f"{INTERRUPTED_HINT}{gave_up} The network has no such post.")
    elif tries_left:
        hint = PAST_WINDOW_HINT if dedup_window(post.channel) > 0 else NO_DEDUP_HINT
        _unknown(claim, f"{INTERRUPTED_HINT} {hint}")
    else:
        _unknown(claim, f"{INTERRUPTED_HINT}{gave_up}")
    return "failed"


def reconcile_stuck_posts(older_than: timedelta | None = None) -> dict[str, int]:
    """Settle posts left "sending" by a stopped worker; each interruption counts as a try.

    A post the network says it has is sent; one the network can still recognise as a repeat
    (it says it has not got it, or the post is within its de-duplication window) is queued again
    while tries are left; any other fails with its outcome unknown, for a person to settle.
    Counts by "requeued" and "failed" (and "sent" when a post was found on the network).
    """
    counts = {"requeued": 0, "failed": 0}
    stuck = SocialPost.objects.filter(status=PostStatus.SENDING,
                                      updated_at__lte=stuck_cutoff(older_than))
    for post in stuck.only("pk", "channel", "attempt_id", "delivery_key", "scheduled_at"):
        attempt = post.attempts.filter(attempt_id=post.attempt_id).first()
        if attempt is None:
            attempt = DeliveryAttempt.objects.create(
                post=post, attempt_id=post.attempt_id or uuid.uuid4().hex, channel=post.channel
            )
        result = _reconcile_one(Claim(post=post, attempt=attempt))
        counts[result] = counts.get(result, 0) + 1
    return counts


def due_post_ids(limit: int | None = None) -> list[int]:
    """Ids of approved or scheduled posts whose time has come, oldest first."""
    ids = SocialPost.objects.filter(due_q(timezone.now())).order_by("scheduled_at", "pk")
    pks = ids.values_list("pk", flat=True)
    return list(pks[:limit] if limit else pks)


def deliver_due_posts(limit: int | None = None) -> dict[str, int]:
    """Reconcile stuck posts, then deliver every due post in this process (for cron/the sweeper)."""
    counts = reconcile_stuck_posts()
    for post_id in due_post_ids(limit):
        status = deliver(post_id)
        counts[status] = counts.get(status, 0) + 1
    return counts
