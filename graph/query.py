"""Run read-only SPARQL queries over a graph."""

from __future__ import annotations

import re

from rdflib import Graph
from rdflib.query import Result

from opsprep.errors import ErrorKind

from .errors import QueryRejected, QuerySyntaxError
from .namespaces import sparql_prologue

MAX_QUERY_LENGTH = 100_000
#: how deeply groups ``{ }``, ``( )`` and ``[ ]`` may nest; far past any real query, well before a parser's stack
MAX_NESTING = 64

#: what the SPARQL grammar calls a comment (to the end of the line: LF or CR), a string (short strings end
#: at neither) or an IRIREF (which excludes only #x00-#x20 and <>"{}|^`\, so Unicode spaces are inside it)
_COMMENT_OR_STRING = re.compile(
    r'#[^\n\r]*|"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n\r]|\\.)*"|\'(?:[^\'\\\n\r]|\\.)*\'|<[^<>"{}|^`\\\x00-\x20]*>'
)
_UPDATE_WORDS = re.compile(
    r"(?<![?$\w])(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD)\b\s*(DATA\b|WHERE\b|\{|SILENT\b|GRAPH\b|DEFAULT\b|NAMED\b|ALL\b|<|INTO\b|TO\b)",
    re.IGNORECASE,
)
_SERVICE = re.compile(r"(?<![?$\w])SERVICE\b", re.IGNORECASE)
_FROM = re.compile(r"(?<![?$\w])FROM\b", re.IGNORECASE)


def _code_only(text: str) -> str:
    """Blank out comments, strings and IRIs so keywords are only found in query code."""

    def blank(match: re.Match[str]) -> str:
        token = match.group(0)
        return " " if token.startswith("#") else "<>" if token.startswith("<") else '""'

    return _COMMENT_OR_STRING.sub(blank, text)


def _nesting(code: str) -> int:
    """The deepest nesting of brackets of any kind in query code (comments, strings and IRIs blanked)."""
    depth = deepest = 0
    for char in code:
        if char in "{([":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "})]":
            depth = max(depth - 1, 0)
    return deepest


def check_query(text: str, max_length: int = MAX_QUERY_LENGTH) -> None:
    """Refuse what a read-only endpoint must not run: updates, SERVICE, LOAD and FROM clauses.

    Raises :class:`QueryRejected` with a message that says why.
    """
    if len(text) > max_length:
        raise QueryRejected(f"The query is {len(text):,} characters long; the limit is {max_length:,}.")
    code = _code_only(text)
    depth = _nesting(code)
    if depth > MAX_NESTING:
        raise QueryRejected(f"The query nests groups {depth} deep; the limit is {MAX_NESTING}.")
    if _UPDATE_WORDS.search(code):
        raise QueryRejected(
            "This is a SPARQL update; the graph is read-only and accepts queries only.", kind=ErrorKind.FORBIDDEN
        )
    if _SERVICE.search(code):
        raise QueryRejected("SERVICE (federated query) is not allowed: queries run on the local graph only.")
    if _FROM.search(code):
        raise QueryRejected("FROM / FROM NAMED is not allowed: queries run on the local default graph only.")


def run_query(graph: Graph, text: str, *, add_prefixes: bool = True) -> Result:
    """Check and run a SPARQL query; return rdflib's :class:`~rdflib.query.Result`.

    The project's prefixes (``ops:``, ``skos:``, ...) are declared unless ``add_prefixes`` is false;
    a query may redeclare them. Raises :class:`QuerySyntaxError` with the parser's message for a
    malformed query and :class:`QueryRejected` for a query the graph will not run.
    """
    check_query(text)
    full = sparql_prologue() + text if add_prefixes else text
    try:
        return graph.query(full)
    except SyntaxError as exc:  # Oxigraph's parser
        raise QuerySyntaxError(tidy_parser_message(_shift_position(str(exc), full, text))) from None
    except Exception as exc:
        if type(exc).__name__ in {"ParseException", "ParseSyntaxException"}:  # rdflib's pyparsing parser
            raise QuerySyntaxError(str(exc)) from None
        raise


def _shift_position(message: str, full: str, text: str) -> str:
    """Report ``error at L:C`` positions relative to the user's text, not the added prologue."""
    offset = full.count("\n") - text.count("\n")

    def fix(match: re.Match[str]) -> str:
        return f"line {int(match.group(1)) - offset}, column {match.group(2)}"

    return re.sub(r"(\d+):(\d+)", fix, message, count=1) if offset else message


def tidy_parser_message(message: str) -> str:
    """Shorten the character-range lists in Oxigraph's 'expected one of' messages."""
    message = re.sub(r"\['[^\]]*\.\.=[^\]]*\]", "a name character", message, flags=re.S)
    return re.sub(r"\s*\n\s*", " ", message).strip()
