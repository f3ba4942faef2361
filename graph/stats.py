"""Count what the graph holds: things per class and triples per relation."""

from __future__ import annotations

from rdflib import Graph
from rdflib.namespace import RDF

from .namespaces import CONTENT_CLASSES, shorten


def graph_stats(graph: Graph) -> dict:
    """Return ``{"triples": n, "classes": {class: count}, "relations": {predicate: count}}``.

    Classes are the knowledge classes of the ontology (zero counts included); relations are every
    predicate used on things under ``https://w3id.org/opsprep/id/``.
    """
    classes = {shorten(cls): 0 for cls in CONTENT_CLASSES}
    for row in graph.query("SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c"):
        key = shorten(row[0])
        if key in classes:
            classes[key] = int(row[1])
    relations = {}
    for row in graph.query(
        """SELECT ?p (COUNT(*) AS ?n) WHERE {
               ?s ?p ?o FILTER(STRSTARTS(STR(?s), "https://w3id.org/opsprep/id/"))
           } GROUP BY ?p ORDER BY DESC(?n) ?p"""
    ):
        relations[shorten(row[0])] = int(row[1])
    relations.pop(shorten(RDF.type), None)
    return {"triples": len(graph), "classes": classes, "relations": relations}
