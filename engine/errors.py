"""Exceptions raised by the engine on purpose; front ends turn them into messages.

Every one of them is raised before anything is written, so a caller that catches one
can be sure the progress store is as it was.
"""

from __future__ import annotations

from opsprep.questions import UnknownCertification, UnknownDomain

__all__ = [
    "EngineError",
    "ExamClosed",
    "InvalidAnswer",
    "InvalidSettings",
    "NoQuestions",
    "StaleShowing",
    "StoreCorrupt",
    "StoreError",
    "StoreLocked",
    "UnknownAttempt",
    "UnknownCertification",
    "UnknownDomain",
    "UnknownItem",
    "UnknownLearner",
]


class EngineError(Exception):
    """Base class of the engine's own errors."""


class StoreError(EngineError):
    """The progress database cannot be used (missing folder, newer schema, foreign file...)."""


class StoreLocked(StoreError):
    """Another program holds the progress database's write lock past the busy timeout."""


class StoreCorrupt(StoreError):
    """The file is not an SQLite database, or SQLite found it damaged."""


class UnknownLearner(EngineError, LookupError):
    """No learner with that id or name."""


class UnknownItem(EngineError, LookupError):
    """The question bank has no item with that id."""


class UnknownAttempt(EngineError, LookupError):
    """No exam attempt with that id for that learner."""


class UnknownReport(EngineError, LookupError):
    """No problem report has that id."""


class InvalidAnswer(EngineError, ValueError):
    """The chosen options, rating or response time do not fit the question shown."""


class StaleShowing(InvalidAnswer):
    """The answer is for a showing of the question that was never handed out or has been replaced."""


class InvalidSettings(EngineError, ValueError):
    """A learner setting is out of range."""


class ExamClosed(EngineError):
    """The exam attempt is finished or out of time, so it takes no more answers."""


class NoQuestions(EngineError):
    """The chosen certification and domains have no question items to draw from."""
