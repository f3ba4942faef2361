"""Undo (the card as it was, the question asked again, the undone review kept apart) and session summaries."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest

from opsprep.engine import Rating, StaleShowing
from opsprep.engine.cards import load_card
from opsprep.engine.study_sessions import SESSION_BREAK
from opsprep.engine.synthetic import synthetic_bank
from opsprep.questions import present

from .conftest import NOW


@pytest.fixture(scope="module")
def bank():
    return synthetic_bank(items=30)


def letters(card, right=True):
    return [o.letter for o in card.presentation.options if o.correct == right][: card.item.answer_count]


def answer(learner, card, right=True, rating=None, now=NOW, **kwargs):
    chosen = card.presentation.correct_letters if right else letters(card, right=False)[:1]
    return learner.submit(card.item.id, card.seed, chosen, 4000, rating, now=now, fuzz=False, **kwargs)


# Undo


def test_undo_restores_the_card_and_asks_the_same_showing_again(progress, learner):
    first = learner.next_card("SYN", now=NOW)
    answer(learner, first, rating="easy")
    before = load_card(progress.store, learner.id, first.item.id)
    again = learner.next_card("SYN", now=NOW + timedelta(days=9))
    assert again.item.id == first.item.id and again.kind == "due"
    answer(learner, again, right=False, now=NOW + timedelta(days=9))
    assert load_card(progress.store, learner.id, first.item.id).lapses == 1
    undone = learner.undo(again.item.id, again.seed, now=NOW + timedelta(days=9, minutes=1))
    assert (undone.item_id, undone.seed, undone.rating) == (again.item.id, again.seed, Rating.Again)
    assert load_card(progress.store, learner.id, first.item.id) == before  # exactly as it was
    asked = learner.undone_card("SYN", now=NOW + timedelta(days=9, minutes=2))
    assert (asked.item.id, asked.seed, asked.kind) == (again.item.id, again.seed, "due")
    assert asked.presentation == again.presentation
    # it leaves the review log for undone_reviews, which keeps it
    assert progress.store.scalar("SELECT count(*) FROM reviews") == 1
    kept = progress.store.row("SELECT * FROM undone_reviews")
    assert (kept["seed"], kept["rating"], kept["undone_at"]) == (again.seed, 1, "2025-03-10T09:01:00.000000+00:00")
    # answering it again is stored as a new answer
    answer(learner, asked, rating="hard", now=NOW + timedelta(days=9, minutes=3))
    assert learner.undone_card("SYN", now=NOW + timedelta(days=9, minutes=4)) is None
    assert [r["rating"] for r in progress.store.rows("SELECT rating FROM reviews ORDER BY id")] == [4, 2]
    # and undone again (the new review may have the id the undone one had)
    learner.undo(asked.item.id, asked.seed, now=NOW + timedelta(days=9, minutes=5))
    assert [r["rating"] for r in progress.store.rows("SELECT rating FROM undone_reviews ORDER BY id")] == [1, 2]


@pytest.mark.parametrize("flag", ["suspend", "bury"])
def test_an_undone_question_suspended_or_buried_since_is_not_asked_again(progress, learner, flag):
    card = learner.next_card("SYN", now=NOW)
    answer(learner, card, right=False, now=NOW)
    learner.flag_question(card.item.id, flag, now=NOW)
    learner.undo(card.item.id, card.seed, now=NOW + timedelta(minutes=1))
    assert learner.undone_card("SYN", now=NOW + timedelta(minutes=2)) is None
    following = learner.next_card("SYN", now=NOW + timedelta(minutes=2))
    assert following is None or following.item.id != card.item.id


def test_undoing_a_first_answer_makes_the_question_new_again(progress, learner):
    learner.update_settings(daily_new_limit=1)
    card = learner.next_card("SYN", now=NOW)
    answer(learner, card, rating="easy")
    assert learner.next_card("SYN", now=NOW) is None  # today's one new question is used up
    assert learner.counts("SYN", now=NOW).new_today == 1
    learner.undo(card.item.id, card.seed, now=NOW)
    assert learner.card(card.item.id) is None
    counts = learner.counts("SYN", now=NOW)
    assert (counts.new_today, counts.new, counts.unseen) == (0, 1, counts.total)
    asked = learner.session("SYN").next(now=NOW)
    assert (asked.item.id, asked.seed, asked.kind) == (card.item.id, card.seed, "new")


def test_undo_twice_and_undo_of_an_older_answer(progress, learner):
    card = learner.next_card("SYN", now=NOW)
    answer(learner, card, right=False)
    again = learner.next_card("SYN", now=NOW + timedelta(minutes=2))
    answer(learner, again, now=NOW + timedelta(minutes=2))
    with pytest.raises(StaleShowing, match="undo the newer answer first"):
        learner.undo(card.item.id, card.seed, now=NOW + timedelta(minutes=3))
    assert learner.undo(again.item.id, again.seed, now=NOW + timedelta(minutes=3)) is not None
    assert learner.undo(again.item.id, again.seed, now=NOW + timedelta(minutes=3)) is None  # undone already
    assert learner.undo(card.item.id, card.seed, now=NOW + timedelta(minutes=4)) is not None
    assert learner.card(card.item.id) is None
    assert progress.store.scalar("SELECT count(*) FROM undone_reviews") == 2


def test_an_undone_answer_leaves_the_export_and_the_replay(progress, learner):
    kept = learner.next_card("SYN", now=NOW)
    answer(learner, kept, rating="easy")
    undone = learner.next_card("SYN", now=NOW)
    answer(learner, undone, rating="easy", now=NOW + timedelta(seconds=30))
    learner.undo(undone.item.id, undone.seed, now=NOW + timedelta(minutes=1))
    out = io.StringIO()
    assert learner.export_reviews(out) == 1
    assert learner.reschedule() == 1
    assert learner.reviews_per_day("SYN", days=1, now=NOW)[-1].count == 1


def test_an_undone_question_is_asked_again_only_in_its_scope_and_for_a_while(bank, progress, learner):
    d1 = bank.catalog.certification("SYN").domain("1").iri
    card = next(c for c in [learner.next_card("SYN", ["1"], now=NOW)] if c)
    assert d1 in card.item.domains
    answer(learner, card, rating="easy")
    learner.undo(card.item.id, card.seed, now=NOW)
    outside = [d.number for d in bank.catalog.certification("SYN").domains if d.iri not in card.item.domains]
    if outside:
        assert learner.undone_card("SYN", [outside[0]], now=NOW) is None
    assert learner.undone_card("SYN", now=NOW + SESSION_BREAK) is not None
    assert learner.undone_card("SYN", now=NOW + SESSION_BREAK + timedelta(seconds=1)) is None


# Session summaries


def test_the_session_summary(progress, learner):
    times = [NOW + timedelta(minutes=m) for m in (0, 1, 1.5)]  # the wrong one is due again at 2
    ratings = ["easy", None, "hard"]
    rights = [True, False, True]
    for at, rating, right in zip(times, ratings, rights, strict=True):
        card = learner.next_card("SYN", now=at)
        answer(learner, card, right=right, rating=rating, now=at)
    summary = learner.session_summary("SYN", now=NOW + timedelta(minutes=4))
    assert (summary.answered, summary.right, summary.questions) == (3, 2, 3)
    assert summary.started_at == NOW - timedelta(seconds=4) and summary.last_at == times[-1]
    assert summary.duration == timedelta(minutes=1, seconds=34) and summary.time_text == "1 min"
    assert summary.ratings == {Rating.Again: 1, Rating.Hard: 1, Rating.Easy: 1}
    # the wrong one, due again at 2, waits in the queue already: only what falls due later comes back
    assert [(c.label, c.count) for c in summary.comes_back] == [("within an hour", 1), ("within a month", 1)]
    assert summary.describe() == ("Answered 3, 2 right in 1 min. Coming back: 1 within an hour, 1 within a month.")
    assert summary.to_dict()["comes_back"][1] == {
        "label": "within a month",
        "count": 1,
        "first": "2025-03-09T09:00:00.000000+00:00",
    }


def test_a_long_break_or_ending_starts_a_new_session(progress, learner):
    card = learner.next_card("SYN", now=NOW)
    answer(learner, card, rating="easy")
    after_break = NOW + SESSION_BREAK + timedelta(minutes=1)
    assert learner.session_summary("SYN", now=after_break).answered == 0
    assert learner.last_answer("SYN", now=after_break) is None
    card = learner.next_card("SYN", now=after_break)
    answer(learner, card, rating="easy", now=after_break)
    assert learner.session_summary("SYN", now=after_break).answered == 1
    waiting = learner.next_card("SYN", now=after_break)
    answer(learner, waiting, now=after_break + timedelta(seconds=10), rate_later=True)
    assert learner.last_answer("SYN", now=after_break + timedelta(seconds=20)).item_id == waiting.item.id
    ended = learner.end_session("SYN", now=after_break + timedelta(minutes=1))
    assert (ended.answered, ended.right) == (2, 2)
    assert learner.awaiting_rating() == []  # ending keeps the default rating
    assert learner.session_summary("SYN", now=after_break + timedelta(minutes=2)).answered == 0
    assert learner.last_answer("SYN", now=after_break + timedelta(minutes=2)) is None
    assert learner.ended_session("SYN", now=after_break + timedelta(minutes=2)).answered == 2
    # the next session's end summarises only its own answers
    card = learner.next_card("SYN", now=after_break + timedelta(minutes=3))
    answer(learner, card, rating="easy", now=after_break + timedelta(minutes=3))
    learner.end_session("SYN", now=after_break + timedelta(minutes=4))
    assert learner.ended_session("SYN").answered == 1


def test_a_summary_without_answers_and_one_since_a_time(progress, learner):
    assert learner.ended_session("SYN") is None
    empty = learner.session_summary("SYN", now=NOW)
    assert (empty.answered, empty.describe(), empty.duration) == (0, "Answered 0, 0 right.", timedelta(0))
    session = learner.session("SYN")
    assert session.summary(now=NOW).answered == 0
    card = session.next(now=NOW)
    session.submit(card, card.presentation.correct_letters, 2000, "easy", now=NOW)
    other = learner.next_card("SYN", now=NOW)  # outside the session object: counted since it began
    learner.submit(other.item.id, other.seed, other.presentation.correct_letters, now=NOW + timedelta(hours=2))
    assert session.summary(now=NOW + timedelta(hours=3)).answered == 2


def test_an_undone_answer_drops_out_of_the_summary(progress, learner):
    card = learner.next_card("SYN", now=NOW)
    answer(learner, card, rating="easy")
    learner.undo(card.item.id, card.seed, now=NOW)
    assert learner.session_summary("SYN", now=NOW).answered == 0


@pytest.mark.parametrize(
    ("minutes", "label"),
    [(0, "within an hour"), (59, "within an hour"), (60 * 5, "within a day"), (60 * 30, "within a week"),
     (60 * 24 * 12, "within a month"), (60 * 24 * 90, "in more than a month")],
)  # fmt: skip
def test_comes_back_labels(minutes, label):
    from opsprep.engine.study_sessions import _bucket

    assert _bucket(timedelta(minutes=minutes)) == label


def test_the_session_object_rates_keeps_and_undoes(progress, learner):
    session = learner.session("SYN")
    card = session.next(now=NOW)
    session.submit(card, card.presentation.correct_letters, 1000, now=NOW, rate_later=True)
    assert session.rate(card, "easy", now=NOW).rating == Rating.Easy
    other = session.next(now=NOW)
    session.submit(other, other.presentation.correct_letters, 1000, now=NOW, rate_later=True)
    assert session.keep_rating(other, now=NOW).rating == Rating.Good
    assert session.undo(other, now=NOW).item_id == other.item.id
    assert session.next(now=NOW).item.id == other.item.id
    assert present(other.item, other.seed) == other.presentation


def test_coming_back_names_only_what_falls_due_later(progress, learner):
    """Bug: a question due again a moment ago was "coming back within an hour (first <a time just past>)"."""
    card = learner.next_card("SYN", now=NOW)
    answer(learner, card, right=False)  # due again at NOW + 1 minute
    other = learner.next_card("SYN", now=NOW)
    answer(learner, other, rating="easy")  # back in days
    summary = learner.session_summary("SYN", now=NOW + timedelta(minutes=3))
    assert [c.count for c in summary.comes_back] == [1] and all(c.first > NOW for c in summary.comes_back)
    assert summary.comes_back[0].first > NOW + timedelta(days=1)


def test_a_shared_question_belongs_to_the_session_of_the_certification_it_was_answered_in():
    """Bug: a question two certifications share, answered while studying one, counted in the other's session."""
    from dataclasses import replace as changed

    from opsprep.engine import Progress
    from opsprep.graph.catalog import Catalog
    from opsprep.questions import QuestionBank

    aaa, bbb = synthetic_bank(items=6, code="AAA"), synthetic_bank(items=6, code="BBB")
    shared = bbb.catalog.certification("BBB").domains[0].iri
    items = [changed(item, domains=(*item.domains, shared)) for item in aaa.items]  # every AAA question in BBB too
    bank = QuestionBank(changed(aaa.facts, catalog=Catalog((*aaa.catalog, *bbb.catalog))), items)
    with Progress.open(":memory:", bank) as progress:
        ada = progress.learner(progress.create_learner("ada", now=NOW).id)
        session = ada.session("BBB")
        card = session.next(now=NOW)
        assert card.item.id in {item.id for item in items}  # a shared one
        session.submit(card, card.presentation.correct_letters, 2000, "easy", now=NOW)
        other = ada.next_card("BBB", now=NOW + timedelta(minutes=1))
        ada.submit(other.item.id, other.seed, other.presentation.correct_letters, now=NOW + timedelta(minutes=1),
                   cert="BBB")  # fmt: skip
        in_bbb = ada.session_summary("BBB", now=NOW + timedelta(minutes=2))
        in_aaa = ada.session_summary("AAA", now=NOW + timedelta(minutes=2))
        assert (in_bbb.answered, in_bbb.questions) == (2, 2)
        assert (in_aaa.answered, in_aaa.comes_back) == (0, ())
        assert ada.last_answer("AAA", now=NOW + timedelta(minutes=2)) is None  # nothing of AAA to undo
        first = ada.next_card("AAA", now=NOW + timedelta(minutes=3))
        ada.submit(first.item.id, first.seed, first.presentation.correct_letters, now=NOW + timedelta(minutes=3),
                   cert="AAA")  # fmt: skip
        assert ada.session_summary("AAA", now=NOW + timedelta(minutes=4)).answered == 1
        assert ada.session_summary("BBB", now=NOW + timedelta(minutes=4)).answered == 2
