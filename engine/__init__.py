"""Spaced repetition, study sessions, exam simulation and the progress store.

:class:`Progress` is the front door: it owns the SQLite progress store and the question bank it is
kept against, and :meth:`Progress.learner` gives one learner's verbs.

>>> from opsprep.graph import default_graph
>>> from opsprep.questions import build_bank
>>> from opsprep.engine import Progress
>>> progress = Progress.open("progress.db", build_bank(default_graph()))    # doctest: +SKIP
>>> ada = progress.learner(progress.create_learner("ada").id)               # doctest: +SKIP
>>> card = ada.next_card("CKA")                                             # doctest: +SKIP
>>> result = ada.submit(card.item.id, card.seed, ["B"], response_ms=4200)   # doctest: +SKIP
>>> result.correct, result.rating, result.due                               # doctest: +SKIP

Modules: :mod:`.progress` (the front door), :mod:`.store` (open and migrate the SQLite file),
:mod:`.learners`, :mod:`.accounts`, :mod:`.passwords`, :mod:`.instance` (where data lives),
:mod:`.scheduling` (FSRS-6 through ``fsrs``), :mod:`.study` (over :mod:`.study_queue`,
:mod:`.grading` and :mod:`.study_answers`), :mod:`.exam`, :mod:`.readiness`, :mod:`.stats`,
:mod:`.history` (replay with new parameters), :mod:`.review_export` (CSV for the FSRS optimizer),
:mod:`.anki_export`. None of them imports Flask or click.
"""

from .errors import (
    EngineError,
    ExamClosed,
    ExportError,
    InvalidAnswer,
    InvalidSettings,
    NameTaken,
    NoQuestions,
    NotAnExam,
    NothingToExport,
    StaleShowing,
    StoreCorrupt,
    StoreError,
    StoreLocked,
    UnknownAttempt,
    UnknownCertification,
    UnknownDomain,
    UnknownItem,
    UnknownLearner,
    UnknownReport,
)
from .exam_model import DomainScore, ExamAttempt, ExamQuestion, ExamResult
from .items import Scope
from .learners import Learner
from .progress import LearnerProgress, Progress
from .readiness import DomainReadiness, Readiness
from .scheduling import CardState, Rating, State, format_interval
from .store import Store, open_store
from .study import StudySession
from .study_model import AnswerResult, QueueCounts, StudyCard

__all__ = [
    "AnswerResult",
    "CardState",
    "DomainReadiness",
    "DomainScore",
    "EngineError",
    "ExamAttempt",
    "ExamClosed",
    "ExamQuestion",
    "ExamResult",
    "ExportError",
    "InvalidAnswer",
    "InvalidSettings",
    "Learner",
    "LearnerProgress",
    "NameTaken",
    "NoQuestions",
    "NotAnExam",
    "NothingToExport",
    "Progress",
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
    "UnknownReport",
    "format_interval",
    "open_store",
]
