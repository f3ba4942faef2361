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
:mod:`.scheduling` (FSRS-6 through ``fsrs``), :mod:`.study` (over :mod:`.study_queue`, :mod:`.study_counts`,
:mod:`.grading` and :mod:`.study_answers`), :mod:`.exam` (drawing by :mod:`.exam_draw` and
:mod:`.exam_facts`, retakes by :mod:`.exam_retake`, history by :mod:`.exam_history`),
:mod:`.readiness`, :mod:`.stats`,
:mod:`.history` (replay with new parameters), :mod:`.review_export` (CSV for the FSRS optimizer),
:mod:`.freshness` (how long a page made from a learner's progress stays true), :mod:`.anki_export`.
None of them imports Flask or click.
"""

from opsprep.lazy import lazy_exports

#: name -> the module of this package that defines it, imported on first use (PEP 562): importing
#: one engine module (``opsprep.engine.anki_export``) does not import the progress store and the scheduler
_LAZY = {
    "EngineError": "errors",
    "ExamClosed": "errors",
    "ExportError": "errors",
    "InvalidAnswer": "errors",
    "InvalidSettings": "errors",
    "NameTaken": "errors",
    "NoQuestions": "errors",
    "NotAnExam": "errors",
    "NothingToExport": "errors",
    "StaleShowing": "errors",
    "StoreCorrupt": "errors",
    "StoreError": "errors",
    "StoreLocked": "errors",
    "UnknownAttempt": "errors",
    "UnknownCertification": "errors",
    "UnknownDomain": "errors",
    "UnknownItem": "errors",
    "UnknownLearner": "errors",
    "UnknownReport": "errors",
    "CertHistory": "exam_history",
    "DomainScore": "exam_model",
    "ExamAttempt": "exam_model",
    "ExamQuestion": "exam_model",
    "ExamResult": "exam_model",
    "ProgressStamp": "freshness",
    "Scope": "items",
    "CardFlags": "card_flags",
    "InvalidFlag": "card_flags",
    "QuestionPage": "cards",
    "QuestionStatus": "cards",
    "ReviewEntry": "cards",
    "Learner": "learners",
    "LearnerProgress": "progress",
    "Progress": "progress",
    "DomainReadiness": "readiness",
    "Readiness": "readiness",
    "CardState": "scheduling",
    "Rating": "scheduling",
    "State": "scheduling",
    "format_interval": "scheduling",
    "StudyHabits": "stats",
    "Store": "store",
    "open_store": "store",
    "StudySession": "study",
    "AnswerResult": "study_model",
    "QueueCounts": "study_model",
    "ComingBack": "study_model",
    "SessionSummary": "study_model",
    "StudyCard": "study_model",
}


__getattr__, __dir__ = lazy_exports(__name__, _LAZY)


__all__ = [
    "AnswerResult",
    "CardFlags",
    "CardState",
    "CertHistory",
    "ComingBack",
    "DomainReadiness",
    "DomainScore",
    "EngineError",
    "ExamAttempt",
    "ExamClosed",
    "ExamQuestion",
    "ExamResult",
    "ExportError",
    "InvalidAnswer",
    "InvalidFlag",
    "InvalidSettings",
    "Learner",
    "LearnerProgress",
    "NameTaken",
    "NoQuestions",
    "NotAnExam",
    "NothingToExport",
    "Progress",
    "ProgressStamp",
    "QuestionPage",
    "QuestionStatus",
    "QueueCounts",
    "Rating",
    "Readiness",
    "ReviewEntry",
    "Scope",
    "SessionSummary",
    "StaleShowing",
    "State",
    "Store",
    "StoreCorrupt",
    "StoreError",
    "StoreLocked",
    "StudyCard",
    "StudyHabits",
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
