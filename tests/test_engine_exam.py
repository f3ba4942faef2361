"""Exam simulation: catalog weights, timing, answers, flags, scoring per domain, pass/fail, resuming."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opsprep.engine import ExamClosed, InvalidAnswer, InvalidSettings, UnknownAttempt, UnknownCertification
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
        chosen = p.correct_letters if q.position <= right else [next(o.letter for o in p.options if not o.correct)]
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
    wrong = next(o.letter for o in p.options if not o.correct)
    assert learner.answer_exam(attempt.id, 1, [wrong], now=NOW).correct is False
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
