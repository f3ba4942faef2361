"""The study queue: the daily new limit per certification, suspended, buried and bookmarked questions,
the study modes (wrong last time, bookmarked, cram) and the question browser's search."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from opsprep.engine import InvalidAnswer, InvalidFlag, Progress, UnknownCertification, UnknownItem
from opsprep.engine.synthetic import synthetic_bank
from opsprep.graph.catalog import Catalog
from opsprep.questions import QuestionBank

from .conftest import NOW


def two_certifications(items: int = 30) -> QuestionBank:
    """A bank of two certifications, AAA and BBB, with ``items`` questions each and none shared."""
    banks = {code: synthetic_bank(items=items, code=code) for code in ("AAA", "BBB")}
    catalog = Catalog(tuple(cert for bank in banks.values() for cert in bank.catalog))
    questions = [replace(item, id=f"{code}-{item.id}") for code, bank in banks.items() for item in bank.items]
    return QuestionBank(replace(banks["AAA"].facts, catalog=catalog), questions)


@pytest.fixture(scope="module")
def bank():
    return two_certifications()


def answer(learner, card, right=True, now=NOW, **kwargs):
    p = card.presentation
    chosen = p.correct_letters if right else [next(o.letter for o in p.options if not o.correct)]
    return learner.submit(card.item.id, card.seed, chosen, 4000, now=now, **kwargs)


def study(learner, cert, count, *, right=True, now=NOW, mode=None):
    """Answer ``count`` cards of the queue, a second apart; the items answered."""
    answered = []
    for n in range(count):
        moment = now + timedelta(seconds=n)
        in_mode = {"mode": mode} if mode else {}
        card = learner.next_card(cert, now=moment, **in_mode)
        assert card is not None, f"the queue ran dry after {n} cards"
        answer(learner, card, right=right, now=moment, **in_mode)
        answered.append(card.item.id)
    return answered


# ---------------------------------------------------------------- the daily new limit, per certification


def test_the_daily_new_limit_counts_per_certification(learner):
    """Bug: twenty new answers in one certification left every other one at "New 0"."""
    learner.update_settings(daily_new_limit=5)
    study(learner, "AAA", 5)
    assert learner.counts("AAA", now=NOW + timedelta(minutes=1)).new == 0
    other = learner.counts("BBB", now=NOW + timedelta(minutes=1))
    assert (other.new, other.new_today, other.new_limit) == (5, 0, 5)
    card = learner.next_card("BBB", now=NOW + timedelta(minutes=1))
    assert card is not None and card.kind == "new"
    study(learner, "BBB", 5, now=NOW + timedelta(minutes=1))
    assert learner.counts("BBB", now=NOW + timedelta(minutes=2)).new == 0


def test_a_certification_offers_new_items_again_the_next_day(learner):
    learner.update_settings(daily_new_limit=2)
    study(learner, "AAA", 2)
    assert learner.counts("AAA", now=NOW + timedelta(hours=1)).new == 0
    assert learner.counts("AAA", now=NOW + timedelta(days=1)).new == 2


def test_a_question_in_two_certifications_counts_for_both():
    base = synthetic_bank(items=10, code="AAA")
    other = synthetic_bank(items=10, code="BBB")
    shared_domain = other.catalog.certification("BBB").domains[0].iri
    items = [
        replace(item, domains=(*item.domains, shared_domain)) if n < 3 else item for n, item in enumerate(base.items)
    ]
    catalog = Catalog((*base.catalog, *other.catalog))
    bank = QuestionBank(replace(base.facts, catalog=catalog), items)
    with Progress.open(":memory:", bank) as progress:
        ada = progress.learner(progress.create_learner("ada", daily_new_limit=20).id)
        answered = study(ada, "AAA", 10)
        shared = {item.id for item in items[:3]}
        assert shared <= set(answered)
        assert ada.counts("BBB", now=NOW + timedelta(minutes=1)).new_today == 3


def test_modes_are_checked(learner):
    with pytest.raises(InvalidAnswer, match="study mode"):
        learner.next_card("AAA", now=NOW, mode="sideways")
    with pytest.raises(InvalidAnswer, match="study mode"):
        learner.counts("AAA", now=NOW, mode="sideways")
    assert learner.next_card("AAA", now=NOW, mode="") is not None  # empty: the schedule


# ---------------------------------------------------------------- suspend, bury, bookmark


def test_a_suspended_question_is_never_shown_until_unsuspended(learner):
    first = learner.next_card("AAA", now=NOW)
    answer(learner, first, right=False)  # due again in a minute
    learner.flag_question(first.item.id, "suspend", now=NOW)
    later = NOW + timedelta(days=3)
    assert learner.question_flags(first.item.id).suspended
    seen = study(learner, "AAA", 15, now=later)
    assert first.item.id not in seen
    before = learner.card(first.item.id)
    learner.flag_question(first.item.id, "unsuspend", now=later)
    assert learner.card(first.item.id) == before  # the schedule was kept as it was
    back = learner.next_card("AAA", now=later + timedelta(minutes=1))
    assert back.item.id == first.item.id and back.kind == "learning"  # still in its (passed) learning step


def test_a_suspended_new_question_is_not_introduced_nor_counted(learner):
    learner.update_settings(daily_new_limit=100)
    upcoming = learner.next_card("AAA", now=NOW).item.id
    before = learner.counts("AAA", now=NOW)
    learner.flag_question(upcoming, "suspend", now=NOW)
    assert learner.next_card("AAA", now=NOW).item.id != upcoming
    after = learner.counts("AAA", now=NOW)
    assert (after.new, after.unseen, after.total) == (before.new - 1, before.unseen, before.total)


def test_a_buried_question_comes_back_when_the_learners_next_day_begins(learner):
    card = learner.next_card("AAA", now=NOW)
    answer(learner, card, right=False)
    learner.flag_question(card.item.id, "bury", now=NOW)
    flags = learner.question_flags(card.item.id)
    assert flags.buried(NOW) and flags.buried_until == NOW.replace(hour=0) + timedelta(days=1)
    late_tonight = NOW.replace(hour=23, minute=59)
    assert learner.next_card("AAA", now=late_tonight).item.id != card.item.id
    assert learner.counts("AAA", now=late_tonight).learning == 0
    tomorrow = NOW.replace(hour=0) + timedelta(days=1)
    assert learner.next_card("AAA", now=tomorrow).item.id == card.item.id


def test_unbury_shows_it_again_today(learner):
    card = learner.next_card("AAA", now=NOW)
    answer(learner, card, right=False)
    learner.flag_question(card.item.id, "bury", now=NOW)
    learner.flag_question(card.item.id, "unbury", now=NOW)
    assert learner.next_card("AAA", now=NOW + timedelta(minutes=2)).item.id == card.item.id


@pytest.mark.parametrize(
    ("item_id", "action", "error"),
    [("q-nonexistent", "bookmark", UnknownItem), (None, "delete", InvalidFlag), (None, "", InvalidFlag)],
)
def test_bad_flags_write_nothing(progress, learner, item_id, action, error):
    item_id = item_id or progress.bank.items[0].id
    with pytest.raises(error):
        learner.flag_question(item_id, action, now=NOW)
    assert progress.store.rows("SELECT * FROM card_flags") == []


# ---------------------------------------------------------------- study modes


def test_wrong_last_time_serves_what_was_answered_wrong_until_it_is_answered_right(learner):
    right = study(learner, "AAA", 2, right=True)
    wrong = study(learner, "AAA", 3, right=False, now=NOW + timedelta(seconds=10))
    later = NOW + timedelta(days=2)
    assert learner.mode_counts("AAA", now=later)["wrong"] == 3
    counts = learner.counts("AAA", now=later, mode="wrong")
    assert (counts.due, counts.learning, counts.new) == (0, 3, 0)
    first = learner.next_card("AAA", now=later, mode="wrong")
    assert first.item.id == wrong[0]  # answered wrong longest ago first
    answer(learner, first, right=True, now=later)
    second = learner.next_card("AAA", now=later, mode="wrong")
    assert second.item.id == wrong[1]
    answer(learner, second, right=False, now=later + timedelta(seconds=1))  # to the back of the mode
    assert [learner.next_card("AAA", now=later + timedelta(seconds=2), mode="wrong").item.id] == [wrong[2]]
    served = learner.mode_counts("AAA", now=later + timedelta(seconds=2))["wrong"]
    assert served == 2 and not set(right) & {wrong[1], wrong[2]}


def test_bookmarks_last_across_sessions_and_have_their_own_mode(progress, learner):
    seen = study(learner, "AAA", 2)
    unseen = next(item.id for item in progress.bank.items if item.id.startswith("AAA") and item.id not in seen)
    for item_id in (seen[1], unseen):
        learner.flag_question(item_id, "bookmark", now=NOW)
    assert learner.mode_counts("AAA", now=NOW)["bookmarked"] == 2  # answered on the schedule today: still there
    again = progress.learner(learner.id)  # a later session
    tomorrow = NOW + timedelta(days=1)
    assert again.mode_counts("AAA", now=tomorrow)["bookmarked"] == 2
    counts = again.counts("AAA", now=tomorrow, mode="bookmarked")
    assert counts.new == 1 and counts.due + counts.learning == 1
    first = again.next_card("AAA", now=tomorrow, mode="bookmarked")
    assert (first.item.id, first.kind) == (unseen, "new")  # never answered first
    answer(again, first, now=tomorrow, mode="bookmarked")
    second = again.next_card("AAA", now=tomorrow, mode="bookmarked")
    assert second.item.id == seen[1]
    answer(again, second, now=tomorrow + timedelta(seconds=1), mode="bookmarked")
    assert again.next_card("AAA", now=tomorrow + timedelta(seconds=2), mode="bookmarked") is None  # each once a day
    assert again.question_flags(unseen).bookmarked  # still bookmarked
    again.flag_question(unseen, "unbookmark", now=tomorrow)
    assert again.mode_counts("AAA", now=tomorrow + timedelta(days=1))["bookmarked"] == 1


def test_cram_serves_seen_cards_ahead_of_schedule_once_a_day_and_keeps_the_schedule(progress, learner):
    seen = study(learner, "AAA", 4)
    before = {item_id: learner.card(item_id) for item_id in seen}
    later = NOW + timedelta(minutes=5)  # studied on the schedule today: still there to cram today
    assert learner.mode_counts("AAA", now=later)["cram"] == 4
    card = learner.next_card("AAA", now=later, mode="cram")
    answer(learner, card, now=later, mode="cram")
    assert learner.mode_counts("AAA", now=later)["cram"] == 3  # once a day
    tomorrow = NOW + timedelta(days=1)
    assert learner.mode_counts("AAA", now=tomorrow)["cram"] == 4
    crammed = []
    for n in range(4):
        card = learner.next_card("AAA", now=tomorrow + timedelta(seconds=n), mode="cram")
        assert card.kind in ("due", "ahead", "learning")
        answer(learner, card, now=tomorrow + timedelta(seconds=n), mode="cram")
        crammed.append(card.item.id)
    assert sorted(crammed) == sorted(seen)  # no new item is crammed
    assert learner.next_card("AAA", now=tomorrow + timedelta(minutes=1), mode="cram") is None
    for item_id in seen:
        after = learner.card(item_id)
        assert (after.due, after.state, after.stability) == (before[item_id].due, before[item_id].state,
                                                             before[item_id].stability)  # fmt: skip


def test_modes_leave_out_suspended_and_buried_questions(learner):
    wrong = study(learner, "AAA", 2, right=False)
    learner.flag_question(wrong[0], "suspend", now=NOW)
    learner.flag_question(wrong[1], "bookmark", now=NOW)
    learner.flag_question(wrong[1], "bury", now=NOW)
    soon = NOW + timedelta(hours=1)
    assert learner.mode_counts("AAA", now=soon) == {"wrong": 0, "bookmarked": 0, "cram": 0}
    assert learner.next_card("AAA", now=soon, mode="wrong") is None


def test_modes_keep_to_the_scope(progress, learner):
    wrong = study(learner, "AAA", 6, right=False)
    assert learner.mode_counts("BBB", now=NOW + timedelta(days=1)) == {"wrong": 0, "bookmarked": 0, "cram": 0}
    domain = progress.bank.catalog.certification("AAA").domain("1").iri
    in_domain = [item_id for item_id in wrong if domain in progress.bank.get(item_id).domains]
    assert 0 < len(in_domain) < len(wrong)
    assert learner.mode_counts("AAA", ["1"], now=NOW + timedelta(days=1))["wrong"] == len(in_domain)


# ---------------------------------------------------------------- the question browser


def test_find_questions_by_text_certification_and_state(progress, learner):
    target = progress.bank.get(progress.bank.items[28].id)  # "Synthetic question 28" of AAA (BBB has one too)
    found = learner.find_questions(text="QUESTION 28", cert="AAA", now=NOW)
    assert [q.item.id for q in found.questions] == [target.id]
    assert found.questions[0].states == ("new",) and found.questions[0].next_due is None
    by_option = learner.find_questions(text="wrong answer 5 to question 28", now=NOW)
    assert by_option.matches == 2 and target.id in [q.item.id for q in by_option.questions]
    bbb = learner.find_questions(cert="BBB", now=NOW)
    assert bbb.matches == 30 and all(q.item.id.startswith("BBB") for q in bbb.questions)
    assert learner.find_questions(cert="AAA", domain="2", now=NOW).matches < 30
    wrong = study(learner, "AAA", 2, right=False)
    learner.flag_question(wrong[0], "bookmark", now=NOW)
    states = learner.find_questions(state="wrong", now=NOW + timedelta(minutes=5))
    assert {q.item.id for q in states.questions} == set(wrong)
    marked = learner.find_questions(state="bookmarked", now=NOW).questions
    assert [q.item.id for q in marked] == [wrong[0]] and "learning" in marked[0].states
    assert marked[0].next_due == learner.card(wrong[0]).due


def test_find_questions_pages(learner):
    first = learner.find_questions(per_page=25, now=NOW)
    assert (first.matches, first.pages, len(first.questions)) == (60, 3, 25)
    last = learner.find_questions(page=99, per_page=25, now=NOW)
    assert (last.page, len(last.questions)) == (3, 10)
    assert {q.item.id for q in first.questions}.isdisjoint(q.item.id for q in last.questions)


def test_find_questions_refuses_bad_searches(learner):
    with pytest.raises(InvalidFlag, match="question state"):
        learner.find_questions(state="forgotten")
    with pytest.raises(UnknownCertification):
        learner.find_questions(cert="NOPE")
    with pytest.raises(InvalidFlag, match="certification"):
        learner.find_questions(domain="1")


def test_question_history(learner):
    card = learner.next_card("AAA", now=NOW)
    answer(learner, card, right=False)
    again = learner.next_card("AAA", now=NOW + timedelta(minutes=2))
    answer(learner, again, right=True, now=NOW + timedelta(minutes=2))
    history = learner.question_history(card.item.id)
    assert [(h.reviewed_at, h.correct, h.rating.name) for h in history] == [
        (NOW, False, "Again"),
        (NOW + timedelta(minutes=2), True, "Good"),
    ]
    assert learner.question_history("q-unanswered") == []


def test_a_study_session_takes_a_mode(learner):
    wrong = study(learner, "AAA", 2, right=False)
    session = learner.session("AAA")
    later = NOW + timedelta(days=1)
    assert session.next(now=later, mode="wrong").item.id == wrong[0]
    assert session.counts(now=later, mode="wrong").learning == 2
    assert session.counts(now=later).new == 20


def test_one_rule_decides_a_cards_badge_in_the_queue_an_undo_and_a_retry(learner):
    """Bug: a learning card whose step had passed was "due" in the queue and a retry but "learning" after an
    undo, while the header counted it as learning."""
    card = study(learner, "AAA", 1, right=False)[0]  # again: in its first learning step, due in a minute
    later = NOW + timedelta(minutes=5)  # the step has passed
    queued = learner.next_card("AAA", now=later)
    counts = learner.counts("AAA", now=later)
    assert queued.item.id == card and (counts.due, counts.learning) == (0, 1)
    assert queued.kind == "learning"
    assert learner.current_showing(card, "AAA", now=later).kind == "learning"
    answer(learner, queued, right=False, now=later)
    learner.undo(queued.item.id, queued.seed, now=later)
    assert learner.undone_card("AAA", now=later).kind == "learning"
