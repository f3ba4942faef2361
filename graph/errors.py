"""Exceptions raised by the graph layer; front ends translate them into messages."""

from __future__ import annotations

from opsprep.errors import ErrorKind, OpsprepError


class GraphError(OpsprepError):
    """Base class for every error the graph layer raises on purpose."""


class GraphLoadError(GraphError):
    """A Turtle file could not be read or parsed."""

    kind = ErrorKind.UNAVAILABLE

    def __init__(self, path: str, message: str, line: int | None = None, column: int | None = None):
        self.path = path
        self.line = line
        self.column = column
        self.reason = message
        where = path if line is None else f"{path}, line {line}" + (f", column {column}" if column else "")
        super().__init__(f"{where}: {message}")


class QuerySyntaxError(GraphError):
    """A SPARQL query could not be parsed; the message is the parser's, after "Malformed SPARQL query: "."""

    def __init__(self, message: str) -> None:
        super().__init__(
            message if message.startswith("Malformed SPARQL query") else f"Malformed SPARQL query: {message}"
        )


class QueryRejected(GraphError):
    """A SPARQL request was refused: an update (forbidden), a remote call, or over a limit."""


class UnsuitableFormat(GraphError, ValueError):
    """A query result asked for in a format its kind cannot be written in (a graph as a table...)."""


class UnknownCertification(GraphError, LookupError):
    """No certification with that exam code (or IRI) is in the graph."""

    kind = ErrorKind.NOT_FOUND


class UnknownDomain(GraphError, LookupError):
    """The certification has no exam domain by that number, IRI or title."""

    kind = ErrorKind.NOT_FOUND
