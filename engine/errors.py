"""Exceptions raised by the engine on purpose; front ends turn them into messages.

Every one of them is an :class:`opsprep.errors.OpsprepError` with a kind, and is raised before
anything is written, so a caller that catches one can be sure the progress store is as it was.
"""

from __future__ import annotations

from opsprep.errors import ErrorKind, OpsprepError
from opsprep.graph.errors import UnknownCertification, UnknownDomain

__all__ = [
    "EngineError",
    "ExamClosed",
    "ExportError",
    "InvalidAnswer",
    "InvalidSettings",
    "NameTaken",
    "NoQuestions",
    "NothingToExport",
    "StaleShowing",
    "StoreCorrupt",
    "StoreError",
    "StoreLocked",
    "UnknownAttempt",
    "UnknownCertification",
    "UnknownDomain",
    "UnknownItem",
    "UnknownLearner",
    "UnknownReport",
]


class EngineError(OpsprepError):
    """Base class of the engine's own errors."""


class StoreError(EngineError):
    """The progress database cannot be used (missing folder, newer schema, foreign file...)."""

    kind = ErrorKind.UNAVAILABLE


class StoreLocked(StoreError):
    """Another program holds the progress database's write lock past the busy timeout."""


class StoreCorrupt(StoreError):
    """The file is not an SQLite database, or SQLite found it damaged."""


class UnknownLearner(EngineError, LookupError):
    """No learner with that id or name."""

    kind = ErrorKind.NOT_FOUND


class UnknownItem(EngineError, LookupError):
    """The question bank has no item with that id."""

    kind = ErrorKind.NOT_FOUND


class UnknownAttempt(EngineError, LookupError):
    """No exam attempt with that id for that learner."""

    kind = ErrorKind.NOT_FOUND


class UnknownReport(EngineError, LookupError):
    """No problem report has that id."""

    kind = ErrorKind.NOT_FOUND


class InvalidAnswer(EngineError, ValueError):
    """The chosen options, rating or response time do not fit the question shown."""


class StaleShowing(InvalidAnswer):
    """The answer is for a showing of the question that was never handed out or has been replaced."""

    kind = ErrorKind.CONFLICT


class InvalidSettings(EngineError, ValueError):
    """A learner setting is out of range."""


class NameTaken(InvalidSettings):
    """Another learner already goes by that name."""

    kind = ErrorKind.CONFLICT


class ExamClosed(EngineError):
    """The exam attempt is finished or out of time, so it takes no more answers."""

    kind = ErrorKind.CONFLICT


class NotAnExam(EngineError, ValueError):
    """The chosen deck is studied, not examined: it has no exam to simulate."""


class NoQuestions(EngineError):
    """The chosen certification and domains have no question items to draw from."""

    kind = ErrorKind.NOT_FOUND


class ExportError(EngineError):
    """The export could not be made; nothing was written."""


class NothingToExport(ExportError):
    """No question item serves the chosen certification or domains."""

    kind = ErrorKind.NOT_FOUND
