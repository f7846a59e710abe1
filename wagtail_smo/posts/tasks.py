"""django_tasks tasks of social posts. Arguments are plain ids (they must survive JSON).

Each task reads the current rows at run time, so a duplicated, late or replayed task is harmless.
They are enqueued through ``wagtail_smo.queue`` (backend and queue of ``WAGTAIL_SMO["DELIVERY"]``,
after the commit). This module sits above delivery and drafts: it imports them, nothing below
imports it (the workflow announces queued posts with a signal, see ``signal_handlers.py``).
"""

from __future__ import annotations

from django_tasks import task

from . import delivery, drafts, following, healing


@task()
def deliver_post(post_id: int) -> str:
    """Claim and deliver one post; returns its status afterwards."""
    return delivery.deliver(post_id)


@task()
def deliver_due_posts() -> dict:
    """Reconcile posts stuck in "sending" and deliver every due post (a periodic safety net)."""
    return delivery.deliver_due_posts()


@task()
def reconcile_posts() -> dict:
    """Re-queue or fail posts left "sending" by a stopped worker."""
    return delivery.reconcile_stuck_posts()


@task()
def heal_deliveries(token: str) -> dict:
    """One round of the self-healing chain (see ``posts/healing.py``); enqueues the next."""
    return healing.heal_round(heal_deliveries, token)


@task()
def create_post_drafts(page_id: int, revision_id: int | None = None) -> list[int]:
    """Create a published page's post drafts (enqueued after its publish commits); their ids."""
    return [post.pk for post in drafts.create_drafts_for(page_id, revision_id)]


@task()
def follow_page_posts(page_id: int) -> dict:
    """A republished page: recompose its untouched drafts, flag its other open posts."""
    return following.follow_page(page_id)
