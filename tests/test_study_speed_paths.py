"""What keeps the study page fast without changing what it shows: the answers awaiting a rating are read
through their index, and a web request reuses the connection the last one left idle only while the
database files are exactly as that connection left them."""

from __future__ import annotations

import sqlite3
import time
from datetime import timedelta

import pytest

from opsprep.engine import Progress, StoreCorrupt
from opsprep.engine import store as store_module
from opsprep.engine.store import open_store, release_store, reuse_store
from opsprep.engine.synthetic import synthetic_bank

from .conftest import NOW

#: seconds a test waits for the idle connection to be closed: a guard against hanging only
HANG_GUARD = 30.0


@pytest.fixture(scope="module")
def bank():
    return synthetic_bank(items=20)


def _plans(store, call) -> list[str]:
    """The query plans of the statements on the review log that ``call`` runs."""
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    try:
        call()
    finally:
        store.db.conn.set_trace_callback(None)
    return [
        " / ".join(row[3] for row in store.db.conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
        for sql in statements
        if "FROM reviews" in sql
    ]


def test_answers_awaiting_a_rating_are_read_through_their_index(progress, learner):
    for n in range(12):  # a history of rated answers, then one awaiting its rating
        card = learner.next_card("SYN", now=NOW + timedelta(minutes=n))
        rate_later = n == 11
        letters = card.presentation.correct_letters
        learner.submit(card.item.id, card.seed, letters, now=NOW + timedelta(minutes=n), rate_later=rate_later)
    plans = _plans(progress.store, learner.awaiting_rating)
    assert plans and all("idx_reviews_awaiting" in plan and "TEMP B-TREE" not in plan for plan in plans), plans
    [waiting] = learner.awaiting_rating()
    assert waiting.awaiting_rating


def _learners(store) -> list[str]:
    return [row["name"] for row in store.rows("SELECT name FROM learners ORDER BY name")]


def test_an_idle_connection_is_reused_and_sees_what_others_wrote(tmp_path):
    path = str(tmp_path / "progress.db")
    first = reuse_store(path)
    release_store(first)
    with Progress.open(path) as other:
        other.create_learner("ada", now=NOW)
    again = reuse_store(path)
    try:
        assert _learners(again) == ["ada"]
        release_store(again)
        assert reuse_store(path) is again  # nothing changed since: the warm connection
    finally:
        again.close()


def test_a_store_that_failed_is_not_reused(tmp_path):
    path = str(tmp_path / "progress.db")
    store = reuse_store(path)
    with pytest.raises(store_module.StoreError):
        store.rows("SELECT * FROM no_such_table")
    release_store(store)
    fresh = reuse_store(path)
    try:
        assert fresh is not store and _learners(fresh) == []
    finally:
        fresh.close()


def test_a_deleted_and_recreated_database_is_never_read_through_an_idle_connection(tmp_path):
    path = tmp_path / "progress.db"
    store = reuse_store(path)
    with store.transaction() as db:
        db.execute("INSERT INTO learners (name, created_at) VALUES ('ada', 'x')")
    release_store(store)
    path.unlink()  # its -wal and -shm stay beside it while the idle connection holds them
    with Progress.open(path) as progress:
        progress.create_learner("bob", now=NOW)
    fresh = reuse_store(path)
    try:
        assert fresh is not store and _learners(fresh) == ["bob"]
        assert fresh.scalar("PRAGMA integrity_check") == "ok"
    finally:
        fresh.close()


def test_a_database_copied_over_in_place_is_read_afresh(tmp_path):
    backup = tmp_path / "backup.db"
    with Progress.open(backup) as progress:
        for name in ("bob", "carol"):
            progress.create_learner(name, now=NOW)
    path = tmp_path / "progress.db"
    store = reuse_store(path)
    with store.transaction() as db:
        db.execute("INSERT INTO learners (name, created_at) VALUES ('ada', 'x')")
    release_store(store)
    path.write_bytes(backup.read_bytes())  # as `cp backup.db progress.db` would: the same file, new content
    fresh = reuse_store(path)
    try:
        assert _learners(fresh) == ["bob", "carol"]
        assert fresh.scalar("PRAGMA integrity_check") == "ok"
    finally:
        fresh.close()


def test_a_file_damaged_while_a_connection_idles_is_refused_and_left_as_it_is(tmp_path):
    path = tmp_path / "progress.db"
    store = reuse_store(path)
    with store.transaction() as db:
        db.execute("INSERT INTO learners (name, created_at) VALUES ('ada', 'x')")
    release_store(store)
    for extra in tmp_path.glob("progress.db-*"):
        extra.unlink()
    path.write_bytes(b"not a database" * 512)
    with pytest.raises(StoreCorrupt):
        reuse_store(path)
    assert path.read_bytes() == b"not a database" * 512  # closing the idle connection wrote nothing


def test_idle_connections_are_closed_soon_leaving_no_write_ahead_log(tmp_path, monkeypatch):
    monkeypatch.setattr(store_module, "KEEP_IDLE", 0.2)
    path = tmp_path / "progress.db"
    store = reuse_store(path)
    with store.transaction() as db:
        db.execute("INSERT INTO learners (name, created_at) VALUES ('ada', 'x')")
    release_store(store)
    deadline = time.monotonic() + HANG_GUARD
    while (tmp_path / "progress.db-wal").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not (tmp_path / "progress.db-wal").exists()  # closed by the last connection: nothing left to replay
    with pytest.raises(sqlite3.ProgrammingError):
        store.db.conn.execute("SELECT 1")
    assert _learners(open_store(path)) == ["ada"]
