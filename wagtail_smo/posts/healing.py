"""Self-healing delivery, without cron: one periodic chain of the ``heal_deliveries`` task.

A worker killed mid-send leaves its post "sending" (and, on the database backend, its task
"running" for good). Something must come back to it. Sites may run ``smo_deliver_due`` from cron;
without cron, the ``heal_deliveries`` task does it: it reconciles stuck posts, re-queues posts
whose task was lost, then enqueues itself again ``HEAL_EVERY_SECONDS`` later (deferred with
``run_after`` through the one queue helper), on the database worker and on RQ alike.

Exactly one chain lives, however many workers start: the chain holds a lease, one row of
``DeliveryLease`` with a token and an expiry. ``ensure_chain`` starts a chain only when it takes
an expired (or missing) lease with a conditional UPDATE, which one caller wins; a task whose token
is no longer the lease's stops without enqueueing. A chain that dies (its task lost with a killed
worker, or refused by the queue) lets the lease expire, and the next ``ensure_chain`` starts
another. It is called when a worker starts (``signal_handlers``), when a worker starts a task and
when a post is queued (each at most every ``HEAL_EVERY_SECONDS`` per process).
"""

from __future__ import annotations

import logging
import time
import uuid
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks.base import Task

from ..conf import smo_settings
from ..models import DeliveryLease, SocialPost
from ..queue import configured, enqueue
from . import delivery, workflow

logger = logging.getLogger("wagtail_smo.delivery")

LEASE_NAME = "heal-deliveries"
#: Slack given to a chain's next task on a busy queue before another chain may take over.
GRACE_SECONDS = 5.0


def interval() -> float:
    """Seconds between two rounds (``DELIVERY["HEAL_EVERY_SECONDS"]``; 0: no chain)."""
    return float(smo_settings.DELIVERY["HEAL_EVERY_SECONDS"])


def _lease_until() -> timedelta:
    # Three rounds: a next round late on a busy queue keeps its chain; a dead chain is
    # replaced after three rounds at most.
    return timedelta(seconds=interval() * 3 + GRACE_SECONDS)


def can_chain(task: Task) -> bool:
    """Whether a chain can live: turned on, and a task backend that can defer (not immediate)."""
    return interval() > 0 and configured(task).get_backend().supports_defer


def take_lease() -> str | None:
    """A new token if the lease was free (missing or expired) and is now ours, else None."""
    now = timezone.now()
    token = uuid.uuid4().hex
    taken = DeliveryLease.objects.filter(name=LEASE_NAME, expires_at__lt=now).update(
        token=token, expires_at=now + _lease_until())
    if taken:
        return token
    try:
        with transaction.atomic():
            DeliveryLease.objects.create(name=LEASE_NAME, token=token,
                                         expires_at=now + _lease_until())
    except IntegrityError:
        return None  # the lease exists and is live: a chain runs
    return token


def renew_lease(token: str) -> bool:
    """Extend the lease if ``token`` still holds it; False when another chain took over."""
    return bool(DeliveryLease.objects.filter(name=LEASE_NAME, token=token).update(
        expires_at=timezone.now() + _lease_until()))


def ensure_chain(task: Task) -> bool:
    """Start a chain of ``task`` (``heal_deliveries``) unless one lives; True if started."""
    if not can_chain(task):
        return False
    token = take_lease()
    if token is None:
        return False
    enqueue(task, token)
    logger.info("Self-healing delivery: a new chain started (every %s s)", interval())
    return True


_last_check = {"at": float("-inf")}


def ensure_chain_now_and_then(task: Task) -> None:
    """``ensure_chain`` at most once per ``HEAL_EVERY_SECONDS`` in this process, never raising:
    it runs beside other work (a post being queued, a worker starting a task)."""
    now = time.monotonic()
    if now - _last_check["at"] < max(interval(), 1.0):
        return
    _last_check["at"] = now
    try:
        ensure_chain(task)
    except Exception:
        logger.exception("Self-healing delivery: the chain could not be checked")


def requeue_lost_posts() -> int:
    """Queue again posts due for longer than the stuck threshold: their task may be lost (its
    worker was killed after taking the task, before claiming the post). A duplicate task is
    harmless (one claim wins); touching ``updated_at`` keeps it to one per stuck period."""
    now = timezone.now()
    lost = SocialPost.objects.filter(delivery.due_q(now), updated_at__lte=delivery.stuck_cutoff())
    posts = list(lost.only("pk", "scheduled_at", "retry_at"))
    SocialPost.objects.filter(delivery.due_q(now), pk__in=[post.pk for post in posts]).update(
        updated_at=now)
    for post in posts:
        workflow.queue_post(post)
    return len(posts)


def heal_round(task: Task, token: str) -> dict:
    """One round of the chain holding ``token``: reconcile, re-queue lost posts, enqueue the
    next round. A round whose token lost the lease stops the chain it belongs to."""
    if not renew_lease(token):
        return {"stopped": 1}
    counts: dict = {}
    try:
        counts = delivery.reconcile_stuck_posts()
        counts["lost_requeued"] = requeue_lost_posts()
    except Exception:
        # A bad round must not break the chain: the next round tries again.
        logger.exception("Self-healing delivery: this round failed")
    finally:
        if renew_lease(token):
            enqueue(task, token, run_after=timezone.now() + timedelta(seconds=interval()))
    return counts
