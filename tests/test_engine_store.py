"""The progress store: opening, migrations, WAL, and clear errors for bad, foreign, newer or locked files."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest

from opsprep.engine import Progress, StoreCorrupt, StoreError, StoreLocked, open_store
from opsprep.engine.migrations import KNOWN
from opsprep.engine.synthetic import synthetic_bank

NOW = datetime(2025, 3, 1, 12, tzinfo=UTC)
BANK = synthetic_bank(items=10)


def test_new_file_is_migrated_and_in_wal_mode(tmp_path):
    path = tmp_path / "progress.db"
    with open_store(path) as store:
        assert store.schema_version == len(KNOWN) >= 1
        assert store.journal_mode == "wal"
        assert {"learners", "cards", "reviews", "exam_attempts", "exam_questions", "_sqlite_migrations"} <= set(
            store.db.table_names()
        )
    with open_store(path) as again:  # reopening applies nothing twice
        assert again.scalar("SELECT count(*) FROM _sqlite_migrations") == len(KNOWN)


@pytest.mark.parametrize(
    ("table", "columns"),
    [
        ("cards", ["learner_id", "due"]),
        ("cards", ["learner_id", "item_id"]),
        ("cards", ["learner_id", "first_review"]),
        ("reviews", ["learner_id", "item_id", "seed"]),
        ("reviews", ["learner_id", "reviewed_at"]),
        ("item_domains", ["domain", "item_id"]),
    ],
)
def test_queue_and_dashboard_queries_have_indexes(table, columns):
    with open_store(":memory:") as store:
        assert columns in [index.columns for index in store.db[table].indexes]


def test_card_state_columns_are_queryable():
    with open_store(":memory:") as store:
        columns = set(store.db["cards"].columns_dict)
    assert {"due", "state", "stability", "difficulty", "reps", "lapses", "last_review"} <= columns


def test_a_file_that_is_not_a_database_is_reported_and_left_alone(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are my notes, not a database" * 100)
    with pytest.raises(StoreCorrupt, match="is not a usable progress database"):
        open_store(path)
    assert path.read_bytes() == b"these are my notes, not a database" * 100


def test_another_programs_database_is_refused(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    conn.close()
    with pytest.raises(StoreError, match="SQLite database of another program"):
        open_store(path)
    with sqlite3.connect(path) as conn:
        assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")] == ["invoices"]
    conn.close()


def test_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "progress.db"
    open_store(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('opsprep', '0099_future', '')"
        )
    conn.close()
    with pytest.raises(StoreError, match="newer opsprep"):
        open_store(path)


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        open_store(tmp_path / "nowhere" / "progress.db")


def test_a_locked_database_is_reported_and_nothing_is_half_written(tmp_path):
    path = tmp_path / "progress.db"
    Progress.open(path, BANK).close()  # migrated, with the bank's items
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        progress = Progress.open(path, BANK, timeout=0.05)  # opening needs no write lock
        with pytest.raises(StoreLocked, match="locked by another program"):
            progress.create_learner("ada", now=NOW)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert progress.learners() == []
    assert progress.create_learner("ada", now=NOW).name == "ada"  # and it works once the lock is gone
    progress.close()


def test_a_failed_transaction_rolls_back_everything():
    with Progress.open(":memory:", BANK) as progress:
        with pytest.raises(RuntimeError), progress.store.transaction() as db:
            db["learners"].insert({"name": "ada", "created_at": "x"})
            raise RuntimeError("boom")
        assert progress.learners() == []


def test_a_damaged_table_is_reported(tmp_path):
    path = tmp_path / "progress.db"
    with Progress.open(path, BANK) as progress:
        for n in range(200):
            progress.create_learner(f"learner {n} with a long name to fill pages", now=NOW)
        store = progress.store
        store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        root = store.scalar("SELECT rootpage FROM sqlite_master WHERE name = 'learners'")
        page = store.scalar("PRAGMA page_size")
    data = bytearray(path.read_bytes())
    data[(root - 1) * page : root * page] = b"\xff" * page  # the learners table's root page
    path.write_bytes(bytes(data))
    with pytest.raises(StoreCorrupt, match="malformed.*Restore it from a backup"), Progress.open(path, BANK) as damaged:
        damaged.learners()


def test_tables_without_a_schema_record_are_reported_as_damaged(tmp_path):
    path = tmp_path / "progress.db"
    open_store(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("DELETE FROM _sqlite_migrations")
    conn.close()
    with pytest.raises(StoreCorrupt, match="no record of its schema"):
        open_store(path)
