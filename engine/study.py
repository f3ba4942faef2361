"""A study session: one learner working through one scope, question by question.

>>> session = progress.learner(learner_id).session("CKA")                  # doctest: +SKIP
>>> card = session.next()                                                  # doctest: +SKIP
>>> result = session.submit(card, ["B"], response_ms=5300, rate_later=True)  # doctest: +SKIP
>>> result = session.rate(card, "easy")                                     # doctest: +SKIP
>>> session.summary().describe()                                            # doctest: +SKIP
'Answered 1, 1 right in under a minute. Coming back: 1 within a month.'

A question answered by typing (``card.presentation.typed``) is submitted with the text typed, and its
result carries the verdict: ``session.submit(card, "kubectl rollout undo deployment/web").verdict``.

The pieces live in :mod:`.study_queue` (the next card and its presentation seed), :mod:`.study_counts`
(what the queue holds), :mod:`.grading` (checking an answer without storing it), :mod:`.study_answers`
(storing a graded, rated answer in one transaction), :mod:`.study_ratings` (a rating given after the answer
was stored), :mod:`.study_undo` (taking an answer back), :mod:`.study_sessions` (summaries) and
:mod:`.study_model` (the value objects).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from opsprep.questions import QuestionBank

from .clock import utc
from .items import resolve_scope
from .learners import get_learner
from .scheduling import Rating
from .store import Store
from .study_answers import submit_answer
from .study_counts import queue_counts
from .study_model import AnswerResult, QueueCounts, SessionSummary, StudyCard
from .study_queue import next_card
from .study_ratings import keep_rating, rate_answer
from .study_sessions import session_summary
from .study_undo import undo_answer, undone_card


class StudySession:
    """One learner studying one scope: :func:`next_card`, :func:`submit_answer` and :func:`queue_counts` together."""

    def __init__(
        self, store: Store, bank: QuestionBank, learner_id: int, cert: str, domains: Iterable[str] = ()
    ) -> None:
        self.store = store
        self.bank = bank
        self.learner = get_learner(store, learner_id)
        self.scope = resolve_scope(bank, cert, domains)
        self.started: datetime | None = None  # when the first question answered in this session was shown

    def next(self, *, now: datetime | None = None, mode: str | None = None) -> StudyCard | None:
        """The next question (an answer undone lately first; in a study ``mode``, the mode's), or None when
        the queue is empty."""
        undone = undone_card(self.store, self.bank, self.learner.id, self.scope.cert, self.scope.domains, now=now)
        if undone is not None:
            return undone
        return next_card(
            self.store, self.bank, self.learner.id, self.scope.cert, self.scope.domains, now=now, mode=mode
        )

    def submit(
        self,
        card: StudyCard,
        chosen: str | Iterable[str],
        response_ms: int | None = None,
        rating: Rating | int | str | None = None,
        *,
        now: datetime | None = None,
        mode: str | None = None,
        rate_later: bool = False,
    ) -> AnswerResult:
        """Answer a card this session handed out (``rate_later``: keep the default rating until :meth:`rate`).

        ``chosen`` is the option letters, or for a card whose presentation is typed the learner's text
        (the result then carries its ``verdict``).
        """
        now = utc(now)
        if self.started is None:
            self.started = now - timedelta(milliseconds=response_ms or 0)
        return submit_answer(
            self.store,
            self.bank,
            self.learner.id,
            card.item.id,
            card.seed,
            chosen,
            response_ms,
            rating,
            now=now,
            mode=mode,
            rate_later=rate_later,
            cert=self.scope.cert,
        )

    def rate(
        self, card: StudyCard, rating: Rating | int | str | None, *, now: datetime | None = None
    ) -> AnswerResult | None:
        """Rate an answer stored with ``rate_later``: its review is amended and its schedule re-run."""
        return rate_answer(self.store, self.bank, self.learner.id, card.item.id, card.seed, rating, now=now)

    def keep_rating(self, card: StudyCard, *, now: datetime | None = None) -> AnswerResult | None:
        """Keep the default rating of an answer stored with ``rate_later`` (left without a rating)."""
        return keep_rating(self.store, self.bank, self.learner.id, card.item.id, card.seed, now=now)

    def undo(self, card: StudyCard, *, now: datetime | None = None) -> AnswerResult | None:
        """Take back the answer to ``card`` (see :mod:`.study_undo`); :meth:`next` asks it again."""
        return undo_answer(self.store, self.bank, self.learner.id, card.item.id, card.seed, now=now)

    def summary(self, *, now: datetime | None = None) -> SessionSummary:
        """What this session did so far: answered, right, time, when its questions come back."""
        if self.started is None:
            return SessionSummary(cert=self.scope.cert, answered=0, right=0, started_at=None, last_at=None)
        return session_summary(self.store, self.bank, self.learner.id, self.scope.cert, since=self.started, now=now)

    def counts(self, *, now: datetime | None = None, mode: str | None = None) -> QueueCounts:
        """What is waiting in this session's scope (on the schedule, or what a study ``mode`` still serves)."""
        return queue_counts(
            self.store, self.bank, self.learner.id, self.scope.cert, self.scope.domains, now=now, mode=mode
        )
