"""Writers for ``smo_audit`` rows: a table for people, CSV and JSON for tools. All stream."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    # Anything with write(str): a file, or the command's OutputWrapper (not a TextIO).
    from _typeshed import SupportsWrite

COLUMNS = ("level", "code", "page_id", "page_title", "url", "message", "fix", "edit_url")


@dataclass(frozen=True)
class Row:
    """One finding on one page, as written by the command."""

    level: str
    code: str
    page_id: int | None
    page_title: str
    url: str
    message: str
    fix: str
    edit_url: str

    def as_dict(self) -> dict:
        """The row as a dict in column order."""
        return {name: getattr(self, name) for name in COLUMNS}


class TableWriter:
    """Plain text for a terminal: one block per finding, written as soon as it is found."""

    def __init__(self, out: SupportsWrite[str]) -> None:
        self.out = out

    def start(self) -> None:
        """Nothing to write before the first row."""

    def row(self, row: Row) -> None:
        """Write one finding: level, code and page on one line, then message and fix."""
        self.out.write(f"{row.level.upper():<8} {row.code:<22} #{row.page_id} {row.page_title}"
                       f"{'  ' + row.url if row.url else ''}\n")
        self.out.write(f"         {row.message}\n         Fix: {row.fix}\n")

    def finish(self, summary: str) -> None:
        """End with the summary line."""
        self.out.write(summary + "\n")


class CsvWriter:
    """CSV with a header row; the summary goes to stderr so the file stays clean."""

    def __init__(self, out: SupportsWrite[str]) -> None:
        self.writer = csv.DictWriter(out, fieldnames=COLUMNS)

    def start(self) -> None:
        """Write the header row."""
        self.writer.writeheader()

    def row(self, row: Row) -> None:
        """Write one finding."""
        self.writer.writerow(row.as_dict())

    def finish(self, summary: str) -> None:
        """Nothing after the last row."""


class JsonWriter:
    """A JSON array of findings, written element by element (never held in memory)."""

    def __init__(self, out: SupportsWrite[str]) -> None:
        self.out = out
        self.first = True

    def start(self) -> None:
        """Open the array."""
        self.out.write("[")

    def row(self, row: Row) -> None:
        """Write one finding as an object."""
        self.out.write(("\n" if self.first else ",\n") + json.dumps(row.as_dict()))
        self.first = False

    def finish(self, summary: str) -> None:
        """Close the array."""
        self.out.write("\n]\n")


class ReportWriter(Protocol):
    """What every writer does: start, one row per finding, finish with the summary line."""

    def start(self) -> None: ...

    def row(self, row: Row) -> None: ...

    def finish(self, summary: str) -> None: ...


WRITERS: dict[str, Callable[[SupportsWrite[str]], ReportWriter]] = {
    "table": TableWriter, "csv": CsvWriter, "json": JsonWriter,
}
