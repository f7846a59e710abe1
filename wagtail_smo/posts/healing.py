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

``Chain`` is that mechanism for any periodic task: the click counter's flush
(``wagtail_smo.analytics.clicks``) is another chain, with a lease of its own.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
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


@dataclass
class Chain:
    """One periodic task that enqueues itself again, at most one live chain per ``name``.

    The mechanism of the self-healing delivery, for any periodic task (the click counter's
    flush uses it too): ``ensure`` starts a chain when it takes the lease, ``run_round`` runs one
    round of a chain and enqueues the next while its token still holds the lease.
    """

    #: The lease's name (one ``DeliveryLease`` row per chain).
    name: str
    #: Seconds between two rounds, read when needed (a setting); 0: no chain.
    every: Callable[[], float]
    #: What the log calls it.
    label: str
    _last_check: float = field(default=float("-inf"), repr=False)

    def lease_until(self) -> timedelta:
        """How long a lease lasts: three rounds, so that a next round late on a busy queue
        keeps its chain, and a dead chain is replaced after three rounds at most."""
        return timedelta(seconds=self.every() * 3 + GRACE_SECONDS)

    def can_chain(self, task: Task) -> bool:
        """Whether a chain can live: turned on, and a task backend that can defer."""
        return self.every() > 0 and configured(task).get_backend().supports_defer

    def take_lease(self) -> str | None:
        """A new token if the lease was free (missing or expired) and is now ours, else None."""
        now = timezone.now()
        token = uuid.uuid4().hex
        taken = DeliveryLease.objects.filter(name=self.name, expires_at__lt=now).update(
            token=token, expires_at=now + self.lease_until())
        if taken:
            return token
        try:
            with transaction.atomic():
                DeliveryLease.objects.create(name=self.name, token=token,
                                             expires_at=now + self.lease_until())
        except IntegrityError:
            return None  # the lease exists and is live: a chain runs
        return token

    def renew_lease(self, token: str) -> bool:
        """Extend the lease if ``token`` still holds it; False when another chain took over."""
        return bool(DeliveryLease.objects.filter(name=self.name, token=token).update(
            expires_at=timezone.now() + self.lease_until()))

    def ensure(self, task: Task) -> bool:
        """Start a chain of ``task`` unless one lives; True if started."""
        if not self.can_chain(task):
            return False
        token = self.take_lease()
        if token is None:
            return False
        enqueue(task, token)
        logger.info("%s: a new chain started (every %s s)", self.label, self.every())
        return True

    def ensure_now_and_then(self, task: Task) -> None:
        """``ensure`` at most once per round in this process, never raising: it runs beside
        other work (a post being queued, a worker starting a task)."""
        now = time.monotonic()
        if now - self._last_check < max(self.every(), 1.0):
            return
        self._last_check = now
        try:
            self.ensure(task)
        except Exception:
            logger.exception("%s: the chain could not be checked", self.label)

    def run_round(self, task: Task, token: str, body: Callable[[], dict]) -> dict:
        """One round of the chain holding ``token``: ``body()``, then the next round enqueued.
        A round whose token lost the lease stops the chain it belongs to."""
        if not self.renew_lease(token):
            return {"stopped": 1}
        counts: dict = {}
        try:
            counts = body()
        except Exception:
            # A bad round must not break the chain: the next round tries again.
            logger.exception("%s: this round failed", self.label)
        finally:
            if self.renew_lease(token):
                enqueue(task, token, run_after=timezone.now() + timedelta(seconds=self.every()))
        return counts


def interval() -> float:
    """Seconds between two rounds (``DELIVERY["HEAL_EVERY_SECONDS"]``; 0: no chain)."""
    return float(smo_settings.DELIVERY["HEAL_EVERY_SECONDS"])


HEALING = Chain(LEASE_NAME, interval, "Self-healing delivery")


def can_chain(task: Task) -> bool:
    """Whether the self-healing chain can live (see ``Chain.can_chain``)."""
    return HEALING.can_chain(task)


def ensure_chain(task: Task) -> bool:
    """Start a chain of ``task`` (``heal_deliveries``) unless one lives; True if started."""
    return HEALING.ensure(task)


def ensure_chain_now_and_then(task: Task) -> None:
    """``ensure_chain`` at most once per ``HEAL_EVERY_SECONDS`` in this process, never raising."""
    HEALING.ensure_now_and_then(task)


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

    def body() -> dict:
        counts = delivery.reconcile_stuck_posts()
        counts["lost_requeued"] = requeue_lost_posts()
        return counts

    return HEALING.run_round(task, token, body)
