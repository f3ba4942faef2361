"""Exam simulation: catalog weights, timing, answers, flags, scoring per domain, pass/fail, resuming."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opsprep.engine import (
    ExamClosed,
    InvalidAnswer,
    InvalidSettings,
    NoQuestions,
    UnknownAttempt,
    UnknownCertification,
)
from opsprep.engine.allocation import allocate, apportion
from opsprep.engine.synthetic import synthetic_bank
from opsprep.graph.catalog import DEFAULT_PASSING_FRACTION, DEFAULT_QUESTION_COUNT, MINUTES_PER_QUESTION, certification
from opsprep.questions import build_bank

from .conftest import NOW


@pytest.fixture(scope="module")
def bank():
    return synthetic_bank(items=90, weights=(50.0, 30.0, 20.0), question_count=20, minutes=30)


def answer_all(learner, attempt, right: int):
    """Answer the first ``right`` questions correctly and the rest wrongly."""
    for q in attempt.questions:
        _, p = learner.exam_question(attempt.id, q.position)
        wrong = [o.letter for o in p.options if not o.correct][: len(p.correct_letters)]
        chosen = p.correct_letters if q.position <= right else wrong
        learner.answer_exam(attempt.id, q.position, chosen, 2000, now=NOW)


def test_exam_figures_of_the_synthetic_certification(bank):
    plan = bank.catalog.certification("SYN")
    assert (plan.question_count, plan.minutes, plan.passing_fraction, plan.passing_score) == (20, 30, 0.7, 700)
    assert [d.share for d in plan.domains] == pytest.approx([0.5, 0.3, 0.2])
    assert plan.assumed == ()


def test_exam_figures_read_from_a_graph(mini_graph):
    dop = build_bank(mini_graph).catalog.certification("DOP-C02")
    assert (dop.question_count, dop.minutes, dop.passing_fraction, dop.passing_score) == (75, 180, 0.75, 750)
    assert [d.weight for d in dop.domains] == [60, 40]
    assert dop.assumed == ()


def test_missing_exam_figures_are_assumed_and_named():
    stated = synthetic_bank(items=10).catalog.certification("SYN")
    plan = certification(stated.iri, stated.code, stated.title, [replace(d, weight=None) for d in stated.domains])
    assert set(plan.assumed) == {"weight", "questionCount", "durationMinutes", "passingScore"}
    assert plan.passing_fraction == DEFAULT_PASSING_FRACTION
    assert plan.question_count == DEFAULT_QUESTION_COUNT
    assert plan.minutes == DEFAULT_QUESTION_COUNT * MINUTES_PER_QUESTION
    assert [d.share for d in plan.domains] == pytest.approx([1 / 3] * 3)


@given(st.integers(0, 200), st.lists(st.floats(0, 100), min_size=1, max_size=8))
def test_apportion_adds_up(count, weights):
    shares = apportion(count, {str(n): w for n, w in enumerate(weights)})
    assert sum(shares.values()) == count


@given(
    st.integers(0, 120),
    st.lists(st.tuples(st.floats(0.5, 100), st.integers(0, 40)), min_size=1, max_size=8),
)
def test_allocate_respects_what_each_domain_has(count, domains):
    weights = {str(n): w for n, (w, _) in enumerate(domains)}
    available = {str(n): a for n, (_, a) in enumerate(domains)}
    shares = allocate(count, weights, available)
    assert sum(shares.values()) == min(count, sum(available.values()))
    assert all(0 <= shares[k] <= available[k] for k in shares)


def test_exam_questions_follow_the_catalog_weights(learner):
    attempt = learner.start_exam("SYN", seed=7, now=NOW)
    assert len(attempt.questions) == 20
    assert attempt.deadline - attempt.started_at == timedelta(minutes=30)
    per_domain = Counter(q.domain.rsplit("-", 1)[1] for q in attempt.questions)
    assert per_domain == {"1": 10, "2": 6, "3": 4}
    assert len({q.item_id for q in attempt.questions}) == 20
    again = learner.start_exam("SYN", seed=7, now=NOW)
    assert [q.item_id for q in again.questions] == [q.item_id for q in attempt.questions]  # seeded


def test_count_and_time_can_be_chosen_and_domains_narrowed(bank, learner):
    short = learner.start_exam("SYN", count=5, minutes=7, seed=1, now=NOW)
    assert (len(short.questions), short.minutes) == (5, 7)
    narrow = learner.start_exam("SYN", ["2"], seed=1, now=NOW)
    assert {q.domain for q in narrow.questions} == {bank.catalog.certification("SYN").domain("2").iri}
    assert (len(narrow.questions), narrow.minutes) == (6, 9)  # 30 % of the exam, 30 % of the time


def test_scoring_overall_and_per_domain(learner):
    attempt = learner.start_exam("SYN", seed=3, now=NOW)
    answer_all(learner, attempt, right=14)
    finished = learner.finish_exam(attempt.id, now=NOW + timedelta(minutes=20))
    result = finished.result
    assert (result.correct, result.total, result.scaled_score, result.passed) == (14, 20, 700, True)
    assert sum(d.correct for d in result.domains) == 14
    assert [d.total for d in result.domains] == [10, 6, 4]
    assert result.domains[0].label == "Domain 1"
    assert finished.to_dict()["result"]["passed"] is True


def test_below_the_passing_mark_fails_and_unanswered_count_as_wrong(learner):
    attempt = learner.start_exam("SYN", seed=3, now=NOW)
    answer_all(learner, attempt, right=13)
    learner.answer_exam(attempt.id, 20, [], now=NOW)  # clear one answer
    result = learner.finish_exam(attempt.id, now=NOW + timedelta(minutes=1)).result
    assert (result.correct, result.passed) == (13, False)


def test_answers_can_change_and_flags_toggle_until_the_end(learner):
    attempt = learner.start_exam("SYN", seed=5, now=NOW)
    _, p = learner.exam_question(attempt.id, 1)
    wrong = [o.letter for o in p.options if not o.correct][: len(p.correct_letters)]
    assert learner.answer_exam(attempt.id, 1, wrong, now=NOW).correct is False
    assert learner.answer_exam(attempt.id, 1, p.correct_letters, now=NOW).correct is True
    assert learner.flag(attempt.id, 2, now=NOW).flagged
    assert learner.attempt(attempt.id).flagged == (2,)
    assert not learner.flag(attempt.id, 2, False, now=NOW).flagged
    assert learner.attempt(attempt.id).to_dict()["questions"][0]["correct"] is None  # hidden
    _, shown_again = learner.exam_question(attempt.id, 1)
    assert shown_again == p  # the same options every time


def test_resume_returns_the_open_attempt_and_scores_expired_ones(learner):
    attempt = learner.start_exam("SYN", seed=2, now=NOW)
    learner.answer_exam(attempt.id, 1, ["A"], now=NOW)
    resumed = learner.resume_exam("SYN", now=NOW + timedelta(minutes=10))
    assert resumed.id == attempt.id and resumed.answered == 1
    assert resumed.remaining(NOW + timedelta(minutes=10)) == timedelta(minutes=20)
    assert learner.resume_exam(now=NOW + timedelta(minutes=31)) is None
    expired = learner.attempt(attempt.id)
    assert expired.finished and expired.result.timed_out
    assert [a.id for a in learner.attempts()] == [attempt.id]


def test_a_closed_attempt_takes_no_more_answers(learner):
    attempt = learner.start_exam("SYN", seed=2, now=NOW)
    with pytest.raises(ExamClosed, match="Time is up"):
        learner.answer_exam(attempt.id, 1, ["A"], now=NOW + timedelta(minutes=30))
    first = learner.finish_exam(attempt.id, now=NOW + timedelta(minutes=40))
    assert learner.finish_exam(attempt.id, now=NOW + timedelta(days=1)) == first
    with pytest.raises(ExamClosed, match="finished"):
        learner.flag(attempt.id, 1, now=NOW)


def test_bad_exam_input_writes_nothing(progress, learner):
    other = progress.learner(progress.create_learner("eve", now=NOW).id)
    attempt = learner.start_exam("SYN", seed=2, now=NOW)
    store = progress.store
    before = store.rows("SELECT * FROM exam_questions"), store.rows("SELECT * FROM exam_attempts")
    with pytest.raises(UnknownCertification):
        learner.start_exam("NOPE", now=NOW)
    with pytest.raises(InvalidSettings):
        learner.start_exam("SYN", count=0, now=NOW)
    with pytest.raises(UnknownAttempt):
        other.answer_exam(attempt.id, 1, ["A"], now=NOW)  # not eve's attempt
    with pytest.raises(InvalidAnswer):
        learner.answer_exam(attempt.id, 1, ["Q"], now=NOW)
    with pytest.raises(IndexError):
        learner.answer_exam(attempt.id, 99, ["A"], now=NOW)
    assert (store.rows("SELECT * FROM exam_questions"), store.rows("SELECT * FROM exam_attempts")) == before


def first_question(learner, attempt, many: bool):
    """The first question of the attempt asking for two answers (``many``) or one, and its presentation."""
    for q in attempt.questions:
        _, p = learner.exam_question(attempt.id, q.position)
        if (len(p.correct_letters) > 1) == many:
            return q, p
    raise AssertionError("no such question in the attempt")


def test_a_choose_two_question_refuses_one_choice_and_stores_nothing(progress, learner):
    attempt = learner.start_exam("SYN", seed=4, now=NOW)
    store = progress.store
    q, p = first_question(learner, attempt, many=True)
    before = store.rows("SELECT * FROM exam_questions")
    assert learner.exam_answer_problem(attempt.id, q.position, p.correct_letters[:1]) == (
        "Choose 2 options (or none, to leave the question unanswered); nothing was saved."
    )
    with pytest.raises(InvalidAnswer, match=r"^Choose 2 options \(or none"):
        learner.answer_exam(attempt.id, q.position, p.correct_letters[:1], now=NOW)
    single, sp = first_question(learner, attempt, many=False)
    with pytest.raises(InvalidAnswer, match="^Choose one option"):
        learner.answer_exam(attempt.id, single.position, [o.letter for o in sp.options][:2], now=NOW)
    assert store.rows("SELECT * FROM exam_questions") == before
    assert learner.exam_answer_problem(attempt.id, q.position, []) is None  # none: unanswered, allowed
    assert learner.exam_answer_problem(attempt.id, q.position, p.correct_letters) is None
    assert learner.answer_exam(attempt.id, q.position, p.correct_letters, now=NOW).correct is True
    with pytest.raises(InvalidAnswer, match="Choose among the options"):
        learner.exam_answer_problem(attempt.id, q.position, ["Q"])


def test_when_the_countdown_runs_out_the_attempt_is_stored_as_timed_out(progress, learner):
    """The page's countdown may finish a moment before the server's deadline: still time running out,
    stored with the attempt, and the finish keeps its real time."""
    attempt = learner.start_exam("SYN", seed=2, now=NOW)
    moment = attempt.deadline - timedelta(seconds=3)
    finished = learner.finish_exam(attempt.id, time_up=True, now=moment)
    assert finished.result.timed_out and finished.finished_at == moment
    assert finished.to_dict()["timed_out"] is True
    row = progress.store.row("SELECT timed_out, finished_at FROM exam_attempts WHERE id = ?", [attempt.id])
    assert row["timed_out"] == 1
    early = learner.start_exam("SYN", seed=2, now=NOW)  # the same claim long before the end is an early finish
    assert not learner.finish_exam(early.id, time_up=True, now=NOW + timedelta(minutes=1)).result.timed_out
    late = learner.start_exam("SYN", seed=2, now=NOW)  # finished by the server after the deadline
    assert learner.finish_exam(late.id, now=late.deadline + timedelta(minutes=5)).result.timed_out


def test_a_retake_asks_exactly_the_missed_questions_at_the_same_pace(learner):
    attempt = learner.start_exam("SYN", seed=3, now=NOW)
    answer_all(learner, attempt, right=14)  # positions 15-20 wrong
    learner.answer_exam(attempt.id, 20, [], now=NOW)  # and one unanswered
    learner.answer_exam(attempt.id, 2, [], now=NOW)
    finished = learner.finish_exam(attempt.id, now=NOW + timedelta(minutes=20))
    missed = {q.item_id: q.domain for q in finished.questions if not q.correct}
    assert len(missed) == 7 and {q.item_id for q in finished.missed} == set(missed)
    retake = learner.retake_exam(attempt.id, seed=1, now=NOW + timedelta(hours=1))
    assert {q.item_id: q.domain for q in retake.questions} == missed
    assert retake.retake_of == attempt.id and retake.to_dict()["retake_of"] == attempt.id
    assert retake.minutes == 11  # 30 minutes for 20 questions: 7 take 10.5, rounded up
    assert retake.deadline - retake.started_at == timedelta(minutes=11)
    assert retake.cert == attempt.cert and not retake.finished and retake.answered == 0
    assert learner.attempt(retake.id).retake_of == attempt.id
    assert learner.attempt(attempt.id).retake_of is None


def test_a_retake_needs_a_finished_attempt_with_something_missed(progress, learner):
    other = progress.learner(progress.create_learner("eve", now=NOW).id)
    open_attempt = learner.start_exam("SYN", seed=3, now=NOW)
    perfect = learner.start_exam("SYN", seed=3, now=NOW)
    answer_all(learner, perfect, right=20)
    learner.finish_exam(perfect.id, now=NOW + timedelta(minutes=5))
    before = progress.store.rows("SELECT * FROM exam_attempts")
    with pytest.raises(ExamClosed, match="not finished yet"):
        learner.retake_exam(open_attempt.id, now=NOW)
    with pytest.raises(NoQuestions, match="got every question right: there is nothing to retake"):
        learner.retake_exam(perfect.id, now=NOW)
    with pytest.raises(UnknownAttempt):
        other.retake_exam(perfect.id, now=NOW)
    assert progress.store.rows("SELECT * FROM exam_attempts") == before


def test_time_on_each_question_adds_up_over_visits(learner):
    attempt = learner.start_exam("SYN", seed=2, now=NOW)
    assert attempt.question(1).time_ms == 0
    learner.record_exam_time(attempt.id, 1, 4_000, now=NOW)
    assert learner.record_exam_time(attempt.id, 1, 2_500, now=NOW).time == timedelta(seconds=6.5)
    for bad in (-1, 30 * 60_000 + 1, 1.5, True):
        with pytest.raises(InvalidAnswer, match="Time on a question"):
            learner.record_exam_time(attempt.id, 2, bad, now=NOW)
    with pytest.raises(IndexError):
        learner.record_exam_time(attempt.id, 21, 1, now=NOW)
    learner.finish_exam(attempt.id, now=NOW + timedelta(minutes=12))
    with pytest.raises(ExamClosed):
        learner.record_exam_time(attempt.id, 1, 1, now=NOW)
    finished = learner.attempt(attempt.id)
    assert finished.question(1).time_ms == 6_500 and finished.question(2).time_ms == 0
    assert finished.time_taken == timedelta(minutes=12) and finished.time_per_question == timedelta(seconds=36)


def test_exam_history_lists_finished_attempts_oldest_first_and_leaves_retakes_out_of_the_trend(learner):
    first = learner.start_exam("SYN", seed=1, now=NOW)
    answer_all(learner, first, right=10)
    learner.finish_exam(first.id, now=NOW + timedelta(minutes=40))  # after the deadline: 30 minutes taken
    retake = learner.retake_exam(first.id, seed=1, now=NOW + timedelta(hours=1))
    learner.finish_exam(retake.id, now=NOW + timedelta(hours=1, minutes=2))
    second = learner.start_exam("SYN", seed=2, now=NOW + timedelta(days=1))
    answer_all(learner, second, right=15)
    learner.finish_exam(second.id, now=NOW + timedelta(days=1, minutes=10))
    learner.start_exam("SYN", seed=3, now=NOW + timedelta(days=2))  # open: not in the history
    (history,) = learner.exam_history()
    assert history.code == "SYN"
    assert [a.id for a in history.attempts] == [first.id, retake.id, second.id]
    assert [a.id for a in history.trend] == [first.id, second.id]
    assert (history.passed, history.best.id, history.latest.id) == (1, second.id, second.id)
    assert history.attempts[0].time_taken == timedelta(minutes=30)
    assert history.attempts[0].result.timed_out and not history.attempts[2].result.timed_out
    assert history.time_per_question == (timedelta(minutes=30 + 10)) / (20 + 20)  # as the trend: no retake
    assert learner.exam_history("SYN")[0].attempts == history.attempts


def test_exam_history_of_a_certification_without_attempts_is_empty(learner):
    assert learner.exam_history() == []
    (history,) = learner.exam_history("SYN")
    assert history.attempts == () and history.best is None and history.time_per_question is None


def test_the_migration_stores_whether_earlier_attempts_ran_out_of_time(tmp_path):
    from sqlite_utils import Database

    from opsprep.engine import open_store
    from opsprep.engine.migrations import MIGRATIONS

    path = tmp_path / "old.db"
    db = Database(path)
    MIGRATIONS.apply(db, stop_before="0008_exam_answer_time")
    db["learners"].insert({"id": 1, "name": "ada", "created_at": "2025-03-01T09:00:00.000000+00:00"})
    common = {"learner_id": 1, "cert": "c", "domains": "[]", "seed": 1, "question_count": 1, "minutes": 30}
    common |= {"passing_fraction": 0.7, "started_at": "2025-03-01T09:00:00.000000+00:00"}
    common |= {"deadline": "2025-03-01T09:30:00.000000+00:00"}
    db["exam_attempts"].insert_all(
        [
            {**common, "id": 1, "finished_at": "2025-03-01T09:30:00.000000+00:00"},
            {**common, "id": 2, "finished_at": "2025-03-01T09:10:00.000000+00:00"},
            {**common, "id": 3},
        ]
    )
    db.close()
    with open_store(path) as store:
        rows = store.rows("SELECT id, timed_out, retake_of FROM exam_attempts ORDER BY id")
    assert rows == [
        {"id": 1, "timed_out": 1, "retake_of": None},
        {"id": 2, "timed_out": 0, "retake_of": None},
        {"id": 3, "timed_out": None, "retake_of": None},
    ]
