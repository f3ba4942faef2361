"""Compare rdflib's in-memory store with the Oxigraph-backed store on the shipped graph.

Prints the machine, the load time of every Turtle file and the median time of a few
representative queries for both stores.

    python benchmarks/graph_store.py [--repeat 20]
"""

from __future__ import annotations

import argparse

from timing import machine, median_seconds

from opsprep.graph.query import run_query
from opsprep.graph.store import STORES, load_graph

QUERIES = {
    "roles and responsibilities": """
        SELECT ?role ?resp WHERE {
            ?r a ops:Role ; skos:prefLabel ?role ; ops:hasResponsibility/skos:prefLabel ?resp
        }""",
    "labels of everything": "SELECT ?s ?l WHERE { ?s skos:prefLabel ?l }",
    "services per category": """
        SELECT ?cat (COUNT(?s) AS ?n) WHERE { ?s a ops:CloudService ; ops:inCategory ?cat }
        GROUP BY ?cat ORDER BY DESC(?n)""",
    "equivalents with labels": """
        SELECT ?a ?b WHERE { ?x ops:equivalentTo ?y . ?x skos:prefLabel ?a . ?y skos:prefLabel ?b }""",
    "label search (regex)": """
        SELECT ?s ?l WHERE { ?s skos:prefLabel ?l FILTER(REGEX(?l, "cloud", "i")) }""",
    "two-hop join": """
        SELECT ?t ?p ?c WHERE { ?t ops:supportsPractice ?p . ?t ops:inCategory ?c . ?p skos:prefLabel ?pl }""",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    print(machine())
    graphs = {}
    print(f"\n{'store':<10} {'load (median)':>14} {'triples':>9}")
    for store in STORES:
        seconds = median_seconds(lambda s=store: graphs.__setitem__(s, load_graph(store=s)), max(3, args.repeat // 4))
        print(f"{store:<10} {seconds * 1000:>11.1f} ms {len(graphs[store]):>9,}")
    print(f"\n{'query':<28} " + " ".join(f"{s:>12}" for s in STORES) + "   speed-up")
    for name, query in QUERIES.items():
        times = {s: median_seconds(lambda g=graphs[s], q=query: list(run_query(g, q)), args.repeat) for s in STORES}
        rows = {s: len(list(run_query(graphs[s], query))) for s in STORES}
        assert len(set(rows.values())) == 1, f"stores disagree on {name}: {rows}"
        ratio = times["memory"] / times["oxigraph"] if times["oxigraph"] else float("inf")
        print(f"{name:<28} " + " ".join(f"{times[s] * 1000:>9.2f} ms" for s in STORES) + f"   {ratio:6.1f}x")


if __name__ == "__main__":
    main()
