"""Exam simulation: a timed, blueprint-weighted set of questions, scored overall and per domain.

An attempt is stored when it starts (questions, seeds, deadline), each answer and flag as it is
given, and the score when it is finished, so an attempt survives a closed browser and can be
resumed until its deadline. Exam answers do not touch the learner's FSRS schedule.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable
from datetime import datetime, timedelta

from opsprep.graph.catalog import Certification
from opsprep.questions import Presentation, QuestionBank, present

from .allocation import allocate
from .clock import to_text, utc
from .errors import ExamClosed, InvalidSettings, NoQuestions, NotAnExam, UnknownAttempt
from .exam_model import DomainScore, ExamAttempt, ExamQuestion, ExamResult, attempt_from_rows
from .grading import check_response_ms, normalise_letters
from .items import resolve_scope
from .learners import get_learner
from .store import Store

MAX_QUESTIONS = 500
MAX_MINUTES = 24 * 60

__all__ = [
    "DomainScore",
    "ExamAttempt",
    "ExamQuestion",
    "ExamResult",
    "answer_exam_question",
    "exam_question",
    "finish_exam",
    "flag",
    "get_attempt",
    "list_attempts",
    "resume",
    "start_exam",
]


def start_exam(
    store: Store,
    bank: QuestionBank,
    learner_id: int,
    cert: str,
    domains: Iterable[str] = (),
    *,
    count: int | None = None,
    minutes: int | None = None,
    seed: int | None = None,
    now: datetime | None = None,
) -> ExamAttempt:
    """Start a simulated exam: questions drawn per domain in proportion to the blueprint, in mixed order.

    ``count`` and ``minutes`` default to the real exam's (see :class:`opsprep.graph.catalog.Certification`);
    with ``domains`` only those domains are drawn from, the count and time scaled to their share.
    Raises ``UnknownLearner``, ``UnknownCertification``, ``UnknownDomain``, ``InvalidSettings`` or
    ``NoQuestions`` before anything is written.
    """
    get_learner(store, learner_id)
    scope = resolve_scope(bank, cert, domains)
    plan = bank.catalog.certification(scope.cert)
    if not plan.is_exam:
        raise NotAnExam(f"{plan.title} is a study deck with no exam: study it instead.")
    share = sum(plan.domain(d).share for d in scope.domains) if domains else 1.0
    count = count if count is not None else max(1, round(plan.question_count * share))
    minutes = minutes if minutes is not None else max(1, round(plan.minutes * count / plan.question_count))
    if not 1 <= count <= MAX_QUESTIONS or not 1 <= minutes <= MAX_MINUTES:
        raise InvalidSettings(f"An exam has 1 to {MAX_QUESTIONS} questions and lasts 1 to {MAX_MINUTES} minutes.")
    seed = seed if seed is not None else random.SystemRandom().randrange(2**31)
    drawn = _draw(bank, plan, scope.domains, count, random.Random(seed))
    if not drawn:
        raise NoQuestions(f"{plan.code} has no questions in the chosen domains yet.")
    now = utc(now)
    with store.transaction() as db:
        attempt_id = (
            db["exam_attempts"]
            .insert(
                {
                    "learner_id": learner_id,
                    "cert": scope.cert,
                    "domains": json.dumps(list(scope.domains)),
                    "seed": seed,
                    "question_count": len(drawn),
                    "minutes": minutes,
                    "passing_fraction": plan.passing_fraction,
                    "score_scale_max": plan.score_scale_max,
                    "started_at": to_text(now),
                    "deadline": to_text(now + timedelta(minutes=minutes)),
                }
            )
            .last_pk
        )
        db.conn.executemany(
            "INSERT INTO exam_questions (attempt_id, position, item_id, seed, domain, options, flagged)"
            " VALUES (?, ?, ?, ?, ?, ?, 0)",
            [
                (attempt_id, position, item_id, q_seed, domain, _options(bank, item_id, q_seed))
                for position, (item_id, q_seed, domain) in enumerate(drawn, 1)
            ],
        )
    return get_attempt(store, bank, learner_id, attempt_id)


def _options(bank: QuestionBank, item_id: str, seed: int) -> str:
    return json.dumps([o.key for o in present(bank.get(item_id), seed).options])


def _draw(
    bank: QuestionBank, plan: Certification, domains: tuple[str, ...], count: int, rng: random.Random
) -> list[tuple[str, int, str]]:
    """(item id, presentation seed, domain) for each question, no item twice, shuffled."""
    pools = {d: [item.id for item in bank.for_certification(plan, [d])] for d in domains}
    wanted = allocate(count, {d: plan.domain(d).share for d in domains}, {d: len(p) for d, p in pools.items()})
    used: set[str] = set()
    drawn: list[tuple[str, str]] = []
    for domain in sorted(domains, key=lambda d: len(pools[d])):  # scarce domains first
        fresh = [i for i in pools[domain] if i not in used]
        for item_id in rng.sample(fresh, min(wanted[domain], len(fresh))):
            used.add(item_id)
            drawn.append((item_id, domain))
    rng.shuffle(drawn)
    return [(item_id, rng.randrange(2**31), domain) for item_id, domain in drawn]


def get_attempt(store: Store, bank: QuestionBank, learner_id: int, attempt_id: int) -> ExamAttempt:
    """One of the learner's attempts; raises ``UnknownAttempt`` (also for another learner's)."""
    in_range = isinstance(attempt_id, int) and 0 < attempt_id < 2**63  # SQLite's integers
    row = in_range and store.row(
        "SELECT * FROM exam_attempts WHERE id = ? AND learner_id = ?", [attempt_id, learner_id]
    )
    if not row:
        raise UnknownAttempt(
            f"There is no exam attempt {attempt_id!r} of yours; the list of your exams shows them all."
        )
    rows = store.rows("SELECT * FROM exam_questions WHERE attempt_id = ? ORDER BY position", [attempt_id])
    return attempt_from_rows(row, rows, bank)


def _open_attempt(store: Store, bank: QuestionBank, learner_id: int, attempt_id: int, now: datetime) -> ExamAttempt:
    attempt = get_attempt(store, bank, learner_id, attempt_id)
    if attempt.finished:
        raise ExamClosed(f"Exam attempt {attempt_id} is finished; start a new one.")
    if now >= attempt.deadline:
        raise ExamClosed(f"Time is up for exam attempt {attempt_id}; finish it to see the score.")
    return attempt


def exam_question(
    store: Store, bank: QuestionBank, learner_id: int, attempt_id: int, position: int
) -> tuple[ExamQuestion, Presentation]:
    """A question of an attempt and its presentation (the same options every time it is shown).

    The presentation marks the correct options: a front end shows that only once the attempt is finished.
    """
    question = get_attempt(store, bank, learner_id, attempt_id).question(position)
    return question, present(bank.get(question.item_id), question.seed)


def answer_exam_question(
    store: Store,
    bank: QuestionBank,
    learner_id: int,
    attempt_id: int,
    position: int,
    chosen: str | Iterable[str],
    response_ms: int | None = None,
    *,
    now: datetime | None = None,
) -> ExamQuestion:
    """Record (or change, or with an empty ``chosen`` clear) the answer to one question of an open attempt.

    Raises ``ExamClosed`` once the attempt is finished or out of time, ``InvalidAnswer`` for letters
    that are not options.
    """
    now = utc(now)
    response_ms = check_response_ms(response_ms)
    question = _open_attempt(store, bank, learner_id, attempt_id, now).question(position)
    presentation = present(bank.get(question.item_id), question.seed)
    empty = not chosen if not isinstance(chosen, str) else not chosen.strip()
    letters = () if empty else normalise_letters(presentation, chosen)
    correct = None if empty else set(letters) == set(presentation.correct_letters)
    with store.transaction() as db:
        db.execute(
            "UPDATE exam_questions SET chosen = ?, correct = ?, answered_at = ?, response_ms = ?"
            " WHERE attempt_id = ? AND position = ?",
            [
                json.dumps(list(letters)) if letters else None,
                None if correct is None else int(correct),
                None if empty else to_text(now),
                response_ms,
                attempt_id,
                position,
            ],
        )
    return get_attempt(store, bank, learner_id, attempt_id).question(position)


def flag(
    store: Store,
    bank: QuestionBank,
    learner_id: int,
    attempt_id: int,
    position: int,
    flagged: bool = True,
    *,
    now: datetime | None = None,
) -> ExamQuestion:
    """Mark (or unmark) a question of an open attempt for review before finishing."""
    _open_attempt(store, bank, learner_id, attempt_id, utc(now)).question(position)
    with store.transaction() as db:
        db.execute(
            "UPDATE exam_questions SET flagged = ? WHERE attempt_id = ? AND position = ?",
            [int(flagged), attempt_id, position],
        )
    return get_attempt(store, bank, learner_id, attempt_id).question(position)


def finish_exam(
    store: Store, bank: QuestionBank, learner_id: int, attempt_id: int, *, now: datetime | None = None
) -> ExamAttempt:
    """Close an attempt, which scores it (unanswered questions count as wrong); finishing twice changes nothing.

    The score and pass/fail are not stored: :attr:`ExamAttempt.result` derives them from the answers.
    """
    now = utc(now)
    attempt = get_attempt(store, bank, learner_id, attempt_id)
    if attempt.finished:
        return attempt
    with store.transaction() as db:
        db.execute(
            "UPDATE exam_attempts SET finished_at = ? WHERE id = ? AND finished_at IS NULL", [to_text(now), attempt_id]
        )
    return get_attempt(store, bank, learner_id, attempt_id)


def resume(
    store: Store, bank: QuestionBank, learner_id: int, cert: str | None = None, *, now: datetime | None = None
) -> ExamAttempt | None:
    """The learner's newest open attempt (for a certification, if given) that still has time left.

    Attempts whose time ran out are finished (scored) on the way, so they show up in the history.
    """
    get_learner(store, learner_id)
    now = utc(now)
    cert_iri = None if cert is None else bank.catalog.certification(cert).iri
    open_ids = [
        r["id"]
        for r in store.rows(
            "SELECT id, cert FROM exam_attempts WHERE learner_id = ? AND finished_at IS NULL ORDER BY started_at DESC",
            [learner_id],
        )
        if cert_iri is None or r["cert"] == cert_iri
    ]
    for attempt_id in open_ids:
        attempt = get_attempt(store, bank, learner_id, attempt_id)
        if now < attempt.deadline:
            return attempt
        finish_exam(store, bank, learner_id, attempt_id, now=now)
    return None


def list_attempts(store: Store, bank: QuestionBank, learner_id: int, cert: str | None = None) -> list[ExamAttempt]:
    """The learner's attempts (for a certification, if given), newest first."""
    get_learner(store, learner_id)
    cert_iri = None if cert is None else bank.catalog.certification(cert).iri
    rows = store.rows(
        "SELECT id, cert FROM exam_attempts WHERE learner_id = ? ORDER BY started_at DESC, id DESC", [learner_id]
    )
    return [get_attempt(store, bank, learner_id, r["id"]) for r in rows if cert_iri is None or r["cert"] == cert_iri]
