"""Export writers: CSV, JSON and the Hootsuite, Postcron and Buffer bulk-upload formats.

Every writer takes an iterable of ``FeedItem`` (values from the resolver) and a text stream, and
writes row by row: memory stays flat whatever the number of pages. Scheduler formats carry a
message composed by ``wagtail_smo.posts.compose.compose_post`` (title, summary, link, hashtags).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TextIO

from ..feeds.items import FeedItem
from ..meta.sources import sources_as_dict
from ..posts.compose import compose_post
from ..share.utm import build_utm_url

#: Hootsuite's bulk composer takes at most this many rows per file.
HOOTSUITE_MAX_ROWS = 350
# Spreadsheet programs run a cell starting with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

CSV_COLUMNS = [
    "page_id", "title", "description", "url", "type", "site_name", "locale", "section",
    "author", "tags", "published", "modified", "image_url", "image_width", "image_height",
    "image_type", "image_alt", "image_length", "guid",
]


#: Message of scheduler rows: title, summary, link and hashtags, fitted to the network's limit by
#: the composer (hashtags go first, then the summary is shortened).
SCHEDULER_TEMPLATE = "{title} — {description} {link} {hashtags}"


@dataclass(frozen=True)
class Schedule:
    """When scheduler rows go out: ``start``, then one every ``every`` (site time zone)."""

    start: datetime
    every: timedelta

    def times(self) -> Iterator[datetime]:
        """``start``, ``start + every``, ..."""
        moment = self.start
        while True:
            yield moment
            moment += self.every


@dataclass(frozen=True)
class ExportOptions:
    """What a writer needs beyond the items: UTM tagging, the network and the schedule."""

    utm: bool | None = None  # None: the feed setting for feed formats, on for the others
    network: str = "x"
    template: str = SCHEDULER_TEMPLATE
    schedule: Schedule | None = None
    warn: Callable[[str], None] = lambda message: None


def spreadsheet_safe(value: object) -> str:
    """A cell value a spreadsheet shows as text: a leading ``'`` defuses formulas."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _iso(value: datetime | None) -> str:
    return value.isoformat() if value else ""


def _export_link(item: FeedItem, options: ExportOptions) -> str:
    if options.utm and item.meta.url:
        return build_utm_url(item.meta.url, "export", medium="export", page=item.page)
    return item.meta.url or ""


def item_record(item: FeedItem, options: ExportOptions) -> dict:
    """All values of one page as a flat record (the CSV columns, also the JSON keys)."""
    meta, image = item.meta, item.meta.image
    return {
        "page_id": item.page.pk,
        "title": meta.title,
        "description": meta.description,
        "url": _export_link(item, options),
        "type": meta.og_type,
        "site_name": meta.site_name,
        "locale": meta.locale,
        "section": meta.section,
        "author": meta.author,
        "tags": list(meta.tags),
        "published": _iso(item.published),
        "modified": _iso(item.updated),
        "image_url": image.url if image else "",
        "image_width": image.width if image else None,
        "image_height": image.height if image else None,
        "image_type": image.mime_type if image else "",
        "image_alt": image.alt if image else "",
        "image_length": item.image_length,
        "guid": item.guid,
    }


def write_csv(items: Iterable[FeedItem], out: TextIO, options: ExportOptions) -> int:
    """One row per page with a header row; tags are joined with ", "."""
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    count = 0
    for item in items:
        record = item_record(item, options)
        record["tags"] = ", ".join(record["tags"])
        writer.writerow([spreadsheet_safe(record[column]) for column in CSV_COLUMNS])
        count += 1
    return count


def write_json(items: Iterable[FeedItem], out: TextIO, options: ExportOptions) -> int:
    """A JSON array of records (with each value's source), streamed one record at a time."""
    out.write("[")
    count = 0
    for item in items:
        record = item_record(item, options)
        record["sources"] = sources_as_dict(item.meta.sources)
        out.write(("," if count else "") + "\n" + json.dumps(record, ensure_ascii=False))
        count += 1
    out.write("\n]\n")
    return count


def _composed(item: FeedItem, options: ExportOptions):
    return compose_post(
        item.page, options.network, template=options.template, utm=bool(options.utm),
        meta=item.meta,
    )


def _schedule(options: ExportOptions) -> Iterator[datetime]:
    if options.schedule is None:
        raise ValueError("scheduler formats need a schedule")
    return options.schedule.times()


def _write_scheduled(
    items: Iterable[FeedItem], out: TextIO, options: ExportOptions, *, header: list[str] | None,
    row: Callable, max_rows: int | None = None, name: str = "",
) -> int:
    """Write one row per page from ``row(item, composed_post, moment)``; times from the schedule."""
    writer = csv.writer(out)
    if header:
        writer.writerow(header)
    times = _schedule(options)
    count = 0
    for item in items:
        if max_rows is not None and count == max_rows:
            options.warn(
                f"{name} takes at most {max_rows} rows: the remaining pages were left out "
                "(narrow the export with --since/--until or --limit)."
            )
            break
        writer.writerow(row(item, _composed(item, options), next(times)))
        count += 1
    return count


def _image_url(item: FeedItem) -> str:
    return item.meta.image.url if item.meta.image else ""


def write_hootsuite(items: Iterable[FeedItem], out: TextIO, options: ExportOptions) -> int:
    """Hootsuite bulk composer: date/time ("MM/DD/YYYY HH:MM", 24 h), message, link; no header.

    Hootsuite takes at most 350 rows per file: later pages are left out with a warning.
    """
    return _write_scheduled(
        items, out, options, header=None, max_rows=HOOTSUITE_MAX_ROWS, name="Hootsuite",
        row=lambda item, post, moment: [
            moment.strftime("%m/%d/%Y %H:%M"), spreadsheet_safe(post.text),
            spreadsheet_safe(post.link),
        ],
    )


POSTCRON_COLUMNS = ["Message", "Year", "Month", "Day", "Hour", "Minute", "Image URL", "Link"]


def write_postcron(items: Iterable[FeedItem], out: TextIO, options: ExportOptions) -> int:
    """Postcron bulk spreadsheet: text, year, month, day, hour (24 h), minute, image URL, link."""
    return _write_scheduled(
        items, out, options, header=POSTCRON_COLUMNS,
        row=lambda item, post, moment: [
            spreadsheet_safe(post.text), moment.year, moment.month, moment.day, moment.hour,
            moment.minute, spreadsheet_safe(_image_url(item)), spreadsheet_safe(post.link),
        ],
    )


BUFFER_COLUMNS = ["Text", "Image URL", "Tags", "Posting Time"]


def write_buffer(items: Iterable[FeedItem], out: TextIO, options: ExportOptions) -> int:
    """Buffer bulk upload (no official specification): text, image URL, tags, posting time.

    "Posting Time" is "YYYY-MM-DD HH:MM" in the site's time zone; the link is inside the text.
    """
    return _write_scheduled(
        items, out, options, header=BUFFER_COLUMNS,
        row=lambda item, post, moment: [
            spreadsheet_safe(post.text), spreadsheet_safe(_image_url(item)),
            spreadsheet_safe(", ".join(item.meta.tags)), moment.strftime("%Y-%m-%d %H:%M"),
        ],
    )


WRITERS = {
    "csv": write_csv,
    "json": write_json,
    "hootsuite": write_hootsuite,
    "postcron": write_postcron,
    "buffer": write_buffer,
}
SCHEDULER_FORMATS = ("hootsuite", "postcron", "buffer")
