"""``manage.py smo_import_schedule FILE``: schedule social posts in bulk from a CSV file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from wagtail_smo.posts.importing import import_schedule

from ..options import SmoCommand


class Command(SmoCommand):
    help = (
        "Schedule social posts from a file: a plain CSV with the columns channel, datetime, "
        "text, link[, image_url], or the Postcron layout (text, year, month, day, hour, minute, "
        "image URLs, link; give --channel). Every row is checked first; if any row fails, every "
        "problem is listed with its row number, nothing is created and the exit status is 2."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The CSV file to import (UTF-8).")
        parser.add_argument(
            "--format", choices=["auto", "csv", "postcron"], default="auto",
            help="File layout (default: auto, a header with 'channel' means plain CSV).",
        )
        parser.add_argument(
            "--channel", help="Channel of every row of a Postcron file (it has no channel column).",
        )
        parser.add_argument(
            "--as-drafts", action="store_true",
            help="Create drafts carrying the suggested time instead of scheduled posts.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report; create nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.", returncode=2) from exc
        result = import_schedule(
            content, file_format=options["format"], channel=options["channel"],
            approve=not options["as_drafts"], dry_run=options["dry_run"],
        )
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"{len(result.problems)} problem(s) in {path}: nothing was imported.", returncode=2
            )
        if options["dry_run"]:
            for row in result.rows:
                self.stdout.write(f"row {row.row}: {row.channel} at {row.when.isoformat()}: "
                                  f"{row.page.title}")
            self.stdout.write(f"Dry run: {len(result.rows)} row(s) are valid; nothing was created.")
            return
        state = "draft(s)" if options["as_drafts"] else "scheduled post(s)"
        self.stdout.write(self.style.SUCCESS(f"Imported {len(result.created)} {state}."))
