"""Buffered click counts into ``ClickCount``: checked against the pages and posts, then added.

The checks a request could only make with queries are made here, once per batch: the page is
live and under no view restriction, and a post reference names a post *of that page* (a forged
or stale reference, or one of another page, counts as nothing). Each row is added with one
``INSERT ... ON CONFLICT (...) WHERE ... DO UPDATE SET count = count + excluded.count`` per
batch and kind (post or page clicks): ``bulk_create(update_conflicts=True)`` cannot name the
*partial* unique indexes ``ClickCount`` has, while the statement above, with the index's
predicate, is understood by SQLite (3.24+) and PostgreSQL alike, and is atomic on both, so two
flushes adding to one row at once both count.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import connection, transaction
from wagtail.models import Page, PageViewRestriction

from ..models import ClickCount, SocialPost
from .buffer import ClickKey

#: Rows per statement (SQLite allows 32,766 bound parameters; 5 a row).
ROWS_PER_STATEMENT = 500


def public_pages(page_ids: set[int]) -> set[int]:
    """The ids among ``page_ids`` of live pages under no view restriction: two queries."""
    if not page_ids:
        return set()
    paths = dict(Page.objects.filter(pk__in=page_ids, live=True).values_list("pk", "path"))
    restricted = list(PageViewRestriction.objects.values_list("page__path", flat=True))
    return {pk for pk, path in paths.items()
            if not any(path.startswith(prefix) for prefix in restricted)}


def post_ids(refs: set[tuple[str, int]]) -> dict[tuple[str, int], int]:
    """``{(click_ref, page_id): post id}`` for the references that name a post of that page."""
    if not refs:
        return {}
    rows = SocialPost.objects.filter(click_ref__in={ref for ref, _page in refs}).values_list(
        "click_ref", "page_id", "pk")
    return {(ref, page): pk for ref, page, pk in rows if (ref, page) in refs}


def save_counts(counts: dict[ClickKey, int]) -> int:
    """Add ``counts`` to ``ClickCount``; returns the rows added to (clicks that check out)."""
    pages = public_pages({page for page, _ref, _network, _day in counts})
    posts = post_ids({(ref, page) for page, ref, _network, _day in counts if ref})
    rows: dict[tuple[int, int | None, str, datetime.date], int] = defaultdict(int)
    for (page, ref, network, day), value in counts.items():
        if page not in pages or value < 1:
            continue
        post = posts.get((ref, page)) if ref else None
        if ref and post is None:
            continue  # a reference that names no post of this page: counted as nothing
        try:
            when = datetime.date.fromisoformat(day)
        except ValueError:
            continue
        rows[(page, post, network, when)] += value
    with_post = [(*key, value) for key, value in rows.items() if key[1] is not None]
    without = [(*key, value) for key, value in rows.items() if key[1] is None]
    with transaction.atomic():
        for start in range(0, len(with_post), ROWS_PER_STATEMENT):
            _upsert(with_post[start:start + ROWS_PER_STATEMENT], with_post=True)
        for start in range(0, len(without), ROWS_PER_STATEMENT):
            _upsert(without[start:start + ROWS_PER_STATEMENT], with_post=False)
    return len(rows)


def _upsert(rows: list[tuple[int, int | None, str, datetime.date, int]], *,
            with_post: bool) -> None:
    """One ``INSERT ... ON CONFLICT DO UPDATE`` adding ``rows`` (page, post, network, day, n)."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(ClickCount._meta.db_table)
    columns = {field.name: quote(field.column) for field in ClickCount._meta.concrete_fields
               if field.column}
    page, post, network, day, count = (
        columns[name] for name in ("page", "post", "network", "day", "count"))
    if with_post:
        target = f"({page}, {post}, {network}, {day}) WHERE {post} IS NOT NULL"
    else:
        target = f"({page}, {network}, {day}) WHERE {post} IS NULL"
    values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(rows))
    # Only quoted table and column names and placeholders are formatted in: values are bound.
    sql = (
        f"INSERT INTO {table} ({page}, {post}, {network}, {day}, {count}) "  # noqa: S608
        f"VALUES {values} ON CONFLICT {target} "
        f"DO UPDATE SET {count} = {table}.{count} + excluded.{count}"
    )
    params = [value.isoformat() if isinstance(value, datetime.date) else value
              for row in rows for value in row]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
