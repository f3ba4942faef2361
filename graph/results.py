"""Serialize SPARQL results: tables and SPARQL result formats for SELECT/ASK, RDF syntaxes for graphs."""

from __future__ import annotations

import io
import json

from rdflib import BNode, Literal, URIRef
from rdflib.query import Result
from rdflib.term import Node

from .errors import UnsuitableFormat
from .namespaces import PREFIXES
from .tables import format_table, write_csv  # noqa: F401  (re-exported)

#: format name -> (media type, rdflib serializer name)
TABULAR_FORMATS: dict[str, tuple[str, str]] = {
    "json": ("application/sparql-results+json", "json"),
    "xml": ("application/sparql-results+xml", "xml"),
    "csv": ("text/csv", "csv"),
    "tsv": ("text/tab-separated-values", "tsv"),
}
GRAPH_FORMATS: dict[str, tuple[str, str]] = {
    "turtle": ("text/turtle", "turtle"),
    "nt": ("application/n-triples", "nt"),
    "json-ld": ("application/ld+json", "json-ld"),
    "rdfxml": ("application/rdf+xml", "xml"),
}


def is_graph_result(result: Result) -> bool:
    """True for CONSTRUCT and DESCRIBE results."""
    return result.type in ("CONSTRUCT", "DESCRIBE")


def term_to_ntriples(term: Node | None) -> str:
    """Write one RDF term in N-Triples syntax (empty for an unbound variable)."""
    if term is None:
        return ""
    return term.n3()


def _tsv(result: Result) -> str:
    out = io.StringIO()
    if result.type == "ASK":
        out.write("?_askResult\n" + ("true" if result.askAnswer else "false") + "\n")
        return out.getvalue()
    names = [str(v) for v in result.vars or []]
    out.write("\t".join("?" + n for n in names) + "\n")
    for row in result:
        out.write("\t".join(term_to_ntriples(row[i]) for i in range(len(names))) + "\n")
    return out.getvalue()


def _csv_ask(result: Result) -> str:
    return "_askResult\r\n" + ("true" if result.askAnswer else "false") + "\r\n"


def serialize_result(result: Result, fmt: str) -> str:
    """Serialize a query result in ``fmt`` (a key of TABULAR_FORMATS or GRAPH_FORMATS, or ``table``).

    Raises :class:`UnsuitableFormat` (a ``ValueError``) when the format does not suit the kind of result.
    """
    if fmt == "table":
        if is_graph_result(result):
            raise UnsuitableFormat(
                f"CONSTRUCT and DESCRIBE return a graph, which cannot be written as a table; "
                f"choose one of {', '.join(GRAPH_FORMATS)}"
            )
        return render_table(result)
    if is_graph_result(result):
        if fmt not in GRAPH_FORMATS:
            raise UnsuitableFormat(
                f"A graph result cannot be written as {fmt}; choose one of {', '.join(GRAPH_FORMATS)}"
            )
        graph = result.graph
        for prefix, iri in PREFIXES.items():
            graph.bind(prefix, iri, override=True)
        return graph.serialize(format=GRAPH_FORMATS[fmt][1])
    if fmt not in TABULAR_FORMATS:
        raise UnsuitableFormat(
            f"A {result.type} result cannot be written as {fmt}; choose one of table, {', '.join(TABULAR_FORMATS)}"
        )
    if fmt == "tsv":
        return _tsv(result)
    if fmt == "csv" and result.type == "ASK":
        return _csv_ask(result)
    if fmt == "json":
        return json.dumps(result_to_json(result), ensure_ascii=False, indent=2) + "\n"
    data = result.serialize(format=TABULAR_FORMATS[fmt][1], encoding="utf-8")
    return data.decode("utf-8") if isinstance(data, bytes) else data


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype:
        out["datatype"] = str(term.datatype)
    return out


def result_to_json(result: Result) -> dict:
    """Return a SELECT or ASK result as SPARQL 1.1 Query Results JSON (a dict)."""
    if result.type == "ASK":
        return {"head": {}, "boolean": bool(result.askAnswer)}
    names = [str(v) for v in result.vars or []]
    bindings = []
    for row in result:
        binding = {}
        for i, name in enumerate(names):
            if row[i] is not None:
                binding[name] = _json_term(row[i])
        bindings.append(binding)
    return {"head": {"vars": names}, "results": {"bindings": bindings}}


def display_value(term: Node | None) -> str:
    """A term as a person reads it: IRIs and literal values without quotes or tags."""
    return "" if term is None else str(term)


def result_rows(result: Result) -> tuple[list[str], list[list[str]]]:
    """Return ``(header, rows)`` of display strings for a SELECT or ASK result."""
    if result.type == "ASK":
        return ["ask"], [["true" if result.askAnswer else "false"]]
    names = [str(v) for v in result.vars or []]
    return names, [[display_value(row[i]) for i in range(len(names))] for row in result]


def render_table(result: Result) -> str:
    """Render a SELECT or ASK result as a plain-text table."""
    header, rows = result_rows(result)
    return format_table(header, rows)
