"""Write the buffered first-party click counts into the database now."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ...analytics.clicks import flush
from ..options import EXIT_USAGE, SmoCommand


class Command(SmoCommand):
    # Lazy: translated when the parser is made (SmoCommand.create_parser turns it into a str).
    help = gettext_lazy(  # type: ignore[assignment]
        "Write the click counts buffered in the shared cache (WAGTAIL_SMO['CLICKS']['CACHE']) "
        "into the database. Periods that have ended are written; --all writes the current one "
        "too. The flush_clicks task does this every FLUSH_INTERVAL seconds when a task worker "
        "runs; run this from cron otherwise, or before reading the counts. Safe to run while "
        "another flush runs: a view is never counted twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", dest="everything",
                            help=_("Also write the counts of the current period."))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = flush(everything=options["everything"])
        except Exception as exc:  # a cache or database that does not answer: one line, not a trace
            raise CommandError(_("The click counts could not be flushed: %(error)s")
                               % {"error": exc}) from exc
        if result.get("busy"):
            raise CommandError(_("Another flush is running; nothing was written. Try again "
                                 "in a moment."), returncode=EXIT_USAGE + 1)
        self.stdout.write(_("%(rows)d click count rows written.") % {"rows": result["rows"]})
