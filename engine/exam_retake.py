"""Retaking an exam: a new attempt of exactly the questions a finished one got wrong or left unanswered."""

from __future__ import annotations

import math
import random
from datetime import datetime

from opsprep.questions import QuestionBank

from .clock import utc
from .errors import ExamClosed, NoQuestions
from .exam import MAX_MINUTES, get_attempt, insert_attempt
from .exam_model import ExamAttempt
from .store import Store

__all__ = ["retake_exam", "retake_minutes"]


def retake_exam(
    store: Store,
    bank: QuestionBank,
    learner_id: int,
    attempt_id: int,
    *,
    seed: int | None = None,
    now: datetime | None = None,
) -> ExamAttempt:
    """Start a new attempt of exactly the questions a finished attempt got wrong or left unanswered.

    The questions come in a new order with their options drawn afresh; the time allowed is the finished
    attempt's time per question (rounded up to whole minutes) times their number, the pass mark its pass
    mark. A task that met only some of its requirements counts as missed. Raises
    ``UnknownAttempt``, ``ExamClosed`` (the attempt is not finished yet) or ``NoQuestions`` (nothing was
    missed, or the bank no longer has those questions) before anything is written.
    """
    source = get_attempt(store, bank, learner_id, attempt_id)
    if not source.finished:
        raise ExamClosed(f"Exam attempt {attempt_id} is not finished yet: finish it, then retake what you missed.")
    missed = [q for q in source.missed if q.item_id in bank.by_id]
    if not source.missed:
        raise NoQuestions(f"Exam attempt {attempt_id} got every question right: there is nothing to retake.")
    if not missed:
        raise NoQuestions(
            f"The questions exam attempt {attempt_id} missed are no longer in the question bank: nothing to retake."
        )
    plan = bank.catalog.certification(source.cert)
    minutes = retake_minutes(source, len(missed))
    seed = seed if seed is not None else random.SystemRandom().randrange(2**31)
    rng = random.Random(seed)
    rng.shuffle(missed)
    drawn = [(q.item_id, rng.randrange(2**31), q.domain) for q in missed]
    new_id = insert_attempt(
        store,
        bank,
        learner_id,
        plan,
        source.domains,
        seed,
        minutes,
        drawn,
        utc(now),
        retake_of=source.id,
        passing_fraction=source.passing_fraction,
    )
    return get_attempt(store, bank, learner_id, new_id)


def retake_minutes(attempt: ExamAttempt, count: int) -> int:
    """The minutes a retake of ``count`` of the attempt's questions allows: the attempt's time per question
    times ``count``, rounded up (at least one minute)."""
    return min(max(1, math.ceil(attempt.minutes * count / max(len(attempt.questions), 1))), MAX_MINUTES)
