"""Spaced repetition, study sessions, exam simulation and the progress store.

>>> from opsprep.graph import default_graph
>>> from opsprep.questions import build_bank
>>> from opsprep.engine import open_store, create_learner, next_card, submit_answer
>>> bank = build_bank(default_graph())                                      # doctest: +SKIP
>>> store = open_store("progress.db")                                       # doctest: +SKIP
>>> learner = create_learner(store, "ada")                                  # doctest: +SKIP
>>> card = next_card(store, bank, learner.id, "CKA")                        # doctest: +SKIP
>>> result = submit_answer(store, bank, learner.id, card.item.id, card.seed, ["B"], response_ms=4200)  # doctest: +SKIP
>>> result.correct, result.rating, result.due                               # doctest: +SKIP

Modules: :mod:`.store` (open and migrate the SQLite file), :mod:`.learners`, :mod:`.scheduling`
(FSRS-6 through ``fsrs``), :mod:`.study` (over :mod:`.study_queue`,
:mod:`.grading` and :mod:`.study_answers`), :mod:`.exam`, :mod:`.readiness`, :mod:`.history`
(review log, replay with new parameters, CSV export for the FSRS optimizer), :mod:`.blueprint`.
None of them imports Flask or click.
"""

from .blueprint import Blueprint, DomainWeight, blueprint
from .errors import (
    EngineError,
    ExamClosed,
    InvalidAnswer,
    InvalidSettings,
    NoQuestions,
    StaleShowing,
    StoreCorrupt,
    StoreError,
    StoreLocked,
    UnknownAttempt,
    UnknownCertification,
    UnknownDomain,
    UnknownItem,
    UnknownLearner,
)
from .exam import (
    ExamAttempt,
    ExamQuestion,
    ExamResult,
    answer_exam_question,
    exam_question,
    finish_exam,
    flag,
    get_attempt,
    list_attempts,
    resume,
    start_exam,
)
from .history import card_history, reschedule
from .items import Scope, resolve_scope
from .learners import Learner, create_learner, find_learner, get_learner, learner_named, list_learners, update_settings
from .readiness import DomainReadiness, Readiness, readiness
from .review_export import export_reviews_csv
from .scheduling import CardState, Rating, State, format_interval
from .store import Store, open_store
from .study import (
    AnswerResult,
    QueueCounts,
    StudyCard,
    StudySession,
    check_answer,
    next_card,
    queue_counts,
    submit_answer,
)

__all__ = [
    "AnswerResult",
    "Blueprint",
    "CardState",
    "DomainReadiness",
    "DomainWeight",
    "EngineError",
    "ExamAttempt",
    "ExamClosed",
    "ExamQuestion",
    "ExamResult",
    "InvalidAnswer",
    "InvalidSettings",
    "Learner",
    "NoQuestions",
    "QueueCounts",
    "Rating",
    "Readiness",
    "Scope",
    "StaleShowing",
    "State",
    "Store",
    "StoreCorrupt",
    "StoreError",
    "StoreLocked",
    "StudyCard",
    "StudySession",
    "UnknownAttempt",
    "UnknownCertification",
    "UnknownDomain",
    "UnknownItem",
    "UnknownLearner",
    "answer_exam_question",
    "blueprint",
    "card_history",
    "check_answer",
    "create_learner",
    "exam_question",
    "export_reviews_csv",
    "find_learner",
    "finish_exam",
    "flag",
    "format_interval",
    "get_attempt",
    "get_learner",
    "learner_named",
    "list_attempts",
    "list_learners",
    "next_card",
    "open_store",
    "queue_counts",
    "readiness",
    "reschedule",
    "resolve_scope",
    "resume",
    "start_exam",
    "submit_answer",
    "update_settings",
]
