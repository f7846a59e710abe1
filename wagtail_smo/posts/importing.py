"""Bulk scheduling import: a plain CSV or the Postcron spreadsheet layout, all-or-nothing.

Every row is validated first; every problem is reported with its row number (as a spreadsheet
shows it, the header being row 1); nothing is created if any row fails. Used by the command
``smo_import_schedule`` and by the admin upload.

Plain CSV: a header row naming the columns ``channel``, ``datetime``, ``text``, ``link`` and
optionally ``image_url`` (any order). Postcron: eight columns without a channel — A text,
B year, C month, D day, E hour (24 h), F minute, G image URL(s) (comma-separated, the first is
used), H link — the channel is given once for the whole file.

The link of every row must be the URL of a live, public page of one of the sites (UTM
parameters and other query strings are allowed): a post always belongs to a page.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from wagtail.models import Page

from ..core.networks import count_length, network_limit
from ..models import OPEN_STATUSES, SocialPost
from ..net import host_problem, is_public_url
from ..pages import AddressError, page_at_url
from ..providers import channel_aliases, channel_config, channel_network
from . import workflow

CSV_COLUMNS = ("channel", "datetime", "text", "link")
OPTIONAL_COLUMNS = ("image_url",)
POSTCRON_COLUMNS = 8
_url = URLValidator(schemes=["http", "https"])


@dataclass
class ImportRow:
    """One validated row, ready to become a post."""

    row: int
    channel: str
    when: datetime.datetime
    text: str
    link: str
    image_url: str
    page: Page


@dataclass
class ImportResult:
    """Rows that passed, problems found (``"row N: message"``) and the posts created."""

    rows: list[ImportRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    created: list[SocialPost] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every row is valid."""
        return not self.problems


class ImportFileError(ValueError):
    """The file cannot be read at all (encoding, layout)."""


def read_rows(content: bytes | str, file_format: str = "auto",
              channel: str | None = None) -> tuple[str, list[tuple[int, dict]]]:
    """Parse the file into (format, [(row number, {column: value})]); raise ImportFileError."""
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportFileError("The file is not UTF-8 text (save it as CSV UTF-8).") from exc
    try:
        dialect = csv.Sniffer().sniff(content[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    table = [row for row in csv.reader(io.StringIO(content), dialect)]
    numbered = [(n, row) for n, row in enumerate(table, start=1) if any(c.strip() for c in row)]
    if not numbered:
        raise ImportFileError("The file has no rows.")
    header = [c.strip().lower() for c in numbered[0][1]]
    if file_format == "auto":
        file_format = "csv" if "channel" in header or "text" in header else "postcron"
    if file_format == "csv":
        missing = [c for c in CSV_COLUMNS if c not in header]
        unknown = [c for c in header if c and c not in CSV_COLUMNS + OPTIONAL_COLUMNS]
        if missing or unknown:
            parts = []
            if missing:
                parts.append("missing column(s): " + ", ".join(missing))
            if unknown:
                parts.append("unknown column(s): " + ", ".join(unknown))
            raise ImportFileError(
                "row 1: wrong columns (" + "; ".join(parts) + "). Expected: "
                + ", ".join(CSV_COLUMNS + OPTIONAL_COLUMNS) + "."
            )
        return file_format, [
            (n, {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(header)})
            for n, row in numbered[1:]
        ]
    if file_format != "postcron":
        raise ImportFileError(f"Unknown format {file_format!r}: use csv, postcron or auto.")
    if not channel:
        raise ImportFileError("A Postcron file has no channel column: give the channel.")
    rows = numbered
    if not rows[0][1][1:2] or not rows[0][1][1].strip().isdigit():
        rows = rows[1:]  # a header row ("Message", "Year", ...)
    result = []
    for n, row in rows:
        if len(row) < POSTCRON_COLUMNS - 2 or len(row) > POSTCRON_COLUMNS:
            result.append((n, {"_error": f"expected {POSTCRON_COLUMNS} columns, found {len(row)}"}))
            continue
        row = [c.strip() for c in row] + [""] * (POSTCRON_COLUMNS - len(row))
        text, year, month, day, hour, minute, images, link = row
        result.append((n, {
            "channel": channel, "text": text, "link": link,
            "image_url": images.split(",")[0].strip(),
            "datetime": f"{year}-{month.zfill(2)}-{day.zfill(2)} {hour.zfill(2)}:{minute.zfill(2)}",
        }))
    return file_format, result


def _page_for_link(link: str) -> Page | None:
    """The live, public page whose URL is ``link`` (query string and fragment ignored)."""
    try:
        return page_at_url(link)
    except AddressError:  # e.g. a port out of range, which URLValidator lets through
        return None


def _when(value: str) -> datetime.datetime | None:
    """The moment a row's date-time names, or None when it names none (``2026-13-45``)."""
    value = value.strip().replace("/", "-")
    try:
        # parse_datetime raises ValueError for a well-formed but impossible date.
        when = parse_datetime(value) or datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    return when


def image_url_problem(url: str) -> str | None:
    """Why an imported image URL is refused (not public), or None: networks and webhooks fetch
    it themselves, so an internal address would be fetched from inside someone's network."""
    reason = host_problem(url)
    if reason:
        return (f"image URL {url!r} is on {reason}: only images on public addresses can be "
                "imported (networks and webhooks fetch them)")
    if not (_valid_url(url) and is_public_url(url)):
        return f"bad image URL {url!r}"
    return None


def _valid_url(url: str) -> bool:
    try:
        _url(url)
    except ValidationError:
        return False
    return True


def validate_rows(rows: list[tuple[int, dict]]) -> ImportResult:
    """Check every row; collect every problem with its row number."""
    result = ImportResult()
    aliases = set(channel_aliases())
    now = timezone.now()
    seen: dict[tuple[int, str], int] = {}
    for n, values in rows:
        problems = []
        if "_error" in values:
            result.problems.append(f"row {n}: {values['_error']}")
            continue
        channel = values.get("channel", "")
        if channel not in aliases:
            problems.append(f"unknown channel {channel!r}")
        when = _when(values.get("datetime", ""))
        if when is None:
            problems.append(f"bad date-time {values.get('datetime', '')!r} (use YYYY-MM-DD HH:MM)")
        elif when <= now:
            problems.append(f"date-time {values['datetime']!r} is in the past")
        text = values.get("text", "")
        if not text:
            problems.append("empty text")
        elif channel in aliases:
            network = channel_network(channel)
            limit = network_limit(network, options=channel_config(channel).get("OPTIONS", {}),
                                  with_image=bool(values.get("image_url")))
            length = count_length(text, network)
            if length > limit:
                problems.append(f"text is {length} characters, {network} allows {limit}")
        link, image_url = values.get("link", ""), values.get("image_url", "")
        page = None
        if link and not _valid_url(link):
            problems.append(f"bad link {link!r}")
        if image_url and (reason := image_url_problem(image_url)):
            problems.append(reason)
        if not link:
            problems.append("missing link (a post belongs to a page of the site)")
        elif not any(p.startswith("bad link") for p in problems):
            page = _page_for_link(link)
            if page is None:
                problems.append(f"link {link!r} is not a live, public page of this site")
        if page is not None and channel in aliases:
            key = (page.pk, channel)
            if key in seen:
                problems.append(f"same page and channel as row {seen[key]}")
            elif blocking := SocialPost.objects.filter(page=page, channel=channel,
                                                       status__in=OPEN_STATUSES).first():
                # A closed post (sent, cancelled) never blocks sharing the page again.
                problems.append(f"the page already has an open post for {channel} "
                                f"({blocking.get_status_display().lower()}): cancel it or wait "
                                f"until it is sent")
            seen.setdefault(key, n)
        if problems or when is None:  # a bad date-time is always one of the problems
            result.problems.extend(f"row {n}: {p}" for p in problems)
        else:
            result.rows.append(ImportRow(n, channel, when, text, link, image_url, page))
    return result


def import_schedule(content: bytes | str, *, file_format: str = "auto", channel: str | None = None,
                    user: workflow.Actor | None = None, approve: bool = True,
                    dry_run: bool = False) -> ImportResult:
    """Validate every row, then create all posts in one transaction (or none at all).

    ``approve``: rows become scheduled posts (queued for delivery); otherwise drafts carrying
    the suggested time. ``dry_run`` validates only.
    """
    try:
        rows = read_rows(content, file_format, channel)[1]
    except ImportFileError as exc:
        return ImportResult(problems=[str(exc)])
    result = validate_rows(rows)
    if not result.ok or dry_run:
        return result
    made_by = "import" if approve else "import_draft"
    status = workflow.initial_status(made_by, user)
    with transaction.atomic():
        for row in result.rows:
            post = SocialPost.objects.create(
                page=row.page, site=row.page.get_site(), channel=row.channel, text=row.text,
                link=row.link, image_url=row.image_url, scheduled_at=row.when, status=status,
                # initial_status() refused an AnonymousUser (it holds no permission): user is
                # None or the user model, which mypy cannot tell from workflow.Actor.
                created_by=user, approved_by=user if approve else None,  # type: ignore[misc]
                revision_id=row.page.live_revision_id,
            )
            # Its history entry, and the queue for a scheduled post.
            workflow.record_created([post], made_by, user, log_data={"row": row.row})
            result.created.append(post)
    return result
