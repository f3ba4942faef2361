"""The one base exception of the library, and the kinds of failure a front end tells apart.

Every error the library raises on purpose is an :class:`OpsprepError`. Its :attr:`~OpsprepError.kind`
says what went wrong in terms a front end can act on (a web page picks the HTTP status from it, the
command line its exit status), and its message says what to do next in words that fit any front end:
no command names, no flags, no URLs.

>>> error = OpsprepError("Nothing to see.", kind=ErrorKind.NOT_FOUND)
>>> error.kind.status, str(error)
(404, 'Nothing to see.')
"""

from __future__ import annotations

from enum import Enum


class ErrorKind(Enum):
    """What kind of failure an error is, with the HTTP status it maps to."""

    INVALID = ("invalid", 400)  # the request itself is wrong: a bad value, a malformed query
    FORBIDDEN = ("forbidden", 403)  # understood, but never allowed (an update on a read-only endpoint)
    NOT_FOUND = ("not-found", 404)  # the thing asked for does not exist
    CONFLICT = ("conflict", 409)  # fine in itself, but not in the present state (a finished exam, a taken name)
    UNAVAILABLE = ("unavailable", 503)  # a resource cannot be used now (a locked or damaged database)
    INTERNAL = ("internal", 500)  # something broke that the request did not cause (a query worker died)

    def __init__(self, label: str, status: int) -> None:
        self.label = label
        self.status = status


class OpsprepError(Exception):
    """Base class of every error the library raises on purpose.

    Subclasses set a default :attr:`kind`; a raise site may pass another one. The message is the
    whole explanation, written for a person.
    """

    kind: ErrorKind = ErrorKind.INVALID

    def __init__(self, message: str = "", *, kind: ErrorKind | None = None) -> None:
        super().__init__(message)
        if kind is not None:
            self.kind = kind

    @property
    def message(self) -> str:
        """The message, as given."""
        return str(self)

    def to_dict(self) -> dict:
        """JSON-ready dict: ``{"error": kind, "message": ...}``."""
        return {"error": self.kind.label, "message": self.message}
