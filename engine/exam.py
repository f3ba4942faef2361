"""Exam simulation: a timed, blueprint-weighted set of questions, scored overall and per domain.

An attempt is stored when it starts (questions, seeds, deadline), each answer, flag and stretch of time
on a question as it is given, and when (and whether because time ran out) it is finished, so an attempt
survives a closed browser and can be resumed until its deadline. Questions are drawn so that no two test
the same fact (:mod:`.exam_draw`); a finished attempt can be retaken, asking exactly what it missed.
Exam answers do not touch the learner's FSRS schedule.

How many questions, how long, the pass mark and which kinds of question come first are the certification's
:class:`.exam_shape.ExamShape`: a performance-based exam (CKA, CKAD) draws hands-on tasks first. A typed or
task question is answered with text, graded (and re-graded when it changes) as it is stored; a task scores
the share of its requirements met.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable
from datetime import datetime, timedelta

from opsprep.graph.catalog import Certification
from opsprep.questions import Presentation, QuestionBank, QuestionItem, present

from .clock import to_text, utc
from .errors import ExamClosed, InvalidAnswer, InvalidSettings, NoQuestions, NotAnExam, UnknownAttempt
from .exam_draw import draw_questions
from .exam_model import DomainScore, ExamAttempt, ExamQuestion, ExamResult, attempt_from_rows
from .exam_shape import ExamShape, exam_shape
from .grading import MAX_TYPED_CHARS, check_response_ms, check_typed, normalise_letters
from .items import resolve_scope
from .learners import get_learner
from .store import Store

MAX_QUESTIONS = 500
MAX_MINUTES = 24 * 60
#: a finish the page's countdown asked for counts as time running out within this much of the deadline
#: (the page's clock may reach zero a moment before the server's)
TIME_UP_GRACE = timedelta(seconds=10)

__all__ = [
    "DomainScore",
    "ExamAttempt",
    "ExamQuestion",
    "ExamResult",
    "ExamShape",
    "answer_exam_question",
    "answer_problem",
    "exam_question",
    "finish_exam",
    "flag",
    "get_attempt",
    "insert_attempt",
    "list_attempts",
    "record_time",
    "resume",
    "start_exam",
    "typed_answer",
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

    ``count`` and ``minutes`` default to the real exam's (its :class:`.exam_shape.ExamShape`, from the
    certification); with ``domains`` only those domains are drawn from, the count and time scaled to their
    share. Raises ``UnknownLearner``, ``UnknownCertification``, ``UnknownDomain``, ``InvalidSettings`` or
    ``NoQuestions`` before anything is written.
    """
    get_learner(store, learner_id)
    scope = resolve_scope(bank, cert, domains)
    plan = bank.catalog.certification(scope.cert)
    if not plan.is_exam:
        raise NotAnExam(f"{plan.title} is a study deck with no exam: study it instead.")
    shape = exam_shape(plan)
    share = sum(plan.domain(d).share for d in scope.domains) if domains else 1.0
    count = count if count is not None else max(1, round(shape.count * share))
    minutes = minutes if minutes is not None else max(1, round(shape.minutes * count / shape.count))
    if not 1 <= count <= MAX_QUESTIONS or not 1 <= minutes <= MAX_MINUTES:
        raise InvalidSettings(f"An exam has 1 to {MAX_QUESTIONS} questions and lasts 1 to {MAX_MINUTES} minutes.")
    seed = seed if seed is not None else random.SystemRandom().randrange(2**31)
    drawn = draw_questions(bank, plan, scope.domains, count, random.Random(seed), shape)
    if not drawn:
        raise NoQuestions(f"{plan.code} has no questions in the chosen domains yet.")
    attempt_id = insert_attempt(
        store, bank, learner_id, plan, scope.domains, seed, minutes, drawn, utc(now), passing_fraction=shape.pass_mark
    )
    return get_attempt(store, bank, learner_id, attempt_id)


def insert_attempt(
    store: Store,
    bank: QuestionBank,
    learner_id: int,
    plan: Certification,
    domains: tuple[str, ...],
    seed: int,
    minutes: int,
    drawn: list[tuple[str, int, str]],
    now: datetime,
    *,
    retake_of: int | None = None,
    passing_fraction: float | None = None,
) -> int:
    """Store a new attempt of ``drawn`` (item id, presentation seed, domain) questions in one transaction; its id.

    ``passing_fraction`` defaults to the pass mark of the certification's exam shape.
    """
    if passing_fraction is None:
        passing_fraction = exam_shape(plan).pass_mark
    with store.transaction() as db:
        attempt_id = (
            db["exam_attempts"]
            .insert(
                {
                    "learner_id": learner_id,
                    "cert": plan.iri,
                    "domains": json.dumps(list(domains)),
                    "seed": seed,
                    "question_count": len(drawn),
                    "minutes": minutes,
                    "passing_fraction": passing_fraction,
                    "score_scale_max": plan.score_scale_max,
                    "started_at": to_text(now),
                    "deadline": to_text(now + timedelta(minutes=minutes)),
                    "retake_of": retake_of,
                }
            )
            .last_pk
        )
        db.conn.executemany(
            "INSERT INTO exam_questions (attempt_id, position, item_id, seed, domain, options, flagged, time_ms)"
            " VALUES (?, ?, ?, ?, ?, ?, 0, 0)",
            [
                (attempt_id, position, item_id, q_seed, domain, _options(bank, item_id, q_seed))
                for position, (item_id, q_seed, domain) in enumerate(drawn, 1)
            ],
        )
    return attempt_id


def _options(bank: QuestionBank, item_id: str, seed: int) -> str:
    return json.dumps([o.key for o in present(bank.get(item_id), seed).options])  # typed questions: []


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

    The presentation marks the correct options (and a typed question's accepted forms and model answer):
    a front end shows that only once the attempt is finished.
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

    A choice question takes option letters; a typed or task question the learner's text (a string, graded
    as it is stored; blank text clears the answer). Raises ``ExamClosed`` once the attempt is finished or
    out of time, ``InvalidAnswer`` for letters that are not options, for fewer or more of them than the
    question asks for ("Choose TWO"), for letters sent to a typed question and for text longer than
    :data:`.grading.MAX_TYPED_CHARS`.
    """
    now = utc(now)
    response_ms = check_response_ms(response_ms)
    question = _open_attempt(store, bank, learner_id, attempt_id, now).question(position)
    item = bank.get(question.item_id)
    presentation = present(item, question.seed)
    if presentation.typed:
        text = typed_answer(chosen)
        verdict = None if text is None else check_typed(bank, item.id, question.seed, text)[1]
        row = {
            "chosen": None,
            "response": text,
            "verdict": None if verdict is None else json.dumps(verdict.to_dict()),
            "correct": None if verdict is None else int(verdict.correct),
        }
    else:
        empty = not chosen if not isinstance(chosen, str) else not chosen.strip()
        letters = () if empty else normalise_letters(presentation, chosen)
        problem = _count_problem(item, letters)
        if problem:
            raise InvalidAnswer(problem)
        correct = None if empty else set(letters) == set(presentation.correct_letters)
        row = {
            "chosen": json.dumps(list(letters)) if letters else None,
            "response": None,
            "verdict": None,
            "correct": None if correct is None else int(correct),
        }
    answered = row["chosen"] is not None or row["response"] is not None
    with store.transaction() as db:
        db.execute(
            "UPDATE exam_questions SET chosen = ?, response = ?, verdict = ?, correct = ?, answered_at = ?,"
            " response_ms = ? WHERE attempt_id = ? AND position = ?",
            [
                row["chosen"],
                row["response"],
                row["verdict"],
                row["correct"],
                to_text(now) if answered else None,
                response_ms,
                attempt_id,
                position,
            ],
        )
    return get_attempt(store, bank, learner_id, attempt_id).question(position)


def typed_answer(text: str | Iterable[str]) -> str | None:
    """The text of a typed exam answer as it is stored, or None for blank text (the question unanswered).

    Raises ``InvalidAnswer`` for anything but a string (option letters sent to a typed question) and for
    text longer than :data:`.grading.MAX_TYPED_CHARS`.
    """
    if not isinstance(text, str):
        if not text:  # no letters at all: the same as blank text
            return None
        raise InvalidAnswer("This question is answered by typing: type the answer instead of choosing options.")
    if len(text) > MAX_TYPED_CHARS:
        raise InvalidAnswer(_too_long(text))
    return text if text.strip() else None


def _too_long(text: str) -> str:
    return f"That answer is {len(text):,} characters long; at most {MAX_TYPED_CHARS:,} are accepted. Nothing was saved."


def answer_problem(
    store: Store, bank: QuestionBank, learner_id: int, attempt_id: int, position: int, chosen: str | Iterable[str]
) -> str | None:
    """What stops ``chosen`` from being stored as the answer to a question (None when nothing does).

    That is a number of options other than the question asks for, or a typed answer that is too long; no
    options at all (or blank text) is fine: it leaves the question unanswered. Raises ``InvalidAnswer``
    for letters that are not options or sent to a typed question.
    """
    question = get_attempt(store, bank, learner_id, attempt_id).question(position)
    item = bank.get(question.item_id)
    presentation = present(item, question.seed)
    if presentation.typed:
        if isinstance(chosen, str) and len(chosen) > MAX_TYPED_CHARS:
            return _too_long(chosen)
        typed_answer(chosen)
        return None
    empty = not chosen if not isinstance(chosen, str) else not chosen.strip()
    return None if empty else _count_problem(item, normalise_letters(presentation, chosen))


def _count_problem(item: QuestionItem, letters: tuple[str, ...]) -> str | None:
    if not letters or len(letters) == item.answer_count:
        return None
    wanted = "one option" if item.answer_count == 1 else f"{item.answer_count} options"
    return f"Choose {wanted} (or none, to leave the question unanswered); nothing was saved."


def record_time(
    store: Store,
    bank: QuestionBank,
    learner_id: int,
    attempt_id: int,
    position: int,
    time_ms: int,
    *,
    now: datetime | None = None,
) -> ExamQuestion:
    """Add ``time_ms`` milliseconds to the time a question of an open attempt has been on screen.

    Raises ``ExamClosed`` once the attempt is finished or out of time, ``InvalidAnswer`` for a time below
    zero or longer than the attempt.
    """
    attempt = _open_attempt(store, bank, learner_id, attempt_id, utc(now))
    attempt.question(position)
    longest = attempt.minutes * 60_000
    if isinstance(time_ms, bool) or not isinstance(time_ms, int) or not 0 <= time_ms <= longest:
        raise InvalidAnswer(
            f"Time on a question must be a number of milliseconds from 0 to {longest}, not {time_ms!r}."
        )
    with store.transaction() as db:
        db.execute(
            "UPDATE exam_questions SET time_ms = COALESCE(time_ms, 0) + ? WHERE attempt_id = ? AND position = ?",
            [time_ms, attempt_id, position],
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
    store: Store,
    bank: QuestionBank,
    learner_id: int,
    attempt_id: int,
    *,
    time_up: bool = False,
    now: datetime | None = None,
) -> ExamAttempt:
    """Close an attempt, which scores it (unanswered questions count as wrong); finishing twice changes nothing.

    The attempt is stored as timed out when it is finished at or after its deadline, or when ``time_up``
    says the countdown ran out and the deadline is at most :data:`TIME_UP_GRACE` away (the result says
    so). The score and pass/fail are not stored: :attr:`ExamAttempt.result` derives them from the answers.
    """
    now = utc(now)
    attempt = get_attempt(store, bank, learner_id, attempt_id)
    if attempt.finished:
        return attempt
    timed_out = now >= attempt.deadline or (time_up and attempt.deadline - now <= TIME_UP_GRACE)
    with store.transaction() as db:
        db.execute(
            "UPDATE exam_attempts SET finished_at = ?, timed_out = ? WHERE id = ? AND finished_at IS NULL",
            [to_text(now), int(timed_out), attempt_id],
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
