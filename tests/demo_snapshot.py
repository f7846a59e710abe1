"""The demo content, loaded once per test session and restored into each test that asks for it.

``load_demo_content`` takes 1 to 2 seconds (images drawn and saved, 14 pages saved and published
through Wagtail's signals), and about 180 tests use it. :class:`DemoSnapshot` records once which
tables the command changes and their rows before and after it, then each test replaces the rows of
those tables (a DELETE and an INSERT per table, about 20 ms) inside its own transaction, so the
test's rollback undoes them as it would undo the command. Media files written by the command stay
in the session's MEDIA_ROOT and are written again if a test deleted them.

The recording checks itself: it restores the rows once and compares every table (SQLite's full-text
index, kept by triggers, included) with what the command left. If anything differs, the snapshot
is switched off with a warning and the command runs in every test, as before; so it is with
``SMO_DEMO_SNAPSHOT=0`` in the environment (to rule the snapshot out when a test fails).
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction


def load_demo_content(**options) -> None:
    """Run ``load_demo_content`` for the test site (``hostname`` localhost, ``port`` 80)."""
    options = {"hostname": "localhost", "port": 80, **options}
    call_command("load_demo_content", stdout=open(os.devnull, "w"), **options)  # noqa: SIM115


class _Rollback(Exception):
    """Raised to leave an ``atomic`` block by rolling it back."""


class _SQLite:
    """Rows read and written through sqlite3 itself, as stored (no Django type conversion)."""

    def __init__(self):
        connection.ensure_connection()
        self.cursor = connection.connection.cursor()
        master = self.cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
        virtual = [name for name, sql in master if (sql or "").upper().startswith("CREATE VIRTUAL")]
        shadow = {name for name, _ in master for v in virtual if name.startswith(f"{v}_")}
        # Full-text tables are kept by triggers on their source table: compared, never written.
        self.compared = sorted(name for name, _ in master if name not in shadow)
        self.writable = [name for name in self.compared
                         if name not in virtual and name != "sqlite_sequence"]
        self.virtual = set(virtual)
        self.columns = {
            name: [row[1] for row in self.cursor.execute(f'PRAGMA table_info("{name}")')]
            for name in self.compared
        }

    def dump(self, table: str) -> list[tuple]:
        # "+column" is an expression, not a column: sqlite3 applies no converter to it, so the
        # values come back exactly as stored (text stays text, integers stay integers).
        columns = [f'+"{c}"' for c in self.columns[table]]
        if table in self.virtual:
            columns.insert(0, "rowid")
        return self.cursor.execute(f'SELECT {", ".join(columns)} FROM "{table}"').fetchall()

    def same(self, a, b) -> bool:
        return sorted(a, key=repr) == sorted(b, key=repr)

    def replace(self, table: str, rows: list[tuple]) -> None:
        columns = self.columns[table]
        self.cursor.execute(f'DELETE FROM "{table}"')
        if rows:
            names = ", ".join(f'"{c}"' for c in columns)
            marks = ", ".join("?" * len(columns))
            self.cursor.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)

    def reset_sequences(self, tables) -> None:
        """Nothing to do: inserting an id above sqlite_sequence's value moves it up."""


class _PostgreSQL:
    """Rows copied with COPY in PostgreSQL's text format (exact for every column type)."""

    def __init__(self):
        with connection.cursor() as cursor:
            names = connection.introspection.table_names(cursor)
        self.compared = self.writable = sorted(names)
        self.cursor = connection.cursor().cursor  # psycopg's own cursor, for copy()

    def dump(self, table: str) -> bytes:
        with self.cursor.copy(f"COPY {connection.ops.quote_name(table)} TO STDOUT") as copy:
            return b"".join(bytes(block) for block in copy)

    def same(self, a: bytes, b: bytes) -> bool:
        return sorted(a.splitlines()) == sorted(b.splitlines())  # one line per row

    def replace(self, table: str, rows: bytes) -> None:
        name = connection.ops.quote_name(table)
        self.cursor.execute(f"DELETE FROM {name}")
        if rows:
            with self.cursor.copy(f"COPY {name} FROM STDIN") as copy:
                copy.write(rows)

    def reset_sequences(self, tables) -> None:
        """Sequences past the restored ids (they are not transactional: never moved back)."""
        from django.apps import apps
        from django.core.management.color import no_style

        models = [model for model in apps.get_models(include_auto_created=True)
                  if model._meta.db_table in tables]
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            self.cursor.execute(sql)


def _backend():
    return _PostgreSQL() if connection.vendor == "postgresql" else _SQLite()


def _media_files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT)
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


@dataclass
class DemoSnapshot:
    """What ``load_demo_content`` changes in a freshly migrated test database."""

    tables: list[str] = field(default_factory=list)  # tables the command changed
    base: dict = field(default_factory=dict)  # their rows before the command
    demo: dict = field(default_factory=dict)  # their rows after it
    files: dict[Path, bytes] = field(default_factory=dict)  # media files the command wrote
    enabled: bool = True

    @classmethod
    def record(cls) -> DemoSnapshot:
        """Run the command once in a transaction that is rolled back, keeping what it changed."""
        backend = _backend()
        files_before = _media_files()
        try:
            with transaction.atomic():
                before = {table: backend.dump(table) for table in backend.compared}
                load_demo_content()
                after = {table: backend.dump(table) for table in backend.compared}
                raise _Rollback
        except _Rollback:
            pass
        tables = [t for t in backend.writable if not backend.same(before[t], after[t])]
        snapshot = cls(
            tables=tables,
            base={t: before[t] for t in tables},
            demo={t: after[t] for t in tables},
            files={path: path.read_bytes() for path in _media_files() - files_before},
        )
        try:  # the check: restored rows give exactly the database the command left
            with transaction.atomic():
                snapshot._apply(backend)
                differ = [t for t in backend.compared
                          if not backend.same(backend.dump(t), after[t])]
                raise _Rollback
        except _Rollback:
            pass
        if differ or not tables:
            warnings.warn(f"demo content snapshot disabled (restoring it differs in {differ}): "
                          "every test runs load_demo_content", stacklevel=1)
            snapshot.enabled = False
        return snapshot

    def restore(self) -> bool:
        """Replace the rows of the changed tables by the demo's; False when it cannot be done.

        Only from the state the recording started from: when an earlier fixture of this test
        changed one of those tables, the caller runs the command itself.
        """
        if not self.enabled or os.environ.get("SMO_DEMO_SNAPSHOT") == "0":
            return False
        backend = _backend()
        if not all(backend.same(backend.dump(t), self.base[t]) for t in self.tables):
            return False
        self._apply(backend)
        return True

    def _apply(self, backend) -> None:
        for table in self.tables:
            backend.replace(table, self.demo[table])
        backend.reset_sequences(self.tables)
        for path, data in self.files.items():
            if not path.exists() or path.stat().st_size != len(data):
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
