"""Answer SPARQL protocol queries natively on Oxigraph: protocol datasets, a row cap, every result format.

The CLI runs queries through rdflib (:func:`opsprep.graph.query.run_query`). The SPARQL endpoint needs
more than rdflib's store API passes on to Oxigraph: the protocol's ``default-graph-uri`` and
``named-graph-uri`` parameters, a base IRI for relative IRIs, and a cap on result rows. So here a query
goes straight to a :class:`pyoxigraph.Store` holding the same triples, and Oxigraph writes the answer,
3-20x faster than the rdflib path on the shipped graph (``benchmarks/sparql_endpoint.py``).
The checks (:func:`~opsprep.graph.query.check_query`), the predeclared prefixes, the parser's messages
and the format names and media types of :mod:`opsprep.graph.results` are shared with the CLI.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from .errors import GraphError, GraphLoadError, QueryRejected, QuerySyntaxError
from .namespaces import PREFIXES
from .query import MAX_QUERY_LENGTH, check_query, tidy_parser_message
from .results import GRAPH_FORMATS, TABULAR_FORMATS

RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
RDF_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "json-ld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
DEFAULT_MAX_ROWS = 10_000


class NoAcceptableFormat(GraphError):
    """The client accepts no format this kind of result can be written in."""

    status = 406


@dataclass(frozen=True)
class Answer:
    """A serialized query answer: the query form, the format name, the bytes and how many rows they hold."""

    form: str  # SELECT, ASK or CONSTRUCT (DESCRIBE answers as CONSTRUCT: both return a graph)
    fmt: str
    body: bytes
    rows: int
    truncated: bool = False

    @property
    def media_type(self) -> str:
        """The media type of :attr:`body`."""
        return {**TABULAR_FORMATS, **GRAPH_FORMATS}[self.fmt][0]


@dataclass(frozen=True)
class QueryRequest:
    """One query with everything the protocol lets a client say about it.

    ``tabular`` and ``graph`` are the formats to write a SELECT/ASK or a CONSTRUCT/DESCRIBE answer in
    (``None``: the client accepts none). Empty ``default_graphs`` and ``named_graphs`` mean the service's
    own dataset; either one given means the protocol dataset, as the SPARQL 1.1 Protocol says.
    """

    query: str
    tabular: str | None = "json"
    graph: str | None = "turtle"
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    base_iri: str | None = None
    max_rows: int = DEFAULT_MAX_ROWS
    max_length: int = MAX_QUERY_LENGTH


class QueryDataset:
    """An Oxigraph store with the graph in its default graph and, optionally, extra named graphs."""

    def __init__(self, graph: Graph, named_graphs: Mapping[str, Path | str] | None = None):
        self.store = ox.Store()
        self.store.load(graph.serialize(format="ox-nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
        self.named = [ox.NamedNode(iri) for iri in (named_graphs or {})]
        for iri, path in (named_graphs or {}).items():
            path = Path(path)
            try:
                self.store.load(
                    path=str(path),
                    format=ox.RdfFormat.from_extension(path.suffix.lstrip(".")),
                    base_iri=path.resolve().as_uri(),
                    to_graph=ox.NamedNode(iri),
                )
            except (OSError, SyntaxError, ValueError) as exc:
                raise GraphLoadError(str(path), str(exc)) from None

    def answer(self, request: QueryRequest) -> Answer:
        """Run one query and serialize its answer.

        Raises :class:`QueryRejected` (refused by :func:`check_query`, or a dataset IRI that is not an IRI),
        :class:`QuerySyntaxError` with the parser's message, and :class:`NoAcceptableFormat`.
        """
        check_query(request.query, request.max_length)
        try:
            result = self.store.query(
                request.query, base_iri=request.base_iri, prefixes=PREFIXES, **self._dataset(request)
            )
        except SyntaxError as exc:
            raise QuerySyntaxError(tidy_parser_message(str(exc))) from None
        if isinstance(result, ox.QueryBoolean):
            fmt = _chosen(request.tabular, "ASK")
            return Answer("ASK", fmt, result.serialize(format=RESULT_FORMATS[fmt]), 1)
        if isinstance(result, ox.QueryTriples):
            fmt = _chosen(request.graph, "CONSTRUCT")
            triples = list(itertools.islice(result, request.max_rows + 1))
            kept = triples[: request.max_rows]
            body = ox.serialize(kept, format=RDF_FORMATS[fmt], prefixes=_used_prefixes(kept))
            return Answer("CONSTRUCT", fmt, body, len(kept), len(triples) > request.max_rows)
        fmt = _chosen(request.tabular, "SELECT")
        names = [v.value for v in result.variables]
        rows = list(itertools.islice(result, request.max_rows + 1))
        kept = rows[: request.max_rows]
        return Answer("SELECT", fmt, _write_solutions(names, kept, fmt), len(kept), len(rows) > request.max_rows)

    def _dataset(self, request: QueryRequest) -> dict:
        """Oxigraph's dataset arguments: the protocol dataset if the request names one, else the service's."""
        if not (request.default_graphs or request.named_graphs):
            return {"named_graphs": self.named}
        try:
            return {
                "default_graph": [ox.NamedNode(iri) for iri in request.default_graphs],
                "named_graphs": [ox.NamedNode(iri) for iri in request.named_graphs],
            }
        except ValueError as exc:
            raise QueryRejected(f"default-graph-uri and named-graph-uri take absolute IRIs: {exc}") from None


def _chosen(fmt: str | None, form: str) -> str:
    if fmt is None:
        kinds = TABULAR_FORMATS if form in ("SELECT", "ASK") else GRAPH_FORMATS
        types = ", ".join(media for media, _ in kinds.values())
        raise NoAcceptableFormat(f"A {form} query answers in one of: {types}; the request accepts none of them.")
    return fmt


def _write_solutions(names: list[str], rows: Iterable[ox.QuerySolution], fmt: str) -> bytes:
    """Serialize solutions with Oxigraph's writers.

    Oxigraph writes only whole result iterators, so the kept rows go back to it as SPARQL TSV, whose
    N-Triples terms lose nothing, and it writes them out again in the requested format.
    """
    lines = ["\t".join("?" + name for name in names)]
    lines += ["\t".join("" if term is None else str(term) for term in row) for row in rows]
    tsv = ("\n".join(lines) + "\n").encode("utf-8")
    if fmt == "tsv":
        return tsv
    solutions = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
    return solutions.serialize(format=RESULT_FORMATS[fmt])


def _used_prefixes(triples: list[ox.Triple]) -> dict[str, str]:
    """The predeclared prefixes that some IRI of the triples starts with, for a readable Turtle answer."""
    namespaces = set()
    for triple in triples:
        for term in (triple.subject, triple.predicate, triple.object, getattr(triple.object, "datatype", None)):
            if isinstance(term, ox.NamedNode):
                iri = term.value
                namespaces.add(iri[: iri.rfind("/") + 1])
                namespaces.add(iri[: iri.rfind("#") + 1])
    return {prefix: ns for prefix, ns in PREFIXES.items() if ns in namespaces}
