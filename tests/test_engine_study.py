"""Study sessions: the queue's order and scope, answers stored once, counts, bad input writes nothing."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest

from opsprep.engine import (
    AnswerResult,
    InvalidAnswer,
    Progress,
    Rating,
    StaleShowing,
    State,
    UnknownCertification,
    UnknownDomain,
    UnknownItem,
    UnknownLearner,
)
from opsprep.engine.cards import load_card
from opsprep.engine.synthetic import synthetic_bank
from opsprep.questions import build_bank

from .conftest import NOW


@pytest.fixture(scope="module")
def bank():
    return synthetic_bank(items=60)


def wrong(card):
    return next(o.letter for o in card.presentation.options if not o.correct)


def answer(learner, card, right=True, rating=None, now=NOW, **kwargs):
    chosen = card.presentation.correct_letters if right else [wrong(card)]
    if card.presentation.typed:  # answered by typing: an accepted form or the model answer, or a wrong text
        response = card.presentation.response
        chosen = (response.accepted[0] if response.accepted else response.model_answer) if right else "no idea"
    return learner.submit(card.item.id, card.seed, chosen, 4000, rating, now=now, **kwargs)


def snapshot(progress):
    tables = ("learners", "cards", "reviews", "exam_attempts", "exam_questions")
    return {t: progress.store.rows(f"SELECT * FROM {t}") for t in tables}


def test_new_items_come_until_the_daily_limit(learner):
    learner.update_settings(daily_new_limit=3)
    seen = []
    for minute in range(3):
        card = learner.next_card("SYN", now=NOW + timedelta(minutes=minute))
        assert card.kind == "new"
        assert card.card.is_new
        answer(learner, card, rating="easy", now=NOW + timedelta(minutes=minute))
        seen.append(card.item.id)
    assert len(set(seen)) == 3
    assert learner.next_card("SYN", now=NOW + timedelta(minutes=5)) is None
    tomorrow = learner.next_card("SYN", now=NOW + timedelta(days=1))
    assert tomorrow.kind == "new"  # the limit counts per (UTC) day


def test_due_items_come_before_new_ones_oldest_first(learner):
    first = learner.next_card("SYN", now=NOW)
    answer(learner, first, right=False, now=NOW)  # Again: due in 1 minute
    second = learner.next_card("SYN", now=NOW)
    assert second.kind == "new" and second.item.id != first.item.id
    answer(learner, second, right=False, now=NOW + timedelta(seconds=10))
    later = learner.next_card("SYN", now=NOW + timedelta(minutes=2))
    # served first, as a card due is; in its relearning step, counted (and badged) as learning
    assert (later.kind, later.item.id) == ("learning", first.item.id)
    assert later.seed != first.seed  # a new showing re-draws the options
    assert later.card.reps == 1


def test_learning_cards_are_shown_ahead_when_nothing_else_is_left(learner):
    learner.update_settings(daily_new_limit=1)
    card = learner.next_card("SYN", now=NOW)
    answer(learner, card, now=NOW)  # Good on a new card: due in 10 minutes
    ahead = learner.next_card("SYN", now=NOW + timedelta(minutes=1))
    assert (ahead.kind, ahead.item.id) == ("learning", card.item.id)


def test_scope_by_domain(bank, learner):
    d2 = bank.catalog.certification("SYN").domain("2").iri
    for minute in range(8):
        card = learner.next_card("SYN", ["2"], now=NOW + timedelta(minutes=minute))
        assert d2 in card.item.domains
        assert card.domain_labels[-1] == "Domain 2" or "Domain 2" in card.domain_labels
        answer(learner, card, rating="easy", now=NOW + timedelta(minutes=minute))


def test_submit_grades_rates_and_stores_in_one_go(progress, learner):
    card = learner.next_card("SYN", now=NOW)
    result = answer(learner, card, right=True, now=NOW)
    assert (result.correct, result.rating, result.state, result.duplicate) == (True, Rating.Good, State.Learning, False)
    assert result.interval == card.preview[Rating.Good] == timedelta(minutes=10)
    assert result.explanation and result.sources
    review = progress.store.row("SELECT * FROM reviews")
    assert review["item_id"] == card.item.id and review["seed"] == card.seed
    assert json.loads(review["options"]) == [o.key for o in card.presentation.options]
    assert json.loads(review["chosen"]) == list(card.presentation.correct_letters)
    assert (review["correct"], review["rating"], review["state_before"], review["response_ms"]) == (1, 3, 0, 4000)
    stored = load_card(progress.store, learner.id, card.item.id)
    assert (stored.reps, stored.due, stored.first_review) == (1, result.due, NOW)
    assert AnswerResult.from_dict(result.to_dict()) == result


def test_wrong_is_again_and_learner_may_say_hard_or_easy(learner):
    cards = [learner.next_card("SYN", now=NOW)]
    assert answer(learner, cards[0], right=False, now=NOW).rating == Rating.Again
    for rating in ("hard", "easy"):
        card = learner.next_card("SYN", now=NOW)
        assert answer(learner, card, rating=rating, now=NOW).rating == Rating[rating.capitalize()]


def test_the_same_presentation_submitted_twice_is_recorded_once(progress, learner):
    card = learner.next_card("SYN", now=NOW)
    first = answer(learner, card, right=True, now=NOW)
    again = answer(learner, card, right=False, now=NOW + timedelta(seconds=3))
    assert again.duplicate and again.correct and again.due == first.due and again.rating == first.rating
    assert progress.store.scalar("SELECT count(*) FROM reviews") == 1
    assert load_card(progress.store, learner.id, card.item.id).reps == 1


def test_a_seed_never_handed_out_is_refused(progress, learner):
    card = learner.next_card("SYN", now=NOW)
    before = snapshot(progress)
    with pytest.raises(StaleShowing, match="not the current showing"):
        learner.submit(card.item.id, card.seed + 5, ["A"], now=NOW)
    assert snapshot(progress) == before


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        ({"learner_id": 999}, UnknownLearner, "No learner with id 999"),
        ({"item_id": "q-nope"}, UnknownItem, "no item 'q-nope'"),
        ({"chosen": ["Z"]}, InvalidAnswer, "Z is not one of them|got Z"),
        ({"chosen": []}, InvalidAnswer, "Choose"),
        ({"response_ms": -5}, InvalidAnswer, "milliseconds"),
        ({"rating": "easy", "chosen": "wrong"}, InvalidAnswer, "rated Again"),
        ({"rating": "meh"}, InvalidAnswer, "Unknown rating"),
    ],
)
def test_bad_answers_write_nothing(progress, learner, change, error, message):
    card = learner.next_card("SYN", now=NOW)
    args = {
        "learner_id": learner.id,
        "item_id": card.item.id,
        "seed": card.seed,
        "chosen": list(card.presentation.correct_letters),
        "response_ms": 100,
        "rating": None,
    } | change
    if args["chosen"] == "wrong":
        args["chosen"] = [wrong(card)]
    before = snapshot(progress)
    with pytest.raises(error, match=message):
        progress.learner(args.pop("learner_id")).submit(**args, now=NOW)
    assert snapshot(progress) == before


@pytest.mark.parametrize(
    ("cert", "domains", "error"),
    [("NOPE", (), UnknownCertification), ("SYN", ("9",), UnknownDomain), ("SYN", ("Domain 7",), UnknownDomain)],
)
def test_unknown_certification_or_domain_is_a_clear_error(progress, learner, cert, domains, error):
    before = snapshot(progress)
    with pytest.raises(error):
        learner.next_card(cert, domains, now=NOW)
    with pytest.raises(error):
        learner.counts(cert, domains, now=NOW)
    assert snapshot(progress) == before


def test_unknown_learner(progress):
    with pytest.raises(UnknownLearner):
        progress.learner(42).next_card("SYN", now=NOW)
    assert progress.store.rows("SELECT * FROM learners") == []


def test_queue_counts(bank, learner):
    learner.update_settings(daily_new_limit=10)
    total = len(bank.for_certification(bank.catalog.certification("SYN")))
    counts = learner.counts("SYN", now=NOW)
    assert (counts.due, counts.learning, counts.new, counts.unseen, counts.total) == (0, 0, 10, total, total)
    for n, rating in enumerate(["easy", "easy", None, "again"]):
        card = learner.next_card("SYN", now=NOW)
        answer(learner, card, rating=rating, now=NOW + timedelta(seconds=n))
    counts = learner.counts("SYN", now=NOW + timedelta(minutes=1))
    assert (counts.due, counts.learning, counts.new, counts.unseen, counts.new_today) == (0, 2, 6, total - 4, 4)
    assert counts.next_due is not None
    later = learner.counts("SYN", now=NOW + timedelta(days=30))
    assert later.due == 2 and later.new == 10
    assert later.to_dict()["next_due"] is None


def test_study_card_dict_hides_the_answers(learner):
    data = learner.next_card("SYN", now=NOW).to_dict()
    assert set(data["options"][0]) == {"letter", "text"}
    assert "correct" not in json.dumps(data)
    assert data["preview"] == {"again": 60.0, "hard": 330.0, "good": 600.0, "easy": 8 * 86400.0}


def test_session_object_and_readiness(learner):
    session = learner.session("SYN", ["1"])
    assert learner.readiness("SYN", now=NOW).recall == 0
    studied = []
    for n in range(5):
        card = session.next(now=NOW)
        session.submit(card, card.presentation.correct_letters, 3000, "easy", now=NOW + timedelta(seconds=n))
        studied.append(card.item)
    ready = learner.readiness("SYN", now=NOW + timedelta(days=1))
    one = ready.domains[0]
    assert one.seen == 5
    assert sum(d.seen for d in ready.domains) == sum(len(item.domains) for item in studied)
    assert 0 < one.recall < 5 / one.items + 1e-9
    assert ready.recall == pytest.approx(sum(d.share * d.recall for d in ready.domains))
    assert learner.readiness("SYN", now=NOW + timedelta(days=400)).recall < ready.recall


def test_review_log_export_for_the_fsrs_optimizer(progress, learner):
    card = learner.next_card("SYN", now=NOW)
    answer(learner, card, right=False, now=NOW)
    card = learner.next_card("SYN", now=NOW + timedelta(minutes=2))
    answer(learner, card, now=NOW + timedelta(minutes=2))
    out = io.StringIO()
    assert learner.export_reviews(out) == 2
    millis = int(NOW.timestamp() * 1000)
    assert out.getvalue().splitlines() == [
        "card_id,review_time,review_rating,review_state,review_duration",
        f"1,{millis},1,0,4000",
        f"1,{millis + 120_000},3,1,4000",
    ]


def test_reschedule_replays_history_with_new_settings(progress, learner):
    for day in range(4):
        card = learner.next_card("SYN", now=NOW + timedelta(days=day * 10))
        answer(learner, card, rating="easy", now=NOW + timedelta(days=day * 10), fuzz=False)
    store = progress.store
    before = store.rows("SELECT * FROM cards ORDER BY id")
    assert learner.reschedule() == len(before)
    assert store.rows("SELECT * FROM cards ORDER BY id") == before  # same settings: same state
    learner.update_settings(desired_retention=0.8)
    learner.reschedule()
    after = store.rows("SELECT * FROM cards ORDER BY id")
    assert all(a["due"] >= b["due"] for a, b in zip(after, before, strict=True))
    assert any(a["due"] > b["due"] for a, b in zip(after, before, strict=True))


def test_works_on_a_bank_from_a_graph(mini_graph):
    with Progress.open(":memory:", build_bank(mini_graph)) as progress:
        grace = progress.learner(progress.create_learner("grace", now=NOW).id)
        card = grace.next_card("DOP-C02", now=NOW)
        result = grace.submit(card.item.id, card.seed, "B", now=NOW)
        assert result.correct == (card.presentation.correct_letters == ("B",))
        assert grace.counts("DOP-C02", now=NOW).total == 4


def test_a_changed_bank_is_synced(progress, learner):
    small, large = synthetic_bank(items=10), synthetic_bank(items=20)
    assert Progress(progress.store, small).learner(learner.id).counts("SYN", now=NOW).total == 10
    assert Progress(progress.store, large).learner(learner.id).counts("SYN", now=NOW).total == 20


# New cards interleave template families


def _new_cards(bank, cert, count):
    """The items of a new learner's first ``count`` new cards, answering each right."""
    with Progress.open(":memory:", bank) as progress:
        learner = progress.learner(progress.create_learner("ada", daily_new_limit=count).id)
        shown = []
        for _ in range(count):
            card = learner.next_card(cert, now=NOW)
            if card is None or card.kind != "new":
                break
            shown.append(card.item)
            answer(learner, card, rating=Rating.Easy)
        return shown


def test_new_cards_never_repeat_a_family_within_three_nor_a_template_within_twenty():
    from dataclasses import replace

    base = synthetic_bank(items=120)
    items = [replace(item, template=f"family{i % 5}/template{i % 25}") for i, item in enumerate(base.items)]
    bank = type(base)(base.facts, items)
    shown = _new_cards(bank, "SYN", 40)
    assert len(shown) == 40
    for window in zip(shown, shown[1:], shown[2:], strict=False):
        assert len({item.family for item in window}) == 3
    for start in range(len(shown) - 19):
        templates = [item.template for item in shown[start : start + 20]]
        assert len(set(templates)) == 20


@pytest.mark.parametrize("cert", ["CKA", "CKAD", "DOP-C02", "Terraform Associate 004", "FOUNDATIONS"])
def test_a_new_learners_first_twenty_cards_show_every_family_and_never_one_three_times_running(shipped_bank, cert):
    """The shipped bank has fewer families than twenty cards: each appears in the first twenty, and while
    two families are left no family comes three times in a row."""
    plan = shipped_bank.catalog.certification(cert)
    families = {item.family for item in shipped_bank.for_certification(plan)}
    assert 2 <= len(families) <= 20
    shown = _new_cards(shipped_bank, plan.code, 20)
    assert len(shown) == 20
    assert {item.family for item in shown} == families
    first_runs = shown[: 2 * len(families)]
    for run in zip(first_runs, first_runs[1:], first_runs[2:], strict=False):
        assert len({item.family for item in run}) >= 2, [item.template for item in run]
