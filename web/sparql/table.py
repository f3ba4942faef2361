"""Turn an answer into what the query page shows: a table with linked IRIs, a boolean, or RDF text."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from flask import url_for
from rdflib import URIRef

from opsprep.graph.dataset import Answer
from opsprep.graph.namespaces import ID, OPS, shorten
from opsprep.graph.results import GRAPH_FORMATS, TABULAR_FORMATS

from ..links import is_web_url

PAGE_ROWS = 1_000  # rows the page shows; downloads go up to SPARQL_MAX_ROWS
EXTENSIONS = {
    "json": "srj",
    "xml": "srx",
    "csv": "csv",
    "tsv": "tsv",
    "turtle": "ttl",
    "nt": "nt",
    "json-ld": "jsonld",
    "rdfxml": "rdf",
}
LABELS = {"json": "JSON", "xml": "XML", "csv": "CSV", "tsv": "TSV", "turtle": "Turtle", "nt": "N-Triples"}
LABELS |= {"json-ld": "JSON-LD", "rdfxml": "RDF/XML"}


@dataclass(frozen=True)
class Cell:
    """One value: the text shown, a link (for IRIs), and a tooltip (the full IRI, the language or datatype)."""

    text: str = ""
    href: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class ResultView:
    """An answer ready for the template."""

    form: str
    columns: list[str] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)
    boolean: bool | None = None
    rdf: str | None = None
    count: int = 0
    truncated: bool = False


def result_view(answer: Answer) -> ResultView:
    """A JSON (SELECT/ASK) or Turtle (CONSTRUCT/DESCRIBE) answer as a :class:`ResultView`."""
    if answer.form == "CONSTRUCT":
        return ResultView("CONSTRUCT", rdf=answer.body.decode("utf-8"), count=answer.rows, truncated=answer.truncated)
    data = json.loads(answer.body)
    if answer.form == "ASK":
        return ResultView("ASK", boolean=data["boolean"], count=1)
    columns = data["head"]["vars"]
    rows = [[cell(binding.get(name)) for name in columns] for binding in data["results"]["bindings"]]
    return ResultView("SELECT", columns, rows, count=len(rows), truncated=answer.truncated)


def cell(term: dict | None) -> Cell:
    """One SPARQL JSON term as a cell; an IRI of the graph links to a DESCRIBE of it, another http(s) IRI to
    itself, and any other IRI (``javascript:``, ``data:``, ``file:``...) to nothing."""
    if term is None:
        return Cell()
    value = term["value"]
    if term["type"] == "uri":
        ours = value.startswith((str(ID), str(OPS)))
        href = url_for("sparql.page", query=f"DESCRIBE <{value}>") if ours else value if is_web_url(value) else None
        return Cell(shorten(URIRef(value)), href, value)
    if term["type"] == "bnode":
        return Cell(f"_:{value}")
    if "xml:lang" in term:
        return Cell(value, None, "@" + term["xml:lang"])
    return Cell(value, None, shorten(URIRef(term["datatype"])) if "datatype" in term else None)


def download_links(query: str, view: ResultView) -> list[dict[str, str]]:
    """A link to the endpoint for every format that suits the kind of answer."""
    formats = GRAPH_FORMATS if view.form == "CONSTRUCT" else TABULAR_FORMATS
    return [
        {
            "label": LABELS[name],
            "href": url_for("sparql.endpoint", query=query, format=name),
            "filename": f"opsprep-results.{EXTENSIONS[name]}",
            "media": media,
        }
        for name, (media, _) in formats.items()
    ]
