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

A web request takes its store with :func:`reuse_store` and hands it back with :func:`release_store`:
a connection left idle for at most :data:`KEEP_IDLE` seconds is used again (its schema, page cache and
prepared statements are warm) when the file, its ``-wal`` and its ``-shm`` are still exactly as it
left them; anything else (another writer, a file deleted, replaced or damaged) gets a new connection,
and stale ones are closed before any new connection opens the file.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import sqlite_utils

from .errors import StoreCorrupt, StoreError, StoreLocked
from .migrations import KNOWN, MIGRATIONS, applied, migrate

#: seconds a writer waits for another writer's lock before giving up with StoreLocked
BUSY_TIMEOUT = 10.0
#: values a connection keeps with :meth:`Store.memo`
MEMO_LIMIT = 256


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
        self.failed = False  # an SQLite error was raised through this store: never reuse it
        #: the files' identity and this connection's count of changes when :func:`reuse_store` handed it out
        #: again (None for a connection just opened): unchanged at release, there is nothing to checkpoint
        self.reused_as: tuple[tuple, int] | None = None
        self._memo: dict[object, tuple[tuple[int, int], Any]] = {}

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
            self.failed = True
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
                self._rollback()
                raise
            try:
                self.db.conn.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise

    def _rollback(self) -> None:
        self._memo.clear()  # nothing read inside the transaction may outlive it
        self.db.rollback()

    def _unchanged_token(self) -> tuple[int, int]:
        """What moves with every write to the database: this connection's count of changes, and SQLite's
        ``data_version`` (which moves when any other connection, in any process, commits)."""
        conn = self.db.conn
        return conn.total_changes, conn.execute("PRAGMA data_version").fetchone()[0]

    def memo(self, key: object, load: Callable[[], Any]) -> Any:
        """``load()``, or what it returned for ``key`` before on this connection when nothing has been
        written to the database since (by anyone): rows read over and over in a request, such as the
        learner's, are read once. Inside a transaction it always loads."""
        with self._lock, self.guard():
            if self.db.conn.in_transaction:
                return load()
            token = self._unchanged_token()  # before loading: a write meanwhile makes the value look older
            found = self._memo.get(key)
            if found is not None and found[0] == token:
                return found[1]
            value = load()
            if len(self._memo) >= MEMO_LIMIT:
                self._memo.clear()
            self._memo[key] = (token, value)
            return value

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
    _close_stale(name)  # before connecting: a stale connection must not share the new file's -wal and -shm
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
            current = _is_current(store)
            if not current:
                _check_foreign(store)
            if name != ":memory:":
                store.db.enable_wal()
            # WAL + NORMAL: a commit survives a crash of the program; only a power cut can lose the last ones
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
        if not current:
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


def _is_current(store: Store) -> bool:
    """True when the file records exactly the migrations this code knows: it is opsprep's and up to date.

    One small query, the usual case of every open (each web request opens the store); anything else
    (a new file, another program's, an older or newer schema) goes the long way through
    :func:`_check_foreign` and :func:`~.migrations.migrate`."""
    try:
        found = store.db.conn.execute(
            f"SELECT name FROM [{MIGRATIONS.migrations_table}] WHERE migration_set = ? ORDER BY rowid",
            [MIGRATIONS.name],
        ).fetchall()
    except sqlite3.OperationalError as exc:
        if str(exc).startswith("no such"):  # no migrations table (or one of another layout): the long way
            return False
        raise
    return tuple(name for (name,) in found) == KNOWN


def _check_foreign(store: Store) -> None:
    """Refuse an SQLite file that holds another program's tables."""
    tables = set(store.db.table_names())
    if tables and MIGRATIONS.migrations_table not in tables:
        raise StoreError(
            f"{store.path} is an SQLite database of another program (tables: {', '.join(sorted(tables)[:5])}). "
            "Use a new file for opsprep's progress."
        )


#: seconds an idle connection is kept for the next request (stores idle for longer are closed)
KEEP_IDLE = 2.0
#: idle connections kept per database file
IDLE_LIMIT = 8

#: idle stores by file: (store, the files' identity when it was released, when it was released)
_IDLE: dict[str, list[tuple[Store, tuple, float]]] = {}
_IDLE_LOCK = threading.Lock()
_reaper: threading.Thread | None = None


def _identity(path: str) -> tuple | None:
    """What must not have changed for an idle connection to be used again: the database file (which
    inode, its size and time of change) and the ``-wal`` and ``-shm`` files beside it; None when one is missing."""
    try:
        db, wal, shm = os.stat(path), os.stat(f"{path}-wal"), os.stat(f"{path}-shm")
    except OSError:
        return None
    return (db.st_dev, db.st_ino, db.st_size, db.st_mtime_ns, wal.st_ino, wal.st_size, wal.st_mtime_ns, shm.st_ino)


def reuse_store(path: str | Path, *, timeout: float = BUSY_TIMEOUT) -> Store:
    """A store of the database at ``path``: a connection released by :func:`release_store` when the
    files are exactly as it left them (nobody wrote, replaced or damaged them since), else a new one
    (:func:`open_store`, which raises as it does)."""
    name = str(path)
    if name != ":memory:":
        with _IDLE_LOCK:
            found = _IDLE.get(name, [])
            entry = found.pop() if found else None
        if entry is not None:
            store, identity, _ = entry
            if _identity(name) == identity:
                store.reused_as = (identity, store.db.conn.total_changes)
                return store
            store.close()
    return open_store(name, timeout=timeout)


def release_store(store: Store) -> None:
    """Hand back a store taken with :func:`reuse_store`: kept for :data:`KEEP_IDLE` seconds when it is
    sound, else closed (an SQLite error went through it, it is in a transaction, or it is in memory).

    The write-ahead log is checkpointed first (without waiting on anyone): an idle connection leaves
    nothing in it that closing would later write into the database file. A connection handed out again
    that changed nothing goes back as it is, with the files' identity it was handed out on: it was
    checkpointed when it was released before, and should another program have changed the files
    meanwhile, the next :func:`reuse_store` finds them changed and closes it."""
    if store.failed or store.path == ":memory:" or store.db.conn.in_transaction:
        store.close()
        return
    reused, store.reused_as = store.reused_as, None
    if reused is not None and reused[1] == store.db.conn.total_changes:
        _keep_idle(store, reused[0])  # whatever another program did meanwhile, the next reuse_store sees it
        return
    try:
        with store.guard():
            busy, logged, copied = store.db.conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    except StoreError:
        store.close()
        return
    identity = _identity(store.path)
    if busy or logged != copied or identity is None:
        store.close()
        return
    _keep_idle(store, identity)


def _keep_idle(store: Store, identity: tuple) -> None:
    """Keep a released store for the next request (closed instead when :data:`IDLE_LIMIT` are kept)."""
    with _IDLE_LOCK:
        idle = _IDLE.setdefault(store.path, [])
        if len(idle) < IDLE_LIMIT:
            idle.append((store, identity, time.monotonic()))
            _start_reaper()
            return
    store.close()


def _close_stale(name: str) -> None:
    """Close the idle connections to ``name`` whose files changed since they were released."""
    with _IDLE_LOCK:
        idle = _IDLE.get(name)
        if not idle:
            return
        identity = _identity(name)
        stale = [entry[0] for entry in idle if entry[1] != identity]
        idle[:] = [entry for entry in idle if entry[1] == identity]
    for store in stale:
        store.close()


def _start_reaper() -> None:
    """Start the thread that closes connections idle for longer than :data:`KEEP_IDLE` (call with the lock)."""
    global _reaper
    if _reaper is None or not _reaper.is_alive():
        _reaper = threading.Thread(target=_reap, name="opsprep-store-reaper", daemon=True)
        _reaper.start()


def _reap() -> None:
    while True:
        time.sleep(KEEP_IDLE / 4)
        cutoff = time.monotonic() - KEEP_IDLE
        with _IDLE_LOCK:
            old = [store for idle in _IDLE.values() for store, _, released in idle if released <= cutoff]
            for name in list(_IDLE):
                _IDLE[name] = [entry for entry in _IDLE[name] if entry[2] > cutoff]
                if not _IDLE[name]:
                    del _IDLE[name]
        for store in old:
            store.close()


__all__ = ["BUSY_TIMEOUT", "KEEP_IDLE", "KNOWN", "Store", "open_store", "release_store", "reuse_store"]
