"""Exam attempts as values: questions with their answers, the result and its per-domain scores.

A question scores from 0 to 1: a choice question 1 when right, a typed answer 1 when it matches an accepted
form, a task the share of its requirements met (partial credit, as the performance-based exams score
them). An attempt's score is the mean over its questions, a domain's the mean over its questions.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from opsprep.questions import QuestionBank, Verdict

from .clock import from_text, to_text, utc


@dataclass(frozen=True)
class ExamQuestion:
    """One question of an attempt and what the learner did with it."""

    position: int  # 1-based
    item_id: str
    seed: int
    domain: str
    chosen: tuple[str, ...] = ()
    correct: bool | None = None  # None while unanswered
    flagged: bool = False
    answered_at: datetime | None = None
    response_ms: int | None = None
    time_ms: int | None = None  # how long it was on screen, over every visit (None: not measured)
    response: str | None = None  # a typed or task question: the text the learner gave
    verdict: Verdict | None = None  # and how it was graded

    @property
    def answered(self) -> bool:
        """True once an option is chosen or a typed answer given."""
        return bool(self.chosen) or bool(self.response)

    @property
    def score(self) -> float:
        """What the question scores, 0 to 1: a task the share of its requirements met, any other question
        1 when right; 0 while unanswered."""
        if self.verdict is not None:
            return min(max(self.verdict.score, 0.0), 1.0)
        return 1.0 if self.correct else 0.0

    @property
    def requirements_met(self) -> tuple[int, int] | None:
        """A task's (requirements met, requirements) once answered; None for any other question."""
        if self.verdict is None or not self.verdict.results:
            return None
        return sum(r.met for r in self.verdict.results), len(self.verdict.results)

    @property
    def time(self) -> timedelta | None:
        """How long the question was on screen, over every visit (None when not measured)."""
        return None if self.time_ms is None else timedelta(milliseconds=self.time_ms)

    def to_dict(self) -> dict:
        """JSON-ready dict."""
        return {
            **self.__dict__,
            "chosen": list(self.chosen),
            "answered_at": to_text(self.answered_at),
            "verdict": None if self.verdict is None else self.verdict.to_dict(),
            "score": self.score,
        }


@dataclass(frozen=True)
class DomainScore:
    """The score in one exam domain: ``correct`` questions wholly right, ``points`` their scores summed."""

    domain: str
    label: str
    correct: int
    total: int
    points: float | None = None  # None: the same as ``correct`` (no partial credit)

    @property
    def fraction(self) -> float:
        """The mean score of the domain's questions (0 when it had none)."""
        points = self.correct if self.points is None else self.points
        return points / self.total if self.total else 0.0

    def to_dict(self) -> dict:
        """JSON-ready dict."""
        return {**self.__dict__, "fraction": self.fraction}


@dataclass(frozen=True)
class ExamResult:
    """The score of a finished attempt, against the certification's passing mark."""

    correct: int  # questions wholly right
    total: int
    passing_fraction: float
    score_scale_max: float | None
    domains: tuple[DomainScore, ...]
    timed_out: bool  # the attempt ended because its time ran out (stored when it was finished)
    points: float | None = None  # the questions' scores summed (partial credit); None: the same as ``correct``

    @property
    def score(self) -> float:
        """The questions' scores summed: ``correct`` plus the partial credit of tasks not wholly right."""
        return float(self.correct) if self.points is None else self.points

    @property
    def fraction(self) -> float:
        """The mean score over the questions, 0 to 1."""
        return self.score / self.total if self.total else 0.0

    @property
    def partial(self) -> bool:
        """True when some question scored partial credit (the score is not a whole number of questions)."""
        return self.points is not None and abs(self.points - self.correct) > 1e-9

    @property
    def scaled_score(self) -> float | None:
        """The score on the exam's scale (linear, so an estimate for exams with scaled scoring)."""
        return None if self.score_scale_max is None else round(self.fraction * self.score_scale_max)

    @property
    def passed(self) -> bool:
        """True when the score reaches the passing mark."""
        return self.fraction >= self.passing_fraction - 1e-9

    def to_dict(self) -> dict:
        """JSON-ready dict."""
        return {
            "correct": self.correct,
            "total": self.total,
            "points": self.score,
            "fraction": self.fraction,
            "scaled_score": self.scaled_score,
            "passing_fraction": self.passing_fraction,
            "score_scale_max": self.score_scale_max,
            "passed": self.passed,
            "timed_out": self.timed_out,
            "domains": [d.to_dict() for d in self.domains],
        }


@dataclass(frozen=True)
class ExamAttempt:
    """A simulated exam: its questions, its clock and, once finished, its result."""

    id: int
    learner_id: int
    cert: str
    domains: tuple[str, ...]
    seed: int
    minutes: int
    passing_fraction: float
    score_scale_max: float | None
    started_at: datetime
    deadline: datetime
    finished_at: datetime | None
    questions: tuple[ExamQuestion, ...]
    result: ExamResult | None = None
    retake_of: int | None = None  # the attempt whose wrong answers this one asks again

    @property
    def finished(self) -> bool:
        """True once scored."""
        return self.finished_at is not None

    @property
    def time_taken(self) -> timedelta | None:
        """From the start to the finish, at most the time allowed (None while open)."""
        if self.finished_at is None:
            return None
        return max(min(self.finished_at, self.deadline) - self.started_at, timedelta(0))

    @property
    def time_per_question(self) -> timedelta | None:
        """The time taken shared over the questions (None while open)."""
        taken = self.time_taken
        return None if taken is None or not self.questions else taken / len(self.questions)

    @property
    def missed(self) -> tuple[ExamQuestion, ...]:
        """The questions answered wrongly or not answered (empty while the attempt is open)."""
        return tuple(q for q in self.questions if q.correct is not True) if self.finished else ()

    def remaining(self, now: datetime | None = None) -> timedelta:
        """Time left (zero once finished or out of time)."""
        if self.finished:
            return timedelta(0)
        return max(self.deadline - utc(now), timedelta(0))

    def question(self, position: int) -> ExamQuestion:
        """The question at a 1-based position; raises ``IndexError``."""
        if not 1 <= position <= len(self.questions):
            raise IndexError(f"This exam has questions 1 to {len(self.questions)}, not {position}.")
        return self.questions[position - 1]

    @property
    def answered(self) -> int:
        """How many questions have an answer."""
        return sum(q.answered for q in self.questions)

    @property
    def flagged(self) -> tuple[int, ...]:
        """Positions flagged for review."""
        return tuple(q.position for q in self.questions if q.flagged)

    def to_dict(self) -> dict:
        """JSON-ready dict (correctness, verdict and score of each question only once finished)."""
        questions = [q.to_dict() for q in self.questions]
        if not self.finished:
            for q in questions:
                q["correct"] = q["verdict"] = q["score"] = None
        return {
            "id": self.id,
            "learner_id": self.learner_id,
            "cert": self.cert,
            "domains": list(self.domains),
            "seed": self.seed,
            "minutes": self.minutes,
            "passing_fraction": self.passing_fraction,
            "score_scale_max": self.score_scale_max,
            "started_at": to_text(self.started_at),
            "deadline": to_text(self.deadline),
            "finished_at": to_text(self.finished_at),
            "retake_of": self.retake_of,
            "timed_out": None if self.result is None else self.result.timed_out,
            "questions": questions,
            "result": None if self.result is None else self.result.to_dict(),
        }


def attempt_from_rows(row: dict, question_rows: list[dict], bank: QuestionBank) -> ExamAttempt:
    """An attempt from its ``exam_attempts`` row and its ``exam_questions`` rows (labels from ``bank``)."""
    questions = tuple(
        ExamQuestion(
            position=q["position"],
            item_id=q["item_id"],
            seed=q["seed"],
            domain=q["domain"],
            chosen=tuple(json.loads(q["chosen"])) if q["chosen"] else (),
            correct=None if q["correct"] is None else bool(q["correct"]),
            flagged=bool(q["flagged"]),
            answered_at=from_text(q["answered_at"]),
            response_ms=q["response_ms"],
            time_ms=q.get("time_ms"),
            response=q.get("response"),
            verdict=Verdict.from_dict(json.loads(q["verdict"])) if q.get("verdict") else None,
        )
        for q in question_rows
    )
    attempt = ExamAttempt(
        id=row["id"],
        learner_id=row["learner_id"],
        cert=row["cert"],
        domains=tuple(json.loads(row["domains"])),
        seed=row["seed"],
        minutes=row["minutes"],
        passing_fraction=row["passing_fraction"],
        score_scale_max=row["score_scale_max"],
        started_at=from_text(row["started_at"]),
        deadline=from_text(row["deadline"]),
        finished_at=from_text(row["finished_at"]),
        questions=questions,
        retake_of=row.get("retake_of"),
    )
    if attempt.finished:
        stored = row.get("timed_out")
        attempt = _with_result(
            attempt, bank, bool(stored) if stored is not None else row["finished_at"] >= row["deadline"]
        )
    return attempt


def _with_result(attempt: ExamAttempt, bank: QuestionBank, timed_out: bool) -> ExamAttempt:
    titles = {d.iri: d.title for d in bank.catalog.certification(attempt.cert).domains}
    scores: dict[str, list] = {d: [0, 0, 0.0] for d in attempt.domains}  # right, questions, points
    for q in attempt.questions:
        tally = scores.setdefault(q.domain, [0, 0, 0.0])
        tally[0] += bool(q.correct)
        tally[1] += 1
        tally[2] += q.score
    result = ExamResult(
        correct=sum(bool(q.correct) for q in attempt.questions),
        total=len(attempt.questions),
        passing_fraction=attempt.passing_fraction,
        score_scale_max=attempt.score_scale_max,
        domains=tuple(DomainScore(d, titles.get(d, d), c, t, p) for d, (c, t, p) in scores.items()),
        timed_out=timed_out,
        points=sum(q.score for q in attempt.questions),
    )
    return ExamAttempt(**{**attempt.__dict__, "result": result})
