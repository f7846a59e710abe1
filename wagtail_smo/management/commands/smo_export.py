"""``manage.py smo_export``: the public pages of a site or section as a feed, CSV, JSON or a
scheduler's bulk-upload file. See docs/export.md."""

from __future__ import annotations

import gc
import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, time, timedelta
from typing import Any, TextIO, cast

from django.apps import apps
from django.core.management.base import CommandParser, OutputWrapper
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from tqdm import tqdm
from wagtail.models import Locale, Page, Site

from ...core.networks import UnknownNetwork, counting_rule
from ...export import FEED_FORMATS, FORMATS, SCHEDULER_FORMATS, export, select_pages
from ...export.atomic import OutputError, atomic_output, check_writable
from ...export.writers import SCHEDULER_TEMPLATE, ExportOptions, Schedule
from ...feeds.pages import UnknownSection, find_section
from ..options import (
    SmoCommand,
    add_site_section_arguments,
    default_site,
    site_option,
    usage_error,
)


class Command(SmoCommand):
    help = (
        "Export the pages the public may see (live, no view restriction, not excluded from "
        "feeds) of a site or section as RSS, Atom, JSON Feed, CSV, JSON, or a Hootsuite, "
        "Postcron or Buffer bulk-upload file. Writes to stdout unless --output is given; an "
        "output file is written atomically. Feed formats produce exactly the bytes the live "
        "feed serves."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--format", dest="fmt", default="csv", metavar="FORMAT",
            help=f"Output format: {', '.join(FORMATS)} (default csv).",
        )
        add_site_section_arguments(
            parser, site_default="the default site", section_metavar="PATH_OR_ID",
            section_help='Only this section and its descendants: a path on the site ("/blog/") or '
            "a page id.",
        )
        parser.add_argument(
            "--since", metavar="DATE",
            help="Only pages first published on or after DATE (YYYY-MM-DD or ISO datetime).",
        )
        parser.add_argument(
            "--until", metavar="DATE",
            help="Only pages first published before DATE; a plain date includes that day.",
        )
        parser.add_argument(
            "--type", dest="types", action="append", metavar="APP_LABEL.MODEL",
            help="Only pages of this model (repeatable; default: WAGTAIL_SMO FEEDS PAGE_TYPES).",
        )
        parser.add_argument("--locale", help="Only pages in this language code, e.g. fr.")
        parser.add_argument(
            "--limit", type=int, default=None,
            help="At most N pages; 0 for all. Default: the feed limit for feed formats, all "
            "pages otherwise.",
        )
        parser.add_argument(
            "--utm", action="store_true", default=None,
            help="Tag links with UTM parameters (default for CSV, JSON and scheduler formats).",
        )
        parser.add_argument(
            "--no-utm", dest="utm", action="store_false",
            help="Do not tag links (default for feed formats unless FEEDS UTM is set).",
        )
        parser.add_argument(
            "--network", default="x",
            help="Scheduler formats: compose the message for this network's length rules "
            "(default x).",
        )
        parser.add_argument(
            "--template",
            help="Scheduler formats: message template with {title}, {description}, {link}, "
            "{hashtags}, {site_name}, {author}, {section} (default: "
            f"{SCHEDULER_TEMPLATE!r}).".replace("%", "%%"),
        )
        parser.add_argument(
            "--start", metavar="DATETIME",
            help="Scheduler formats: time of the first post, site time zone (default: the next "
            "full hour).",
        )
        parser.add_argument(
            "--every", type=int, default=60, metavar="MINUTES",
            help="Scheduler formats: minutes between posts (default 60).",
        )
        parser.add_argument(
            "--output", "-o", metavar="PATH", help="Write to PATH (atomically) instead of stdout."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        fmt = options["fmt"]
        if fmt not in FORMATS:
            raise usage_error(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
        if fmt in SCHEDULER_FORMATS:
            try:
                counting_rule(options["network"])  # the registry's rules the messages fit
            except UnknownNetwork as exc:
                raise usage_error(f"--network: {exc}") from exc
        site = self._site(options["site"])
        section = None
        if options["section"]:
            try:
                section = find_section(site, options["section"])
            except UnknownSection as exc:
                raise usage_error(f"unknown section: {exc}") from exc
        limit = options["limit"]
        if limit is not None and limit < 0:
            raise usage_error("--limit must be 0 (no limit) or a positive number")
        pages = select_pages(
            site,
            section,
            models=self._models(options["types"]),
            since=self._date(options["since"], "--since"),
            until=self._date(options["until"], "--until", end_of_day=True),
            locale=self._locale(options["locale"]),
        )
        export_options = ExportOptions(
            utm=options["utm"],
            network=options["network"],
            template=options["template"] or SCHEDULER_TEMPLATE,
            schedule=self._schedule(options) if fmt in SCHEDULER_FORMATS else None,
            warn=lambda message: self.stderr.write(message),
        )
        if options["output"]:
            try:
                check_writable(options["output"])
            except OutputError as exc:
                raise usage_error(str(exc)) from exc
        bar = self._progress_bar(pages, fmt, limit)
        progress = bar.update if bar is not None else None
        with startup_objects_frozen():
            try:
                if options["output"]:
                    try:
                        with atomic_output(options["output"]) as out:
                            count = export(out, fmt, site, section, pages, limit=limit,
                                           options=export_options, progress=progress)
                    except OutputError as exc:
                        raise usage_error(str(exc)) from exc
                else:
                    # A TextIOBase: it has what the writers use of a TextIO (write, flush).
                    stdout = cast(TextIO, _Stdout(self.stdout))
                    count = export(stdout, fmt, site, section, pages, limit=limit,
                                   options=export_options, progress=progress)
            finally:
                if bar is not None:
                    bar.close()
        if options["output"]:
            what = f"{count} pages" if count is not None else f"{fmt} feed"
            self.stderr.write(f"Wrote {what} to {options['output']}")

    def _site(self, value: str | None) -> Site:
        if not value:
            site = default_site()
            if site is None:
                raise usage_error("no default site: pass --site HOSTNAME")
            return site
        return site_option(value, message="{problem} site {value!r}: {known}")

    def _models(self, names: list[str] | None):
        if not names:
            return None
        models = []
        for name in names:
            try:
                model = apps.get_model(name)
            except (LookupError, ValueError) as exc:
                raise usage_error(f"unknown page type {name!r} (use app_label.Model)") from exc
            if not issubclass(model, Page):
                raise usage_error(f"{name!r} is not a page type")
            models.append(model)
        return models

    def _date(self, value: str | None, option: str, *, end_of_day: bool = False):
        if not value:
            return None
        try:
            # A plain date first: parse_datetime also reads "2024-05-01" (as midnight).
            day = parse_date(value)
            moment = None if day else parse_datetime(value)
        except ValueError:
            moment = day = None
        if moment is None:
            if day is None:
                raise usage_error(
                    f"bad date for {option}: {value!r} (use YYYY-MM-DD or an ISO datetime)"
                )
            moment = datetime.combine(day + timedelta(days=1) if end_of_day else day, time.min)
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment

    def _locale(self, code: str | None):
        if not code:
            return None
        locale = Locale.objects.filter(language_code__iexact=code).first()
        if locale is None:
            raise usage_error(f"unknown locale {code!r}")
        return locale

    def _schedule(self, options: dict[str, Any]) -> Schedule:
        if options["every"] <= 0:
            raise usage_error("--every must be a positive number of minutes")
        if options["start"]:
            start = self._date(options["start"], "--start")
            if start <= timezone.now():
                # As the schedule import refuses a row in the past: nothing would post it.
                raise usage_error(f"--start {options['start']!r} is in the past")
        else:
            now = timezone.localtime()
            start = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
        return Schedule(timezone.localtime(start), timedelta(minutes=options["every"]))

    def _progress_bar(self, pages: QuerySet, fmt: str, limit: int | None) -> tqdm | None:
        """A tqdm progress bar on stderr when it is a terminal, else None."""
        if not sys.stderr.isatty():
            return None
        total = pages.count()
        if limit or (limit is None and fmt in FEED_FORMATS):
            from ...conf import smo_settings

            total = min(total, limit or smo_settings.FEEDS["LIMIT"])
        return tqdm(total=total, unit="page", file=sys.stderr)


class _Stdout(io.TextIOBase):
    """A text stream over the command's stdout that adds no line endings of its own.

    A ``TextIOBase`` so that XML writers write text to it rather than wrapping it for bytes.
    """

    def __init__(self, wrapper: OutputWrapper) -> None:
        super().__init__()
        self.wrapper = wrapper

    def writable(self) -> bool:
        """Always writable."""
        return True

    def write(self, text: str) -> int:
        """Write ``text`` as it is."""
        self.wrapper.write(text, ending="")
        return len(text)

    def flush(self) -> None:
        """Flush the underlying stream."""
        self.wrapper.flush()


#: Objects already frozen when this module was imported: Python 3.12 starts with a few hundred in
#: the permanent generation, which is not a caller's freeze. (``gc.unfreeze()`` at the end of an
#: export thaws those too: harmless, they are only tracked again.)
_FROZEN_AT_IMPORT = gc.get_freeze_count()


@contextmanager
def startup_objects_frozen() -> Iterator[None]:
    """Keep the objects already alive (Django, Wagtail, their apps) out of full GC passes.

    An export allocates and frees a chunk of model instances after another; each full collection
    then walks every object of the loaded process (a quarter of an export's CPU time at 10k
    pages; half of the command's 0.2 s on the demo database). ``gc.freeze()`` moves those to the
    permanent generation until the export ends. Left alone when the process froze objects itself
    (a pre-forking server calling the command): that is its business. In the command, not in
    ``wagtail_smo.export``: how a process manages its collector is the program's choice, not a
    library's.
    """
    if gc.get_freeze_count() > _FROZEN_AT_IMPORT:
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
