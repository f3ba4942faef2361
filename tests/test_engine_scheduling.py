"""FSRS scheduling: invariants over any history of ratings (hypothesis), rating rules, round trips."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opsprep.engine import CardState, InvalidAnswer, Progress, Rating, State, format_interval
from opsprep.engine.cards import load_card, save_card
from opsprep.engine.scheduling import new_card, parse_rating, preview, rating_for, replay, review, scheduler_for
from opsprep.engine.synthetic import synthetic_bank
from opsprep.questions import present

START = datetime(2025, 1, 1, 8, tzinfo=UTC)
PLAIN = scheduler_for(fuzz=False)
#: the card round trip needs a learner in a store, not any question items
EMPTY_BANK = synthetic_bank(items=0)

ratings = st.sampled_from(list(Rating))
gaps = st.integers(min_value=0, max_value=200 * 86400)  # seconds between reviews: none to ~6 months
histories = st.lists(st.tuples(ratings, gaps), max_size=25)
retentions = st.sampled_from([0.7, 0.8, 0.9, 0.95, 0.99])


def run(history, scheduler=PLAIN):
    """Review a new card along a history; yield (time of review, card after it)."""
    card, now = new_card("q-1", 1, now=START), START
    for rating, gap in history:
        now += timedelta(seconds=gap)
        card, _ = review(card, rating, now, scheduler)
        yield now, card


@settings(max_examples=300, deadline=None)
@given(histories, retentions, st.booleans())
def test_no_sequence_of_ratings_gives_a_due_date_before_its_review(history, retention, fuzz):
    for reviewed_at, card in run(history, scheduler_for(retention, fuzz=fuzz)):
        assert card.due > reviewed_at
        assert card.last_review == reviewed_at


@settings(max_examples=300, deadline=None)
@given(histories, gaps, retentions)
def test_after_good_the_next_interval_is_at_least_the_one_after_hard(history, gap, retention):
    scheduler = scheduler_for(retention, fuzz=False)
    card, now = new_card("q-1", 1, now=START), START
    for now, card in run(history, scheduler):  # noqa: B007 - the last review's time and card
        pass
    intervals = preview(card, scheduler, now + timedelta(seconds=gap))
    assert intervals[Rating.Again] <= intervals[Rating.Hard] <= intervals[Rating.Good] <= intervals[Rating.Easy]


@settings(max_examples=100, deadline=None)
@given(histories)
def test_card_state_survives_a_store_round_trip(history):
    with Progress.open(":memory:", EMPTY_BANK) as progress:
        store = progress.store
        learner = progress.create_learner("ada", now=START)
        saved = save_card(store, new_card("q-1", learner.id, now=START))
        for _, card in run(history):
            saved = save_card(store, CardState(**{**card.__dict__, "id": saved.id, "learner_id": learner.id}))
            assert load_card(store, learner.id, "q-1") == saved
    assert CardState.from_dict(saved.to_dict()) == saved


@settings(max_examples=100, deadline=None)
@given(histories)
def test_replaying_the_log_reproduces_the_card(history):
    log = []
    card = new_card("q-1", 1, now=START)
    for reviewed_at, card in run(history):  # noqa: B007
        log.append((reviewed_at, card))
    ratings_log = [(rating, at, None) for (rating, _), (at, _) in zip(history, log, strict=True)]
    assert replay(card, ratings_log, PLAIN) == card


def test_reps_lapses_and_first_review_are_counted():
    history = [(Rating.Good, 0), (Rating.Good, 600), (Rating.Good, 86400 * 3), (Rating.Again, 86400 * 10)]
    cards = list(run(history))
    last = cards[-1][1]
    assert last.reps == 4
    assert last.lapses == 1  # an Again in the Review state
    assert last.state == State.Relearning
    assert last.first_review == START


def test_first_intervals_of_a_new_card():
    intervals = preview(new_card("q-1", now=START), PLAIN, START)
    assert [format_interval(intervals[r]) for r in Rating] == ["1m", "6m", "10m", "8d"]


def test_a_lower_desired_retention_gives_longer_intervals():
    card = next(c for _, c in run([(Rating.Easy, 0)]))
    low = preview(card, scheduler_for(0.8, fuzz=False), START + timedelta(days=8))[Rating.Good]
    high = preview(card, scheduler_for(0.95, fuzz=False), START + timedelta(days=8))[Rating.Good]
    assert low > high


@pytest.mark.parametrize(
    ("correct", "asked", "rating"),
    [
        (False, None, Rating.Again),
        (False, "again", Rating.Again),
        (True, None, Rating.Good),
        (True, "hard", Rating.Hard),
        (True, "E", Rating.Easy),
        (True, 4, Rating.Easy),
        (True, Rating.Again, Rating.Again),  # right by a guess: the learner may say so
    ],
)
def test_rating_rules(correct, asked, rating):
    assert rating_for(correct, asked) is rating


@pytest.mark.parametrize("asked", ["hard", "good", "easy", 3])
def test_a_wrong_answer_cannot_be_rated_above_again(asked):
    with pytest.raises(InvalidAnswer, match="wrong answer is rated Again"):
        rating_for(False, asked)


@pytest.mark.parametrize("value", ["meh", 0, 5, ""])
def test_unknown_ratings_are_refused(value):
    with pytest.raises(InvalidAnswer, match="Unknown rating"):
        parse_rating(value)


@pytest.mark.parametrize(
    ("interval", "text"),
    [
        (timedelta(seconds=20), "1m"),
        (timedelta(minutes=10), "10m"),
        (timedelta(hours=5), "5h"),
        (timedelta(days=12), "12d"),
        (timedelta(days=90), "3.0mo"),
        (timedelta(days=800), "2.2y"),
    ],
)
def test_format_interval(interval, text):
    assert format_interval(interval) == text


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="naive datetime"):
        review(new_card("q-1", now=START), Rating.Good, datetime(2025, 1, 1), PLAIN)


def test_a_reschedule_skips_cram_answers_and_keeps_their_showings():
    with Progress.open(":memory:", synthetic_bank(items=4)) as progress:
        ada = progress.learner(progress.create_learner("ada", now=START).id)
        card = ada.next_card("SYN", now=START)
        ada.submit(card.item.id, card.seed, card.presentation.correct_letters, rating="easy", now=START, fuzz=False)
        scheduled = load_card(progress.store, ada.id, card.item.id)
        seed = ada.current_seed(card.item.id)
        shown = next(o.letter for o in present(card.item, seed).options if not o.correct)
        crammed = START + timedelta(days=1)
        ada.submit(card.item.id, seed, shown, 3000, now=crammed, fuzz=False, mode="cram")  # wrong, in cram mode
        assert load_card(progress.store, ada.id, card.item.id).due == scheduled.due
        assert ada.reschedule() == 1
        after = load_card(progress.store, ada.id, card.item.id)
        for field in ("due", "state", "stability", "difficulty", "last_review", "lapses", "first_review"):
            assert getattr(after, field) == getattr(scheduled, field), field
        assert after.reps == 2  # both showings count: the next one gets a seed of its own
        assert ada.current_seed(card.item.id) not in (card.seed, seed)
