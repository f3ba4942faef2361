"""A learner's exam history per certification: the finished attempts, the score trend, pass or fail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from opsprep.questions import QuestionBank

from .exam import list_attempts
from .exam_model import ExamAttempt
from .store import Store

__all__ = ["CertHistory", "exam_history"]


@dataclass(frozen=True)
class CertHistory:
    """The finished exam attempts of one certification, oldest first.

    Retakes of the questions an attempt missed are listed with the others but left out of the trend:
    they ask only what went wrong before, so their scores do not compare with a drawn exam's.
    """

    cert: str  # IRI
    code: str
    title: str
    attempts: tuple[ExamAttempt, ...]

    @property
    def trend(self) -> tuple[ExamAttempt, ...]:
        """The attempts drawn from the blueprint (no retakes), oldest first."""
        return tuple(a for a in self.attempts if a.retake_of is None)

    @property
    def passed(self) -> int:
        """How many of the trend's attempts reached the passing mark."""
        return sum(a.result.passed for a in self.trend if a.result)

    @property
    def best(self) -> ExamAttempt | None:
        """The trend's attempt with the highest score (the earliest of equals), or None."""
        return max(self.trend, key=lambda a: a.result.fraction if a.result else 0.0, default=None)

    @property
    def latest(self) -> ExamAttempt | None:
        """The trend's newest attempt, or None."""
        return self.trend[-1] if self.trend else None

    @property
    def time_per_question(self) -> timedelta | None:
        """The time taken per question over the trend's attempts, as the summary counts them (retakes left
        out; None without attempts)."""
        questions = sum(len(a.questions) for a in self.trend)
        taken = sum((a.time_taken or timedelta(0) for a in self.trend), timedelta(0))
        return taken / questions if questions else None


def exam_history(store: Store, bank: QuestionBank, learner_id: int, cert: str | None = None) -> list[CertHistory]:
    """The learner's finished attempts per certification (only ``cert``, if given), in catalog order.

    A certification without finished attempts is left out, unless it is the one asked for.
    """
    finished = [a for a in list_attempts(store, bank, learner_id, cert) if a.finished]
    finished.sort(key=lambda a: (a.started_at, a.id))
    plans = [bank.catalog.certification(cert)] if cert is not None else [p for p in bank.catalog if p.is_exam]
    out = []
    for plan in plans:
        mine = tuple(a for a in finished if a.cert == plan.iri)
        if mine or cert is not None:
            out.append(CertHistory(plan.iri, plan.code, plan.title, mine))
    return out
