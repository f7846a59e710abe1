"""Deliver every due post in this process and reconcile posts stuck in "sending"."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from ...posts.delivery import deliver_due_posts
from ..options import SmoCommand


class Command(SmoCommand):
    help = (
        "Reconcile posts left \"sending\" by a stopped worker, then deliver every approved or "
        "scheduled post whose time has come, in this process. Run it from cron when TASKS uses a "
        "backend that cannot defer (the immediate backend), or as a safety net beside a worker."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=None,
                            help="Deliver at most this many posts (default: all due).")

    def handle(self, *args: Any, **options: Any) -> None:
        counts = deliver_due_posts(limit=options["limit"])
        summary = ", ".join(f"{key}: {value}" for key, value in sorted(counts.items()) if value)
        self.stdout.write(summary or "Nothing due.")
