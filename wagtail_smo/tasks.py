"""django_tasks tasks of wagtail-smo. Arguments are plain ids (they must survive JSON).

Each task reads the current rows at run time, so a duplicated, late or replayed task is harmless.
"""

from __future__ import annotations

from django_tasks import task


@task()
def deliver_post(post_id: int) -> str:
    """Claim and deliver one post; returns its status afterwards."""
    from .delivery import deliver

    return deliver(post_id)


@task()
def deliver_due_posts() -> dict:
    """Reconcile posts stuck in "sending" and deliver every due post (a periodic safety net)."""
    from .delivery import deliver_due_posts as run

    return run()


@task()
def reconcile_posts() -> dict:
    """Re-queue or fail posts left "sending" by a stopped worker."""
    from .delivery import reconcile_stuck_posts

    return reconcile_stuck_posts()


@task()
def create_post_drafts(page_id: int, revision_id: int | None = None) -> list[int]:
    """Create a published page's post drafts (enqueued after its publish commits); their ids."""
    from .posts.drafts import create_drafts_for

    return [post.pk for post in create_drafts_for(page_id, revision_id)]
