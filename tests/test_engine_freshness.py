"""What a page made from a learner's progress is checked against (``engine/freshness.py``): the progress
version every write raises (kept by triggers, whoever writes), the moment the clock alone changes the
queue, the stored "last answer was wrong" flag, and the values a connection reads once while nothing is
written (``Store.memo``)."""

from __future__ import annotations

import shutil
from datetime import timedelta

import pytest
from sqlite_utils import Database

from opsprep.engine import Progress, open_store
from opsprep.engine.clock import day_start, to_text
from opsprep.engine.freshness import progress_version, queue_changes_at
from opsprep.engine.learners import get_learner
from opsprep.engine.migrations import MIGRATIONS
from opsprep.engine.study_queue import LEARN_AHEAD
from opsprep.engine.study_sessions import SESSION_BREAK
from opsprep.engine.synthetic import synthetic_bank

from .conftest import NOW


@pytest.fixture(scope="module")
def bank():
    return synthetic_bank(items=20)


def right(card):
    return list(card.presentation.correct_letters)


def wrong(card):
    return [next(o.letter for o in card.presentation.options if not o.correct)]


def answer(learner, letters_of, now=NOW, **kwargs):
    card = learner.next_card("SYN", now=now)
    learner.submit(card.item.id, card.seed, letters_of(card), 3000, now=now, fuzz=False, **kwargs)
    return card


# The progress version


WRITES = {
    "answer": lambda ada: answer(ada, right),
    "answer to rate later": lambda ada: answer(ada, right, rate_later=True),
    "settings": lambda ada: ada.update_settings(daily_new_limit=3),
    "bookmark": lambda ada: ada.flag_question(ada.progress.bank.items[0].id, "bookmark", now=NOW),
    "bury": lambda ada: ada.flag_question(ada.progress.bank.items[0].id, "bury", now=NOW),
    "end of session": lambda ada: ada.end_session("SYN", now=NOW),
    "reschedule": lambda ada: ada.reschedule(),
}


@pytest.mark.parametrize("write", WRITES, ids=list(WRITES))
def test_every_write_to_a_learners_progress_raises_their_version(progress, learner, write):
    answer(learner, right)  # something to reschedule
    before = learner.progress_version()
    WRITES[write](learner)
    assert learner.progress_version() > before


def test_a_rating_a_kept_default_and_an_undo_raise_it_too(progress, learner):
    first = answer(learner, right, rate_later=True)
    versions = [learner.progress_version()]
    learner.rate(first.item.id, first.seed, "easy", now=NOW)
    versions.append(learner.progress_version())
    second = answer(learner, wrong, now=NOW + timedelta(seconds=5), rate_later=True)
    versions.append(learner.progress_version())
    learner.keep_rating(second.item.id, second.seed, now=NOW + timedelta(seconds=6))
    versions.append(learner.progress_version())
    learner.undo(second.item.id, second.seed, now=NOW + timedelta(seconds=7))
    versions.append(learner.progress_version())
    assert versions == sorted(set(versions))


def test_another_programs_writes_raise_it_and_other_learners_leave_it(tmp_path, bank):
    path = tmp_path / "progress.db"
    with Progress.open(path, bank) as here, Progress.open(path, bank) as there:
        ada = here.learner(here.create_learner("ada").id)
        bob = here.learner(here.create_learner("bob").id)
        before = ada.progress_version()
        answer(there.learner(bob.id), right)  # someone else studying
        assert ada.progress_version() == before
        with there.store.transaction() as db:  # a tool writing the file by hand
            db.execute("UPDATE cards SET due = ? WHERE learner_id = ?", ["2000-01-01T00:00:00.000000+00:00", bob.id])
        assert ada.progress_version() == before
        answer(there.learner(ada.id), right)
        assert ada.progress_version() > before


def test_the_version_never_comes_back_even_when_a_backup_is_put_back(tmp_path, bank):
    path, backup = tmp_path / "progress.db", tmp_path / "backup.db"
    with Progress.open(path, bank) as progress:
        ada = progress.learner(progress.create_learner("ada").id)
        answer(ada, right)
    shutil.copy(path, backup)
    seen = []
    with Progress.open(path, bank) as progress:
        ada = progress.learner(1)
        for n in range(3):
            answer(ada, right, now=NOW + timedelta(minutes=n + 1))
            seen.append(ada.progress_version())
    shutil.copy(backup, path)
    with Progress.open(path, bank) as progress:
        assert progress_version(progress.store, 1) < seen[-1]  # the backup's own
        answer(progress.learner(1), wrong, now=NOW + timedelta(minutes=9))
        assert progress_version(progress.store, 1) > max(seen)  # past every version the newer file had


# The moment the clock changes the queue


def test_the_queue_changes_when_a_card_falls_due(progress, learner):
    card = answer(learner, wrong)  # again: due in a minute
    due = learner.card(card.item.id).due
    assert due == NOW + timedelta(minutes=1)
    assert queue_changes_at(progress.store, learner.id, NOW) == due
    assert learner.stamp(now=NOW).until == due


def test_the_queue_changes_when_a_learning_card_comes_within_the_learn_ahead_window(progress, learner):
    card = answer(learner, right)
    with progress.store.transaction() as db:  # a learning step that ends in an hour
        db.execute("UPDATE cards SET due = ? WHERE item_id = ?", [to_text(NOW + timedelta(hours=1)), card.item.id])
    later = NOW + SESSION_BREAK + timedelta(minutes=1)  # the session is over
    assert queue_changes_at(progress.store, learner.id, later) == NOW + timedelta(hours=1) - LEARN_AHEAD


def test_the_queue_changes_when_a_bury_ends_and_when_the_day_does(progress, learner):
    item = progress.bank.items[3].id
    assert queue_changes_at(progress.store, learner.id, NOW) == day_start(NOW) + timedelta(days=1)
    learner.flag_question(item, "bury", now=NOW)
    tomorrow = day_start(NOW) + timedelta(days=1)
    assert queue_changes_at(progress.store, learner.id, NOW) == tomorrow  # a bury lasts until the day ends
    with progress.store.transaction() as db:
        db.execute("UPDATE card_flags SET buried_until = ?", [to_text(NOW + timedelta(hours=2))])
    assert queue_changes_at(progress.store, learner.id, NOW) == NOW + timedelta(hours=2)


def test_the_queue_changes_when_the_session_and_its_undo_run_out(progress, learner):
    card = answer(learner, right, rating="easy")  # back in days: only the session ends sooner
    assert queue_changes_at(progress.store, learner.id, NOW + timedelta(minutes=1)) == NOW + SESSION_BREAK
    learner.undo(card.item.id, card.seed, now=NOW + timedelta(minutes=10))
    assert queue_changes_at(progress.store, learner.id, NOW + timedelta(minutes=11)) == (
        NOW + timedelta(minutes=10) + SESSION_BREAK
    )


# The stored "last answer was wrong"


def wrong_ones(progress, learner):
    return {r["item_id"] for r in progress.store.rows("SELECT item_id FROM cards WHERE last_wrong = 1")}


def test_the_wrong_flag_follows_the_latest_answer_through_ratings_and_undos(progress, learner):
    card = answer(learner, wrong)
    item = card.item.id
    assert wrong_ones(progress, learner) == {item} and learner.mode_counts("SYN", now=NOW)["wrong"] == 1
    again = learner.current_showing(item, "SYN", now=NOW + timedelta(minutes=2))
    learner.submit(item, again.seed, right(again), 3000, now=NOW + timedelta(minutes=2), rate_later=True)
    assert wrong_ones(progress, learner) == set()
    learner.rate(item, again.seed, "again", now=NOW + timedelta(minutes=3))  # right, but rated again
    assert wrong_ones(progress, learner) == set()  # the mode is about the answer, not the rating
    learner.undo(item, again.seed, now=NOW + timedelta(minutes=4))
    assert wrong_ones(progress, learner) == {item}  # the wrong answer is the latest again
    stored = progress.store.row("SELECT last_answered_at FROM cards WHERE item_id = ?", [item])
    assert stored["last_answered_at"] == to_text(NOW)
    learner.undo(item, card.seed, now=NOW + timedelta(minutes=5))
    assert learner.card(item) is None and learner.mode_counts("SYN", now=NOW)["wrong"] == 0
    assert "wrong" not in learner.question_status(item, now=NOW).states


def test_the_migration_sets_the_flag_from_the_review_log(tmp_path):
    path = tmp_path / "old.db"
    stamp = "2025-01-01T00:0{}:00.000000+00:00"
    with Database(path) as db:
        MIGRATIONS.apply(db, stop_before="0011_last_answers_and_progress_versions")
        db["learners"].insert({"id": 1, "name": "ada", "created_at": stamp.format(0)})
        for card_id, item in ((1, "q-1"), (2, "q-2"), (3, "q-3")):
            db["cards"].insert(
                {"id": card_id, "learner_id": 1, "item_id": item, "state": 1, "due": stamp.format(9), "reps": 2,
                 "lapses": 0}
            )  # fmt: skip
        answers = [(1, "q-1", 0, 1), (1, "q-1", 1, 2), (2, "q-2", 1, 3), (2, "q-2", 0, 4), (3, "q-3", 1, 5)]
        for card_id, item, correct, minute in answers:
            db["reviews"].insert(
                {"learner_id": 1, "card_id": card_id, "item_id": item, "seed": minute, "correct": correct,
                 "rating": 3 if correct else 1, "state_before": 0, "reviewed_at": stamp.format(minute)}
            )  # fmt: skip
    with open_store(path) as store:
        flags = store.rows("SELECT item_id, last_wrong, last_answered_at FROM cards ORDER BY id")
    assert flags == [
        {"item_id": "q-1", "last_wrong": 0, "last_answered_at": stamp.format(2)},
        {"item_id": "q-2", "last_wrong": 1, "last_answered_at": stamp.format(4)},
        {"item_id": "q-3", "last_wrong": 0, "last_answered_at": stamp.format(5)},
    ]


# Values read once while nothing is written


def test_a_learner_read_once_is_read_again_after_any_write(tmp_path):
    path = tmp_path / "progress.db"
    with open_store(path) as here, open_store(path) as there:
        here.db.execute("INSERT INTO learners (name, created_at) VALUES ('ada', ?)", [to_text(NOW)])
        reads = []
        here.db.conn.set_trace_callback(lambda sql: reads.append(sql) if "FROM learners" in sql else None)
        assert get_learner(here, 1).daily_new_limit == 20
        assert get_learner(here, 1).daily_new_limit == 20
        assert len(reads) == 1  # nothing written between: read once
        with there.transaction() as db:  # another connection (another program) changes it
            db.execute("UPDATE learners SET daily_new_limit = 5")
        assert get_learner(here, 1).daily_new_limit == 5
        here.db.execute("UPDATE learners SET daily_new_limit = 7")  # this connection, outside a transaction
        assert get_learner(here, 1).daily_new_limit == 7
        with pytest.raises(RuntimeError), here.transaction() as db:
            db.execute("UPDATE learners SET daily_new_limit = 9")
            assert get_learner(here, 1).daily_new_limit == 9  # inside: what the transaction sees
            raise RuntimeError("rolled back")
        assert get_learner(here, 1).daily_new_limit == 7
