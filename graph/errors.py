"""Exceptions raised by the graph layer; front ends translate them into messages."""

from __future__ import annotations


class GraphError(Exception):
    """Base class for every error the graph layer raises on purpose."""


class GraphLoadError(GraphError):
    """A Turtle file could not be read or parsed."""

    def __init__(self, path: str, message: str, line: int | None = None, column: int | None = None):
        self.path = path
        self.line = line
        self.column = column
        self.reason = message
        where = path if line is None else f"{path}, line {line}" + (f", column {column}" if column else "")
        super().__init__(f"{where}: {message}")


class QuerySyntaxError(GraphError):
    """A SPARQL query could not be parsed; the message is the parser's."""


class QueryRejected(GraphError):
    """A SPARQL request was refused: an update, a remote call, or over a limit."""
