"""A study session: one learner working through one scope, question by question.

>>> session = progress.learner(learner_id).session("CKA")                  # doctest: +SKIP
>>> card = session.next()                                                  # doctest: +SKIP
>>> result = session.submit(card, ["B"], response_ms=5300)                 # doctest: +SKIP

The pieces live in :mod:`.study_queue` (the next card, its presentation seed and the queue counts),
:mod:`.grading` (checking an answer without storing it), :mod:`.study_answers` (storing a graded,
rated answer in one transaction) and :mod:`.study_model` (the value objects).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from opsprep.questions import QuestionBank

from .items import resolve_scope
from .learners import get_learner
from .scheduling import Rating
from .store import Store
from .study_answers import submit_answer
from .study_model import AnswerResult, QueueCounts, StudyCard
from .study_queue import next_card, queue_counts


class StudySession:
    """One learner studying one scope: :func:`next_card`, :func:`submit_answer` and :func:`queue_counts` together."""

    def __init__(
        self, store: Store, bank: QuestionBank, learner_id: int, cert: str, domains: Iterable[str] = ()
    ) -> None:
        self.store = store
        self.bank = bank
        self.learner = get_learner(store, learner_id)
        self.scope = resolve_scope(bank, cert, domains)

    def next(self, *, now: datetime | None = None) -> StudyCard | None:
        """The next question, or None when the queue is empty."""
        return next_card(self.store, self.bank, self.learner.id, self.scope.cert, self.scope.domains, now=now)

    def submit(
        self,
        card: StudyCard,
        chosen: str | Iterable[str],
        response_ms: int | None = None,
        rating: Rating | int | str | None = None,
        *,
        now: datetime | None = None,
    ) -> AnswerResult:
        """Answer a card this session handed out."""
        return submit_answer(
            self.store, self.bank, self.learner.id, card.item.id, card.seed, chosen, response_ms, rating, now=now
        )

    def counts(self, *, now: datetime | None = None) -> QueueCounts:
        """What is waiting in this session's scope."""
        return queue_counts(self.store, self.bank, self.learner.id, self.scope.cert, self.scope.domains, now=now)
