"""Time building the question bank from a loaded graph: the shipped graph and a synthetic one 10x larger.

The synthetic graph copies every tool, cloud service, topic and category of the shipped graph ten
times under new IRIs and labels (keeping their facts and links to shared values), so growth in build
time is visible. Then the bank cache: the shipped graph's bank built and stored, then read back
(what a new process does once the cache holds it), and a fresh ``opsprep questions stats`` process
with an empty cache and with a warm one.

    python benchmarks/question_bank.py [--scale 10] [--repeat 3]
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import tempfile
import time

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SKOS
from timing import machine, timed

from opsprep.graph.namespaces import ID, OPS
from opsprep.graph.store import data_files, load_graph, new_graph
from opsprep.questions import BankCache, build_bank, cached_bank

COPIED = (OPS.Tool, OPS.CloudService, OPS.Topic)


def synthetic(graph, scale: int):
    """The shipped graph plus ``scale - 1`` renamed copies of its tools, services and topics."""
    big = new_graph()
    for triple in graph:
        big.add(triple)
    things = {s for cls in COPIED for s in graph.subjects(RDF.type, cls)}
    for copy in range(1, scale):

        def rename(term, copy=copy):
            if term in things:
                return URIRef(f"{ID}copy{copy}/{str(term)[len(str(ID)) :]}")
            return term

        for s in things:
            for p, o in graph.predicate_objects(s):
                if p in (SKOS.prefLabel, SKOS.definition):
                    o = Literal(f"{o} (copy {copy})", lang="en")
                big.add((rename(s), p, rename(o)))
    return big


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(machine())
    shipped = load_graph()
    bigger = synthetic(shipped, args.scale)
    print(f"\n{'graph':<22} {'triples':>9} {'things':>8} {'items':>8} {'build (median)':>15}")
    runs = []
    for name, graph in (("shipped", shipped), (f"synthetic x{args.scale}", bigger)):
        seconds, bank = timed(lambda g=graph: build_bank(g), args.repeat)
        things = len(bank.facts.things)
        runs.append((things, seconds))
        print(f"{name:<22} {len(graph):>9,} {things:>8,} {len(bank):>8,} {seconds:>13.2f} s")
    (small, t_small), (large, t_large) = runs
    exponent = math.log(t_large / t_small) / math.log(large / small)
    print(f"growth exponent (build time against things in the graph): {exponent:.2f}  (1.00 = linear)")
    with tempfile.TemporaryDirectory() as folder:
        print(f"\n{'bank cache (shipped graph)':<54} {'median':>8}")
        cold, _ = timed(
            lambda: cached_bank(shipped, data_files(), cache=BankCache(tempfile.mkdtemp(dir=folder))), args.repeat
        )
        cache = BankCache(folder)
        cached_bank(shipped, data_files(), cache=cache)
        warm, _ = timed(lambda: cached_bank(shipped, data_files(), cache=cache), args.repeat)
        print(f"{'build and store':<54} {cold:>6.2f} s")
        print(f"{'read from the cache':<54} {warm:>6.2f} s")
        env = {**os.environ, "OPSPREP_CACHE": str(folder) + "/cli"}
        for label in ("fresh process, empty cache", "fresh process, warm cache"):
            start = time.perf_counter()
            command = [sys.executable, "-m", "opsprep", "questions", "stats", "--json"]
            subprocess.run(command, env=env, check=True, capture_output=True)
            print(f"{'opsprep questions stats, ' + label:<54} {time.perf_counter() - start:>6.2f} s")


if __name__ == "__main__":
    main()
