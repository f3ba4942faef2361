"""The command line's one error boundary: library errors become a one-line message and an exit status.

Commands let every :class:`~opsprep.errors.OpsprepError` through; the root group (:class:`OpsprepGroup`)
catches it and prints ``Error: <message>``, keeping the library's words and adding, for a few kinds
of error, the command that helps (``No learner called 'bob' (see `opsprep learners list`).``).

The exit status comes from the error's kind: 2 when what was asked for is wrong (invalid, forbidden,
not found: like click's own usage errors), 1 when the request was fine but could not be carried out
now (a conflict, an unavailable database or graph file) or something broke that it did not cause.
"""

from __future__ import annotations

import click

from opsprep.engine.errors import UnknownLearner, UnknownReport
from opsprep.errors import ErrorKind, OpsprepError

#: exit status per kind of error; a kind not listed (one added later) exits with 1
EXIT_CODES = {
    ErrorKind.INVALID: 2,
    ErrorKind.FORBIDDEN: 2,
    ErrorKind.NOT_FOUND: 2,
    ErrorKind.CONFLICT: 1,
    ErrorKind.UNAVAILABLE: 1,
    ErrorKind.INTERNAL: 1,
}
#: the command that helps, added to the library's message for these errors
HINTS: dict[type[OpsprepError], str] = {
    UnknownLearner: "opsprep learners list",
    UnknownReport: "opsprep reports list --status all",
}


class LibraryFailure(click.ClickException):
    """A library error as click shows it: ``Error: <message>``, with the exit status of its kind."""

    def __init__(self, error: OpsprepError) -> None:
        super().__init__(message(error))
        self.error = error
        self.exit_code = exit_code(error)


def message(error: OpsprepError) -> str:
    """The library's message on one line, with the hint for its kind of error, if any."""
    text = " ".join(str(error).split()) or type(error).__name__
    hint = next((command for cls, command in HINTS.items() if isinstance(error, cls)), None)
    if hint is None:
        return text
    stem, stop = (text[:-1], ".") if text.endswith(".") else (text, "")
    return f"{stem} (see `{hint}`){stop}"


def exit_code(error: OpsprepError) -> int:
    """The exit status for a library error."""
    return EXIT_CODES.get(error.kind, 1)


class OpsprepGroup(click.Group):
    """The root group: runs the chosen command and translates any library error it lets through."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except OpsprepError as error:
            raise LibraryFailure(error) from None
