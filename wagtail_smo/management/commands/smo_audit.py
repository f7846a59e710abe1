"""``manage.py smo_audit``: run the editor's SMO checks over a site or a section."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator
from typing import Any

from django.core.management.base import CommandParser
from django.db.models import QuerySet
from tqdm import tqdm
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.utils import get_admin_base_url
from wagtail.models import Page, Site

from ...audit import AuditContext, Level, audit_page
from ...audit.report import WRITERS, ReportWriter, Row
from ...meta import ResolveContext
from ..options import (
    SmoCommand,
    add_site_section_arguments,
    default_site,
    site_option,
    usage_error,
)

EXIT_FINDINGS = 1
# Pages are read in chunks so that a tree of any size is audited in constant memory.
CHUNK_SIZE = 200


class Command(SmoCommand):
    help = (
        "Check every live page of a site or a section for social sharing problems (no image, "
        "small image, rejected format, missing alt text, long titles, missing or badly sized "
        "descriptions, duplicate titles, pages without an address, unreachable sites): the same "
        "checks editors see in the page editor. Exit code 1 with --fail-on when problems of that "
        "level are found, 2 on bad arguments."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_site_section_arguments(
            parser, site_default="every site",
            section_help="Audit only this page and its descendants: a page id or a URL path such "
                         "as /blog/ (within --site, or the default site).",
        )
        parser.add_argument(
            "--format", default="table", metavar="FORMAT",
            help=f"Output format: {', '.join(WRITERS)} (default: table).",
        )
        parser.add_argument(
            "--fail-on", metavar="LEVEL",
            help="Exit with code 1 when a finding of this level or worse is found: warning or "
                 "error (default: always exit 0). For CI.",
        )
        parser.add_argument(
            "--no-progress", action="store_true",
            help="Never show the progress bar (it is shown only when stderr is a terminal).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        writer_class = WRITERS.get(options["format"])
        if writer_class is None:
            raise usage_error(
                f"Unknown --format {options['format']!r}: choose from {', '.join(WRITERS)}."
            )
        fail_on = self._fail_on(options["fail_on"])
        site = self._site(options["site"])
        pages = self._pages(site, options["section"])

        writer = writer_class(self.stdout)
        counts, audited = self._audit(pages, writer, progress=not options["no_progress"])
        summary = (
            f"{audited} page(s) audited: {counts[Level.ERROR]} error(s), "
            f"{counts[Level.WARNING]} warning(s), {counts[Level.INFO]} note(s)."
        )
        writer.finish(summary)
        if options["format"] != "table":
            self.stderr.write(summary)
        if fail_on is not None and any(counts[level] for level in Level if level >= fail_on):
            sys.exit(EXIT_FINDINGS)

    def _fail_on(self, value: str | None) -> Level | None:
        if value is None:
            return None
        if value.lower() not in ("warning", "error"):
            raise usage_error(f"Unknown --fail-on {value!r}: choose warning or error.")
        return Level.from_label(value)

    def _site(self, value: str | None) -> Site | None:
        if value is None:
            return None
        return site_option(value)

    def _pages(self, site: Site | None, section: str | None):
        if section is not None:
            root = self._section(site, section)
        elif site is not None:
            root = site.root_page
        else:
            return Page.objects.filter(depth__gt=1).live().order_by("path")
        return Page.objects.descendant_of(root, inclusive=True).live().order_by("path")

    def _section(self, site: Site | None, value: str) -> Page:
        page = None
        if value.isdigit():
            page = Page.objects.filter(pk=int(value)).first()
        else:
            site = site or default_site()
            if site is not None:
                path = "/" + value.strip("/") + "/" if value.strip("/") else "/"
                root_path = site.root_page.url_path
                page = Page.objects.filter(url_path=root_path.rstrip("/") + path).first()
        if page is None or (site is not None and not page.is_descendant_of(site.root_page)
                            and page.pk != site.root_page_id):
            raise usage_error(f"Unknown --section {value!r}: give a page id or a URL path such "
                              f"as /blog/.")
        return page

    def _audit(
        self, pages: QuerySet, writer: ReportWriter, *, progress: bool
    ) -> tuple[Counter, int]:
        context = AuditContext()
        finder = AdminURLFinder()
        counts: Counter = Counter()
        reported_site_codes: set[tuple] = set()
        bar = self._progress(pages) if progress else None
        audited = 0
        writer.start()
        resolve_context = ResolveContext()
        for page in _in_chunks(pages):
            if audited and audited % CHUNK_SIZE == 0:
                # A fresh context per chunk: the pages of a chunk share their sites, settings and
                # ancestors, and memory stays flat over any tree.
                resolve_context = ResolveContext()
            audited += 1
            result = audit_page(page, context=context, resolve_context=resolve_context)
            for finding in result.findings:
                if finding.scope == "site":
                    # A site problem is the same on every page: report it once per site.
                    site = context.site_for(page)
                    key = (site.pk if site else None, finding.code)
                    if key in reported_site_codes:
                        continue
                    reported_site_codes.add(key)
                counts[finding.level] += 1
                writer.row(Row(
                    level=finding.level.label,
                    code=finding.code,
                    page_id=page.pk,
                    page_title=page.title,
                    url=(result.meta.url or "") if result.meta else "",
                    message=finding.message,
                    fix=finding.fix,
                    edit_url=_absolute_admin_url(finder.get_edit_url(page), page, context),
                ))
            if bar is not None:
                bar.update(1)
        if bar is not None:
            bar.close()
        return counts, audited

    def _progress(self, pages: QuerySet) -> tqdm | None:
        stream = getattr(self.stderr, "_out", sys.stderr)
        if not stream.isatty():
            return None
        return tqdm(total=pages.count(), unit="page", desc="smo_audit", file=stream)


def _absolute_admin_url(path: str | None, page: Page, context: AuditContext) -> str:
    """The admin URL made absolute with WAGTAILADMIN_BASE_URL, else on the page's own site."""
    if not path:
        return ""
    base = get_admin_base_url()
    if not base:
        # The admin is taken to be served with the site, as Wagtail sets it up (the demo on
        # whatever PORT it was started with: its Site records that).
        site = context.site_for(page)
        base = site.root_url if site is not None else ""
    return base.rstrip("/") + path if path.startswith("/") else path


def _in_chunks(pages: QuerySet) -> Iterator[Page]:
    """The specific pages of ``pages`` in path order, loaded ``CHUNK_SIZE`` at a time.

    Only the ids are read up front (as a server-side/chunked cursor); each chunk of specific
    pages is loaded and dropped in turn, so memory does not grow with the tree.
    """
    batch: list[int] = []
    for pk in pages.values_list("pk", flat=True).iterator(chunk_size=CHUNK_SIZE):
        batch.append(pk)
        if len(batch) == CHUNK_SIZE:
            yield from Page.objects.filter(pk__in=batch).order_by("path").specific()
            batch = []
    if batch:
        yield from Page.objects.filter(pk__in=batch).order_by("path").specific()
