"""The query operation of the SPARQL 1.1 Protocol: reading a request and choosing the answer's format.

https://www.w3.org/TR/sparql11-protocol/#query-operation — three ways to send a query (GET, POST form,
POST ``application/sparql-query``), exactly one ``query``, any number of ``default-graph-uri`` and
``named-graph-uri``. The update operation is refused: the endpoint is read-only.
"""

from __future__ import annotations

from dataclasses import dataclass

from werkzeug.datastructures import MIMEAccept, MultiDict
from werkzeug.wrappers import Request

from opsprep.errors import ErrorKind, OpsprepError
from opsprep.graph.results import GRAPH_FORMATS, TABULAR_FORMATS

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"

#: media types a client may ask for -> format name; the first of each kind is the default
TABULAR_MEDIA = {media: name for name, (media, _) in TABULAR_FORMATS.items()} | {
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
}
GRAPH_MEDIA = {media: name for name, (media, _) in GRAPH_FORMATS.items()} | {
    "application/x-turtle": "turtle",
    "application/turtle": "turtle",
    "text/plain": "nt",
    "application/json": "json-ld",
    "application/xml": "rdfxml",
    "text/xml": "rdfxml",
}


class ProtocolError(OpsprepError):
    """A request the protocol says to refuse; carries the HTTP status (400, 403, 405, 415) and a message."""

    def __init__(self, status: int, message: str):
        super().__init__(message, kind=ErrorKind.FORBIDDEN if status == 403 else ErrorKind.INVALID)
        self.status = status


@dataclass(frozen=True)
class QueryOperation:
    """What a protocol request asks: the query (``None`` when there is none) and the protocol dataset."""

    query: str | None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


def read_request(request: Request) -> QueryOperation:
    """Read the query operation out of a GET or POST request; raise :class:`ProtocolError` for a bad one."""
    if request.method == "GET":
        params = request.args
        body_query: list[str] = []
    elif request.mimetype == FORM:
        _require_utf8(request)
        params = MultiDict([*request.args.items(multi=True), *request.form.items(multi=True)])
        body_query = []
    elif request.mimetype == DIRECT:
        _require_utf8(request)
        params = request.args
        try:
            body_query = [request.get_data().decode("utf-8")]
        except UnicodeDecodeError:
            raise ProtocolError(400, "The query is not valid UTF-8, the only encoding SPARQL allows.") from None
    elif request.mimetype == UPDATE:
        raise ProtocolError(403, "This endpoint is read-only: it answers queries, not updates.")
    else:
        given = request.mimetype or "no Content-Type"
        raise ProtocolError(415, f"POST a query as {FORM} (query=...) or as {DIRECT}; got {given}.")
    if "update" in params:
        raise ProtocolError(403, "This endpoint is read-only: it answers queries, not updates.")
    queries = params.getlist("query") + body_query
    if len(queries) > 1:
        raise ProtocolError(400, "Send exactly one query; this request has more than one.")
    return QueryOperation(
        query=queries[0] if queries else None,
        default_graphs=tuple(params.getlist("default-graph-uri")),
        named_graphs=tuple(params.getlist("named-graph-uri")),
    )


def _require_utf8(request: Request) -> None:
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise ProtocolError(415, f"SPARQL requests are UTF-8 only; this one says charset={charset}.")


def choose_formats(accept: MIMEAccept, requested: str | None = None) -> tuple[str | None, str | None]:
    """The format for a SELECT/ASK answer and for a CONSTRUCT/DESCRIBE answer, by content negotiation.

    ``requested`` (the ``format`` parameter: a format name such as ``csv`` or a media type) overrides the
    Accept header for its kind of answer; links that download a file use it. ``None`` for a kind means the
    client accepts none of its formats.
    """
    tabular = _best(accept, TABULAR_MEDIA)
    graph = _best(accept, GRAPH_MEDIA)
    if requested:
        name = TABULAR_MEDIA.get(requested) or GRAPH_MEDIA.get(requested) or requested
        if name in TABULAR_FORMATS:
            tabular = name
        elif name in GRAPH_FORMATS:
            graph = name
        else:
            known = ", ".join([*TABULAR_FORMATS, *GRAPH_FORMATS])
            raise ProtocolError(400, f"Unknown format {requested!r}; use one of {known} or a media type.")
    return tabular, graph


def _best(accept: MIMEAccept, media: dict[str, str]) -> str | None:
    if not accept:  # no Accept header: anything goes, so the default
        return next(iter(media.values()))
    match = accept.best_match(list(media))
    return media[match] if match else None
