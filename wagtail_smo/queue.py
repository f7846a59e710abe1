"""The one way wagtail-smo enqueues its background tasks (post delivery, post drafts, WebSub pings).

Every task goes to the backend alias and queue named in ``WAGTAIL_SMO["DELIVERY"]``
(``TASK_BACKEND``, ``QUEUE``), is enqueued only once the surrounding transaction commits (a
rolled-back change enqueues nothing, and a worker never reads rows that are not there yet), and is
deferred with ``run_after`` where the backend can defer.

It sits beside ``conf.py`` rather than in ``posts/``: feeds enqueue through it too, and feeds sit
below posts (``posts/feed.py`` reads ``feeds/items.py``), so a helper inside ``posts/`` would tie
the two packages in a cycle.
"""

from __future__ import annotations

import logging
from datetime import datetime
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks.base import Task, TaskResult

from .conf import smo_settings

logger = logging.getLogger("wagtail_smo")


def configured(task: Task) -> Task:
    """``task`` bound to the backend and queue of ``WAGTAIL_SMO["DELIVERY"]``."""
    options = smo_settings.DELIVERY
    return task.using(backend=options["TASK_BACKEND"], queue_name=options["QUEUE"])


def enqueue(task: Task, *args: Any, run_after: datetime | None = None) -> None:
    """Enqueue ``task(*args)`` once the current transaction commits (at once outside one)."""
    transaction.on_commit(partial(enqueue_now, task, *args, run_after=run_after))


def enqueue_now(task: Task, *args: Any, run_after: datetime | None = None) -> TaskResult | None:
    """Enqueue ``task(*args)`` now; None when it was left for later or the queue refused it.

    A ``run_after`` in the future on a backend that cannot defer (the immediate backend) enqueues
    nothing: ``smo_deliver_due`` (cron) sends the post when it is due. A queue that refuses the
    task is logged, not raised: this runs after the commit, and the change that asked for the task
    (a publish, an approval) is done and must not turn into an error page; the due-post sweeper
    (``smo_deliver_due``) catches up with a post whose task was lost.
    """
    bound = configured(task)
    if run_after is not None and run_after > timezone.now():
        if not bound.get_backend().supports_defer:
            return None
        bound = bound.using(run_after=run_after)
    try:
        return bound.enqueue(*args)
    except Exception:
        logger.exception("wagtail-smo: task %s%r could not be queued", task.module_path, args)
        return None
