"""Answers stored when graded and rated later, cram answers that keep the schedule, and the schema migration."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlite_utils import Database

from opsprep.engine import InvalidAnswer, Progress, Rating, StaleShowing, open_store
from opsprep.engine.cards import load_card
from opsprep.engine.migrations import MIGRATIONS
from opsprep.engine.synthetic import synthetic_bank
from opsprep.questions import present

from .conftest import NOW


@pytest.fixture(scope="module")
def bank():
    return synthetic_bank(items=30)


def right(card):
    return list(card.presentation.correct_letters)


def wrong(card):
    return [next(o.letter for o in card.presentation.options if not o.correct)]


def later(learner, card, letters, now=NOW, **kwargs):
    return learner.submit(card.item.id, card.seed, letters, 4000, now=now, fuzz=False, rate_later=True, **kwargs)


def reviews(progress):
    return progress.store.rows("SELECT * FROM reviews ORDER BY id")


def test_an_answer_is_stored_when_graded_with_the_default_rating(progress, learner):
    card = learner.next_card("SYN", now=NOW)
    result = later(learner, card, right(card))
    assert (result.awaiting_rating, result.rating, result.interval) == (True, Rating.Good, timedelta(minutes=10))
    assert result.preview == card.preview  # the four intervals the rating buttons offer
    [review] = reviews(progress)
    assert (review["rating"], review["rated_at"], review["correct"]) == (Rating.Good, None, 1)
    assert load_card(progress.store, learner.id, card.item.id).reps == 1  # it counts from now on
    [waiting] = learner.awaiting_rating()
    assert (waiting.item_id, waiting.seed, waiting.preview) == (card.item.id, card.seed, card.preview)


def test_the_rating_amends_the_review_and_reruns_its_schedule(progress, learner):
    card = learner.next_card("SYN", now=NOW)
    later(learner, card, right(card))
    rated = learner.rate(card.item.id, card.seed, "easy", now=NOW + timedelta(seconds=20), fuzz=False)
    assert (rated.rating, rated.awaiting_rating, rated.duplicate) == (Rating.Easy, False, False)
    assert rated.reviewed_at == NOW and rated.interval == card.preview[Rating.Easy] == timedelta(days=8)
    [review] = reviews(progress)
    assert (review["rating"], review["rated_at"]) == (Rating.Easy, "2025-03-01T09:00:20.000000+00:00")
    stored = load_card(progress.store, learner.id, card.item.id)
    assert (stored.due, stored.reps, stored.first_review) == (NOW + timedelta(days=8), 1, NOW)
    # the same as answering with that rating straight away
    with Progress.open(":memory:", progress.bank) as other:
        twin = other.learner(other.create_learner("ada", now=NOW).id)
        direct = twin.submit(card.item.id, card.seed, right(card), 4000, "easy", now=NOW, fuzz=False)
        assert load_card(other.store, twin.id, card.item.id) == stored
        assert direct.due == rated.due


def test_a_second_rating_changes_nothing_and_says_what_stands(progress, learner):
    card = learner.next_card("SYN", now=NOW)
    later(learner, card, right(card))
    learner.rate(card.item.id, card.seed, "hard", now=NOW, fuzz=False)
    before = reviews(progress)
    again = learner.rate(card.item.id, card.seed, "easy", now=NOW, fuzz=False)
    assert again.duplicate and again.rating == Rating.Hard
    assert reviews(progress) == before


def test_a_wrong_answer_cannot_be_rated_above_again_and_nothing_changes(progress, learner):
    card = learner.next_card("SYN", now=NOW)
    later(learner, card, wrong(card))
    before = reviews(progress)
    with pytest.raises(InvalidAnswer, match="rated Again"):
        learner.rate(card.item.id, card.seed, "easy", now=NOW)
    assert reviews(progress) == before
    assert learner.rate(card.item.id, card.seed, "again", now=NOW).rating == Rating.Again


def test_keeping_the_default_rating(progress, learner):
    card = learner.next_card("SYN", now=NOW)
    later(learner, card, right(card))
    kept = learner.keep_rating(card.item.id, card.seed, now=NOW + timedelta(minutes=1))
    assert (kept.rating, kept.awaiting_rating, kept.duplicate) == (Rating.Good, False, False)
    assert learner.awaiting_rating() == []
    assert learner.rate(card.item.id, card.seed, "easy", now=NOW).duplicate  # the rating was settled


def test_nothing_to_rate_is_none(learner):
    card = learner.next_card("SYN", now=NOW)
    assert learner.rate(card.item.id, card.seed, "good", now=NOW) is None
    assert learner.keep_rating(card.item.id, card.seed, now=NOW) is None
    assert learner.answer(card.item.id, card.seed) is None


def test_answering_a_card_again_settles_its_earlier_answer(progress, learner):
    card = learner.next_card("SYN", now=NOW)
    later(learner, card, wrong(card))  # Again: due in a minute
    again = learner.next_card("SYN", now=NOW + timedelta(minutes=2))
    assert again.item.id == card.item.id
    later(learner, again, right(again), now=NOW + timedelta(minutes=2))
    assert [(a.item_id, a.seed) for a in learner.awaiting_rating()] == [(again.item.id, again.seed)]


def test_rating_an_answer_after_the_card_was_answered_again_is_refused(progress, learner):
    card = learner.next_card("SYN", now=NOW)
    later(learner, card, wrong(card))
    again = learner.next_card("SYN", now=NOW + timedelta(minutes=2))
    learner.submit(again.item.id, again.seed, right(again), now=NOW + timedelta(minutes=2))
    progress.store.db.execute("UPDATE reviews SET rated_at = NULL WHERE seed = ?", [card.seed])  # as if it waited
    with pytest.raises(StaleShowing, match="answered again since"):
        learner.rate(card.item.id, card.seed, "again", now=NOW)


# Cram: logged, but the schedule stays


def test_a_cram_answer_is_logged_but_keeps_the_schedule(progress, learner):
    card = learner.next_card("SYN", now=NOW)
    learner.submit(card.item.id, card.seed, right(card), rating="easy", now=NOW, fuzz=False)
    scheduled = load_card(progress.store, learner.id, card.item.id)
    seed = learner.current_seed(card.item.id)
    shown = present(card.item, seed)
    miss = [next(o.letter for o in shown.options if not o.correct)]
    result = learner.submit(card.item.id, seed, miss, 3000, now=NOW + timedelta(days=1), mode="cram")
    assert (result.mode, result.rating, result.correct, result.due) == ("cram", Rating.Again, False, scheduled.due)
    after = load_card(progress.store, learner.id, card.item.id)
    for field in ("due", "state", "stability", "difficulty", "last_review", "lapses", "first_review"):
        assert getattr(after, field) == getattr(scheduled, field), field
    assert after.reps == scheduled.reps + 1  # a new showing: the next one re-draws the options
    assert learner.current_seed(card.item.id) != seed
    logged = reviews(progress)[-1]
    assert (logged["mode"], logged["rating"], logged["correct"]) == ("cram", Rating.Again, 0)
    assert logged["due_after"] == progress.store.scalar("SELECT due FROM cards WHERE id = ?", [after.id])
    # rating a cram answer later keeps the schedule too
    seed = learner.current_seed(card.item.id)
    letters = present(card.item, seed).correct_letters
    cram = learner.submit(card.item.id, seed, letters, now=NOW + timedelta(days=1), mode="cram", rate_later=True)
    learner.rate(cram.item_id, cram.seed, "hard", now=NOW + timedelta(days=1))
    assert load_card(progress.store, learner.id, card.item.id).due == scheduled.due


def test_cram_on_a_question_never_answered_starts_its_schedule(progress, learner):
    card = learner.next_card("SYN", now=NOW)
    result = learner.submit(card.item.id, card.seed, right(card), now=NOW, mode="cram", fuzz=False)
    assert result.interval == timedelta(minutes=10) and result.mode == "cram"


@pytest.mark.parametrize("mode", ["superb", "CRAMMING", "0"])
def test_an_unknown_mode_writes_nothing(progress, learner, mode):
    card = learner.next_card("SYN", now=NOW)
    with pytest.raises(InvalidAnswer, match="Unknown study mode"):
        learner.submit(card.item.id, card.seed, right(card), now=NOW, mode=mode)
    assert reviews(progress) == []


def test_modes_are_read_in_any_case_and_empty_is_the_schedule(progress, learner):
    card = learner.next_card("SYN", now=NOW)
    assert learner.submit(card.item.id, card.seed, right(card), now=NOW, mode="").mode is None
    card = learner.next_card("SYN", now=NOW)
    assert learner.submit(card.item.id, card.seed, right(card), now=NOW, mode=" Wrong ").mode == "wrong"


def test_result_round_trip(learner):
    card = learner.next_card("SYN", now=NOW)
    result = later(learner, card, right(card), mode="bookmarked")
    from opsprep.engine import AnswerResult

    assert AnswerResult.from_dict(result.to_dict()) == result
    assert result.to_dict()["awaiting_rating"] is True and result.to_dict()["mode"] == "bookmarked"


# The migration: reviews stored before it count as rated


def test_a_review_stored_before_the_migration_is_undone_by_replaying_the_earlier_ones(progress, learner):
    first = learner.next_card("SYN", now=NOW)
    learner.submit(first.item.id, first.seed, wrong(first), 1000, now=NOW, fuzz=False)
    after_first = load_card(progress.store, learner.id, first.item.id)
    second = learner.next_card("SYN", now=NOW + timedelta(minutes=2))
    assert second.item.id == first.item.id
    learner.submit(second.item.id, second.seed, right(second), 1000, "easy", now=NOW + timedelta(minutes=2))
    progress.store.db.execute("UPDATE reviews SET card_before = NULL")  # as rows stored before 0006 are
    learner.undo(second.item.id, second.seed, now=NOW + timedelta(minutes=3))
    assert load_card(progress.store, learner.id, first.item.id) == after_first


def test_the_migration_marks_earlier_reviews_rated(tmp_path):
    path = tmp_path / "old.db"
    with Database(path) as db:
        MIGRATIONS.apply(db, stop_before="0006_answers_rated_later")
        db["learners"].insert({"id": 1, "name": "ada", "created_at": "2025-01-01T00:00:00.000000+00:00"})
        db["cards"].insert(
            {"id": 1, "learner_id": 1, "item_id": "q-1", "state": 1, "due": "2025-01-01T00:10:00.000000+00:00",
             "reps": 1, "lapses": 0}
        )  # fmt: skip
        db["reviews"].insert(
            {"learner_id": 1, "card_id": 1, "item_id": "q-1", "seed": 1_000_000, "correct": 1, "rating": 3,
             "state_before": 0, "reviewed_at": "2025-01-01T00:00:00.000000+00:00", "chosen": json.dumps(["A"])}
        )  # fmt: skip
    with open_store(path) as store:
        [row] = store.rows("SELECT rated_at, card_before, mode FROM reviews")
    assert row == {"rated_at": "2025-01-01T00:00:00.000000+00:00", "card_before": None, "mode": None}
