"""The progress store: one SQLite file, opened through sqlite-utils, in WAL mode, migrated on open.

>>> from opsprep.engine.store import open_store
>>> from opsprep.engine.migrations import KNOWN as MIGRATIONS_KNOWN
>>> store = open_store(":memory:")
>>> store.schema_version == len(MIGRATIONS_KNOWN)
True

Writes go through :meth:`Store.transaction` (``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back on any
error), reads through :meth:`Store.rows` / :meth:`Store.row`. Both turn SQLite's errors into
:class:`StoreLocked`, :class:`StoreCorrupt` or :class:`StoreError` with a message that names the file
and says what to do. A ``Store`` is one connection; it serialises its own use with a lock, so threads
may share one, but each thread (or web request) opening its own is what lets SQLite's WAL mode
run readers beside the writer.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import sqlite_utils

from .errors import StoreCorrupt, StoreError, StoreLocked
from .migrations import KNOWN, MIGRATIONS, applied, migrate

#: seconds a writer waits for another writer's lock before giving up with StoreLocked
BUSY_TIMEOUT = 10.0


def _translate(exc: sqlite3.Error, path: str) -> StoreError:
    """One SQLite error as the engine's error, with a message that says what to do next."""
    text = str(exc)
    lowered = text.lower()
    if "locked" in lowered or "busy" in lowered:
        return StoreLocked(
            f"The progress database {path} is locked by another program ({text}). "
            "Close the other program or try again; nothing was written."
        )
    if "not a database" in lowered or "malformed" in lowered or "corrupt" in lowered:
        return StoreCorrupt(
            f"{path} is not a usable progress database ({text}). "
            "Restore it from a backup, or use another database file; nothing was written."
        )
    if "unable to open" in lowered or "readonly" in lowered or "read-only" in lowered:
        return StoreError(
            f"Cannot write the progress database {path} ({text}). Check that its folder exists and is writable."
        )
    return StoreError(f"The progress database {path} failed: {text}")


class Store:
    """An open progress database: a sqlite-utils ``Database`` plus transactions and error translation."""

    def __init__(self, db: sqlite_utils.Database, path: str) -> None:
        self.db = db
        self.path = path
        self._lock = threading.RLock()
        self.bank_token: object | None = None  # the question bank last synced into this connection

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self.db.close()

    @contextlib.contextmanager
    def guard(self) -> Iterator[None]:
        """Translate SQLite errors raised inside the block (integrity errors, which are bugs, pass through)."""
        try:
            yield
        except sqlite3.IntegrityError:
            raise
        except sqlite3.Error as exc:
            error = _translate(exc, self.path)
            if isinstance(error, StoreCorrupt) or isinstance(exc, sqlite3.OperationalError) and "I/O" in str(exc):
                _CHECKED.discard(self.path)  # the next open checks the whole file again
            raise error from exc

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite_utils.Database]:
        """A write transaction: ``BEGIN IMMEDIATE``, then ``COMMIT``, or ``ROLLBACK`` on any exception."""
        with self._lock, self.guard():
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.rollback()
                raise
            try:
                self.db.conn.execute("COMMIT")
            except BaseException:
                self.db.rollback()
                raise

    def rows(self, sql: str, params: Sequence[Any] | dict = ()) -> list[dict]:
        """Every row of a query, as dicts."""
        with self._lock, self.guard():
            cursor = self.db.conn.execute(sql, params)
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def tuples(self, sql: str, params: Sequence[Any] | dict = ()) -> list[tuple]:
        """Every row of a query, as tuples (cheaper than dicts for big results)."""
        with self._lock, self.guard():
            return self.db.conn.execute(sql, params).fetchall()

    def row(self, sql: str, params: Sequence[Any] | dict = ()) -> dict | None:
        """The first row of a query as a dict, or None."""
        with self._lock, self.guard():
            cursor = self.db.conn.execute(sql, params)
            found = cursor.fetchone()
            return None if found is None else dict(zip([d[0] for d in cursor.description], found, strict=True))

    def scalar(self, sql: str, params: Sequence[Any] | dict = ()) -> Any:
        """The first column of the first row, or None."""
        with self._lock, self.guard():
            found = self.db.conn.execute(sql, params).fetchone()
            return None if found is None else found[0]

    @property
    def schema_version(self) -> int:
        """How many of the engine's migrations have been applied."""
        with self._lock, self.guard():
            return len(applied(self.db))

    @property
    def journal_mode(self) -> str:
        """SQLite's journal mode: ``wal`` for files (``memory`` for in-memory stores)."""
        return self.scalar("PRAGMA journal_mode")


def open_store(path: str | Path = ":memory:", *, timeout: float = BUSY_TIMEOUT) -> Store:
    """Open (creating if needed) the progress database at ``path`` and bring its schema up to date.

    ``":memory:"`` gives a private in-memory store (tests). Raises :class:`StoreCorrupt` for a file that
    is not an SQLite database, :class:`StoreError` for an SQLite file of another program or of a newer
    opsprep, :class:`StoreLocked` when another writer holds the lock for longer than ``timeout`` seconds.
    """
    name = str(path)
    if name != ":memory:" and not Path(name).parent.is_dir():
        raise StoreError(f"Cannot create the progress database {name}: folder {Path(name).parent} does not exist.")
    try:
        if name != ":memory:" and not Path(name).exists():
            # it holds password hashes: readable by its owner only (SQLite gives its -wal and -shm the same mode)
            os.close(os.open(name, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        conn = sqlite3.connect(name, timeout=timeout, check_same_thread=False)
    except FileExistsError:  # made meanwhile by another connection: open it as it is
        conn = sqlite3.connect(name, timeout=timeout, check_same_thread=False)
    except OSError as exc:
        raise StoreError(
            f"Cannot create the progress database {name} ({exc.strerror or exc}). Check that its folder is writable."
        ) from None
    except sqlite3.Error as exc:
        raise _translate(exc, name) from exc
    store = Store(sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False), name)
    try:
        with store.guard():
            _check_integrity(store)
            _check_foreign(store)
            if name != ":memory:":
                store.db.enable_wal()
            # WAL + NORMAL: a commit survives a crash of the program; only a power cut can lose the last ones
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
        migrate(store)
    except BaseException:
        conn.close()
        raise
    return store


#: files found sound by an integrity check in this process (checked again after a corruption or I/O error)
_CHECKED: set[str] = set()
_CHECKED_LOCK = threading.Lock()


def _check_integrity(store: Store) -> None:
    """Refuse a damaged file before anything is read or written: SQLite's ``quick_check``, once per process
    for each file (and again after an error that suggests damage), since each web request opens the store."""
    if store.path == ":memory:" or store.path in _CHECKED:
        return
    problems = [row[0] for row in store.db.execute("PRAGMA quick_check(5)").fetchall()]
    if problems != ["ok"]:
        raise StoreCorrupt(
            f"{store.path} is damaged ({'; '.join(problems)}). Nothing more is written to it. "
            "Restore it from a backup, or use another database file."
        )
    with _CHECKED_LOCK:
        _CHECKED.add(store.path)


def _check_foreign(store: Store) -> None:
    """Refuse an SQLite file that holds another program's tables."""
    tables = set(store.db.table_names())
    if tables and MIGRATIONS.migrations_table not in tables:
        raise StoreError(
            f"{store.path} is an SQLite database of another program (tables: {', '.join(sorted(tables)[:5])}). "
            "Use a new file for opsprep's progress."
        )


__all__ = ["BUSY_TIMEOUT", "KNOWN", "Store", "open_store"]
