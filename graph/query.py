"""Run read-only SPARQL queries over a graph, and decide which queries may run at all.

What a query may do is decided from a parse of it (:func:`check_query`), not from keywords picked out of
its text, so that the check and the store cannot disagree about whether a query calls out:

1. Cheap guards protect the parsers first, before any parser runs: the length (:data:`MAX_QUERY_LENGTH`),
   the nesting of brackets (:data:`MAX_NESTING`, counted in the raw text and with comments, strings and
   IRIs blanked; the larger count is the one that counts), and codepoint escapes (``\\u00E9``), which are
   not accepted anywhere: rdflib expands them all before it parses, Oxigraph only inside strings and IRIs,
   so with escapes the two parsers could read two different queries.
2. A text that nowhere spells one of :data:`CLAUSE_WORDS` (in any letter case; in comments, strings and
   IRIs too) cannot hold a ``SERVICE`` call, a ``FROM`` clause or an update, whichever parser reads it:
   it goes to the store unparsed here, and the store's parser reports its syntax errors. (The words'
   absence proves something; their presence proves nothing, so such a text is parsed.)
3. Any other text is parsed with rdflib's SPARQL grammar, read as Oxigraph reads it (a carriage return
   ends a comment, as in the SPARQL grammar; rdflib's comments end at line feeds only). The parse tree
   decides: a ``ServiceGraphPattern`` anywhere (in a subquery, ``OPTIONAL``, ``EXISTS``...) or a dataset
   clause refuses the query; a text that is no query but an update is refused as an update (403); a text
   that is neither is a syntax error, with the position where the parse stopped.

A query the check could not read is refused, never run: a parse error (3), a parse that runs past
:data:`MAX_PARSE_STEPS` steps or recurses too deeply. So the rule holds where the network is there
(the CLI runs queries in-process); the endpoint's query workers also have no network at all
(:mod:`opsprep.web.sparql.sandbox`). The parse tree is enough: ``SERVICE`` and dataset clauses are
productions of the grammar, visible wherever they nest, and rdflib's algebra would add prefix resolution
and more recursion without telling more. Verdicts are cached by the digest of the text.
"""

from __future__ import annotations

import hashlib
import re
import sys
import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass

from pyparsing import ParseBaseException, ParseResults
from rdflib import Graph
from rdflib.plugins.sparql.parser import Query, UpdateUnit
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.query import Result

from opsprep.errors import ErrorKind

from .errors import GraphError, QueryRejected, QuerySyntaxError
from .namespaces import sparql_prologue

MAX_QUERY_LENGTH = 100_000
#: how deeply groups ``{ }``, ``( )`` and ``[ ]`` may nest; far past any real query, well before a parser's stack
MAX_NESTING = 64
#: the parse steps (Python calls in rdflib's parser) a check may take: about a second of CPU on a slow
#: machine, and 18 times the most the shipped example queries take (28,000)
MAX_PARSE_STEPS = 500_000
#: the recursion rdflib's parser may use: a group nested :data:`MAX_NESTING` deep takes about 5,000 frames,
#: and a group of 1,000 triple patterns fits too (Python 3.11 keeps these frames off the C stack)
PARSE_RECURSION_LIMIT = 20_000
#: the words a query must spell to hold a clause the endpoint refuses: SERVICE, FROM, or an update operation
CLAUSE_WORDS = ("SERVICE", "FROM", "INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD")
UPDATE_MESSAGE = "This is a SPARQL update; the graph is read-only and accepts queries only."
SERVICE_MESSAGE = "SERVICE (federated query) is not allowed: queries run on the local graph only."
FROM_MESSAGE = "FROM / FROM NAMED is not allowed: queries run on the local default graph only."
TOO_BIG_MESSAGE = (
    "The query is too large or too intricate for the endpoint's safety check to read; "
    "shorten it or split it into smaller queries."
)

#: what the SPARQL grammar calls a comment (to the end of the line: LF or CR), a string (short strings end
#: at neither) or an IRIREF (which excludes only #x00-#x20 and <>"{}|^`\, so Unicode spaces are inside it)
_COMMENT_OR_STRING = re.compile(
    r'#[^\n\r]*|"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n\r]|\\.)*"|\'(?:[^\'\\\n\r]|\\.)*\'|<[^<>"{}|^`\\\x00-\x20]*>'
)
#: a codepoint escape as either parser reads one (rdflib also reads ``\u`` with eight digits)
_CODEPOINT_ESCAPE = re.compile(r"\\[uU][0-9A-Fa-f]{4}")
_CACHE_SIZE = 512
_verdicts: OrderedDict[bytes, Refusal | None] = OrderedDict()
_verdicts_lock = threading.Lock()
_parse_lock = threading.Lock()  # one parse at a time: the recursion limit is the interpreter's, not the thread's


@dataclass(frozen=True)
class Refusal:
    """Why the check refuses a query: the error to raise, its message and its kind (``None``: the class's)."""

    error: type[GraphError]
    message: str
    kind: ErrorKind | None = None

    def exception(self) -> GraphError:
        """A fresh exception to raise (a cached one would grow its traceback at every raise)."""
        if self.kind is None:
            return self.error(self.message)
        return self.error(self.message, kind=self.kind)


class _OverBudget(BaseException):
    """The parse ran past its steps (a BaseException, so no parser code catches it on the way out)."""


def check_query(text: str, max_length: int = MAX_QUERY_LENGTH, *, max_steps: int = MAX_PARSE_STEPS) -> None:
    """Refuse what a read-only endpoint must not run: updates, SERVICE, FROM, and what cannot be read.

    The rule is the module's (see above). Raises :class:`QueryRejected` with a message that says why
    (kind FORBIDDEN for an update), or :class:`QuerySyntaxError` for a text that mentions a refused
    clause's word and does not parse.
    """
    check_shape(text, max_length)
    if not spells_a_clause_word(text):
        return
    refusal = _cached_verdict(text, max_steps)
    if refusal is not None:
        raise refusal.exception()


def check_shape(text: str, max_length: int = MAX_QUERY_LENGTH) -> None:
    """The guards that run before any parser: length, nesting, chains of prefix operators and codepoint
    escapes (cheap: a front end may run them before it gives a query any resources). Raises
    :class:`QueryRejected`."""
    if len(text) > max_length:
        raise QueryRejected(f"The query is {len(text):,} characters long; the limit is {max_length:,}.")
    code = _code_only(text)
    depth = max(_nesting(text), _nesting(code))
    if depth > MAX_NESTING:
        raise QueryRejected(f"The query nests groups {depth} deep; the limit is {MAX_NESTING}.")
    chain = max((len(m.group(0).replace(" ", "")) for m in _UNARY_CHAIN.finditer(code.translate(_SPACES))), default=0)
    if chain > MAX_NESTING:
        raise QueryRejected(f"The query chains {chain} operators such as ! or - in a row; the limit is {MAX_NESTING}.")
    escape = _CODEPOINT_ESCAPE.search(text)
    if escape:
        line, column = _line_and_column(text, escape.start())
        raise QueryRejected(
            f"Codepoint escapes such as {escape.group(0)} (line {line}, column {column}) are not accepted: "
            "write the characters themselves."
        )


def spells_a_clause_word(text: str) -> bool:
    """Whether one of :data:`CLAUSE_WORDS` appears anywhere in ``text``, in any letter case.

    Upper-casing the whole text covers every way a parser may match a keyword without regard to case
    (rdflib compares upper-cased slices, so ``ſervice`` with a long s reads as SERVICE; Oxigraph
    compares ASCII letters only).
    """
    upper = text.upper()
    return any(word in upper for word in CLAUSE_WORDS)


def _cached_verdict(text: str, max_steps: int) -> Refusal | None:
    key = hashlib.sha256(f"{max_steps}\n{text}".encode("utf-8", "surrogatepass")).digest()
    with _verdicts_lock:
        if key in _verdicts:
            _verdicts.move_to_end(key)
            return _verdicts[key]
    refusal = _verdict(text, max_steps)
    with _verdicts_lock:
        _verdicts[key] = refusal
        if len(_verdicts) > _CACHE_SIZE:
            _verdicts.popitem(last=False)
    return refusal


def _verdict(text: str, max_steps: int) -> Refusal | None:
    """Parse ``text`` as a query, or else as an update, and say what the check makes of it."""
    readable = _as_oxigraph_reads_it(text)
    try:
        tree = _parse(Query, readable, max_steps)
    except (_OverBudget, RecursionError):
        return Refusal(QueryRejected, TOO_BIG_MESSAGE)
    except Exception as exc:  # any failure to read the text as a query
        return _not_a_query(readable, exc, max_steps)
    found = {node.name for node in _nodes(tree)}
    if "ServiceGraphPattern" in found:
        return Refusal(QueryRejected, SERVICE_MESSAGE)
    if "DatasetClause" in found:
        return Refusal(QueryRejected, FROM_MESSAGE)
    return None


def _not_a_query(readable: str, query_error: Exception, max_steps: int) -> Refusal:
    """A text that does not parse as a query: an update (forbidden), or a syntax error."""
    try:
        (update,) = _parse(UpdateUnit, readable, max_steps)
    except (_OverBudget, RecursionError):
        return Refusal(QueryRejected, TOO_BIG_MESSAGE)
    except Exception:  # not an update either: report why it is not a query
        return Refusal(QuerySyntaxError, _parse_error_message(query_error))
    if update.get("request"):  # an update with at least one operation (a bare prologue is none)
        return Refusal(QueryRejected, UPDATE_MESSAGE, ErrorKind.FORBIDDEN)
    return Refusal(QuerySyntaxError, _parse_error_message(query_error))


def _as_oxigraph_reads_it(text: str) -> str:
    """The text with every line end a line feed and every tab a space, keeping offsets and line numbers.

    The SPARQL grammar (and Oxigraph) ends a comment at CR or LF, pyparsing's comments only at LF; CR, LF,
    tab and space are otherwise interchangeable in the grammar (white space; in a string they change its
    value, not where it ends), so the structure of the query is unchanged. Without tabs, pyparsing has
    none to expand, and its positions are the text's.
    """
    return text.replace("\r\n", " \n").replace("\r", "\n").replace("\t", " ")


def _parse(grammar, text: str, max_steps: int):
    """Parse with one of rdflib's grammar elements within ``max_steps`` Python calls.

    Raises :class:`_OverBudget` past the steps, ``RecursionError`` past :data:`PARSE_RECURSION_LIMIT`,
    and the parser's exception for a text the grammar does not match.
    """
    steps = 0

    def count(frame, event, arg):  # a trace function, called at every Python call of the parse
        nonlocal steps
        steps += 1
        if steps > max_steps:
            raise _OverBudget
        return None  # no line-by-line tracing

    with _parse_lock:
        limit, previous = sys.getrecursionlimit(), sys.gettrace()
        sys.setrecursionlimit(max(limit, PARSE_RECURSION_LIMIT))
        sys.settrace(count)
        try:
            return grammar.parse_string(text, parse_all=True)
        finally:
            sys.settrace(previous)
            sys.setrecursionlimit(limit)


def _nodes(tree) -> Iterator[CompValue]:
    """Every grammar node of an rdflib parse tree, however deeply it nests (without recursion)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            yield node
            stack.extend(dict.values(node))
        elif isinstance(node, (ParseResults, list, tuple)):
            stack.extend(node)


def _parse_error_message(exc: Exception) -> str:
    """``error at L:C: ...`` for a parse error, as the store's parser words its messages."""
    if not isinstance(exc, ParseBaseException):
        return f"the query could not be read ({exc})"
    found = exc.pstr[exc.loc : exc.loc + 1]
    if not found:
        return f"error at {exc.lineno}:{exc.col}: the query ends too early"
    token = re.match(r"[\w:?$]+|\S", exc.pstr[exc.loc :])
    word = token.group(0)[:30] if token else found
    return f"error at {exc.lineno}:{exc.col}: unexpected {word!r}"


def _line_and_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _code_only(text: str) -> str:
    """Blank out comments, strings and IRIs so brackets are only counted in query code."""

    def blank(match: re.Match[str]) -> str:
        token = match.group(0)
        return " " if token.startswith("#") else "<>" if token.startswith("<") else '""'

    return _COMMENT_OR_STRING.sub(blank, text)


#: runs of prefix operators (``!``, ``-``, ``+``, ``^``, with spaces between): each one is a level of the
#: store's recursive parser, as a bracket is (30,000 ``!`` in a row crash it)
_UNARY_CHAIN = re.compile(r"[!+\-^](?: *[!+\-^])+")
_SPACES = str.maketrans("\t\r\n", "   ")


def _nesting(code: str) -> int:
    """The deepest nesting of brackets of any kind."""
    depth = deepest = 0
    for char in code:
        if char in "{([":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "})]":
            depth = max(depth - 1, 0)
    return deepest


def run_query(graph: Graph, text: str, *, add_prefixes: bool = True) -> Result:
    """Check and run a SPARQL query; return rdflib's :class:`~rdflib.query.Result`.

    The project's prefixes (``ops:``, ``skos:``, ...) are declared unless ``add_prefixes`` is false;
    a query may redeclare them. Raises :class:`QuerySyntaxError` with the parser's message for a
    malformed query and :class:`QueryRejected` for a query the graph will not run.
    """
    try:
        check_query(text)
    except QuerySyntaxError as exc:  # positions are the user's text already
        raise QuerySyntaxError(_spelled_position(exc.message)) from None
    full = sparql_prologue() + text if add_prefixes else text
    try:
        return graph.query(full)
    except SyntaxError as exc:  # Oxigraph's parser
        offset = full.count("\n") - text.count("\n")
        raise QuerySyntaxError(tidy_parser_message(_spelled_position(str(exc), offset))) from None
    except Exception as exc:
        if type(exc).__name__ in {"ParseException", "ParseSyntaxException"}:  # rdflib's pyparsing parser
            raise QuerySyntaxError(str(exc)) from None
        raise


def _spelled_position(message: str, line_offset: int = 0) -> str:
    """Write the first ``L:C`` position as ``line L, column C``, relative to the user's text."""

    def fix(match: re.Match[str]) -> str:
        return f"line {int(match.group(1)) - line_offset}, column {match.group(2)}"

    return re.sub(r"(\d+):(\d+)", fix, message, count=1)


def tidy_parser_message(message: str) -> str:
    """Shorten the character-range lists in Oxigraph's 'expected one of' messages."""
    message = re.sub(r"\['[^\]]*\.\.=[^\]]*\]", "a name character", message, flags=re.S)
    return re.sub(r"\s*\n\s*", " ", message).strip()
