"""Our SPARQL endpoint against rdflib-endpoint, serving the same Turtle data, over HTTP on localhost.

Exports the shipped graph to one Turtle file, serves it with ``opsprep serve --production`` (waitress) and
with rdflib-endpoint (uvicorn; the reference, installed by ``pip install -e '.[bench]'``), checks that both
give the same answers to the example queries (examples/*.rq, with their PREFIX lines), then replays the
same mix against each from a few keep-alive client threads for a fixed time and prints requests per
second and median/p99 latency side by side, with the machine it ran on.

    python benchmarks/sparql_endpoint.py [--seconds 10] [--clients 4] [--reference-store default]
"""

from __future__ import annotations

import argparse
import http.client
import importlib.metadata
import json
import platform
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from timing import machine

from opsprep.graph.store import load_graph
from opsprep.web.sparql.examples import load_examples

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def query_form(query: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first keyword after comments and PREFIX lines."""
    code = re.sub(r"#[^\n]*|PREFIX\s+[\w-]*:\s*<[^>]*>", " ", query, flags=re.IGNORECASE)
    return re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", code, re.IGNORECASE).group(1).upper()


def accept_for(query: str) -> str:
    return "text/turtle" if query_form(query) in ("CONSTRUCT", "DESCRIBE") else "application/sparql-results+json"


class Server:
    """A server in a subprocess, stopped by :meth:`stop`."""

    def __init__(self, name: str, command: list[str], port: int, path: str, log: Path):
        self.name, self.port, self.path = name, port, path
        self.log = log.open("w")
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)

    def wait_until_up(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name} exited with {self.process.returncode}; see {self.log.name}")
            try:
                status, _, _ = request(http.client.HTTPConnection(HOST, self.port, timeout=5), self.path, "ASK {}")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.25)
        raise SystemExit(f"{self.name} did not answer within {timeout:g} s; see {self.log.name}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def request(conn: http.client.HTTPConnection, path: str, query: str) -> tuple[int, str, bytes]:
    """GET one query; return (status, content type, body)."""
    conn.request("GET", f"{path}?" + urllib.parse.urlencode({"query": query}), headers={"Accept": accept_for(query)})
    response = conn.getresponse()
    return response.status, response.getheader("Content-Type", ""), response.read()


def answer_key(query: str, content_type: str, body: bytes):
    """A comparable form of an answer: the set of value tuples, the boolean, or the number of triples."""
    form = query_form(query)
    if form in ("CONSTRUCT", "DESCRIBE"):
        from rdflib import Graph

        # rdflib-endpoint answers DESCRIBE with RDF/XML labelled application/sparql-results+xml
        rdf_format = "xml" if "xml" in content_type or body.lstrip().startswith(b"<?xml") else "turtle"
        return f"{len(Graph().parse(data=body, format=rdf_format))} triples"
    data = json.loads(body)
    if form == "ASK":
        return data["boolean"]
    names = data["head"]["vars"]
    return sorted(tuple(value(b.get(n)) for n in names) for b in data["results"]["bindings"])


def value(term: dict | None) -> str:
    """A term's value; numbers by value, since Oxigraph writes 25.0 (xsd:decimal) as 25 and rdflib as 25.0."""
    if term is None:
        return ""
    if term.get("datatype", "").endswith(("#decimal", "#double", "#float")):
        return repr(float(term["value"]))
    return term["value"]


def load(server: Server, queries: list[str], seconds: float, clients: int) -> dict:
    """Replay the query mix from ``clients`` threads for ``seconds``; return throughput and latencies."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(seed: int) -> None:
        conn = http.client.HTTPConnection(HOST, server.port, timeout=60)
        mix = queries[:]
        random.Random(seed).shuffle(mix)
        mine, failed, i = [], 0, 0
        while time.monotonic() < deadline:
            start = time.perf_counter()
            status, _, _ = request(conn, server.path, mix[i % len(mix)])
            mine.append(time.perf_counter() - start)
            failed += status != 200
            i += 1
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors[0],
        "rps": len(latencies) / elapsed,
        "median_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
    }


def version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10, help="load time per server (default 10)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent keep-alive clients (default 4)")
    parser.add_argument(
        "--reference-store", default="default", help="rdflib store for rdflib-endpoint: default or Oxigraph"
    )
    args = parser.parse_args()
    if version("rdflib-endpoint") == "not installed":
        raise SystemExit("rdflib-endpoint is not installed: pip install -e '.[bench]'")
    print(f"{machine()} {platform.system()}")
    print(
        f"opsprep (waitress {version('waitress')}, flask {version('flask')}, pyoxigraph {version('pyoxigraph')}) vs "
        f"rdflib-endpoint {version('rdflib-endpoint')} (uvicorn {version('uvicorn')}, rdflib {version('rdflib')}, "
        f"store={args.reference_store})"
    )
    queries = [example.text for example in load_examples()]
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        data.mkdir()
        graph = load_graph()
        graph.serialize(data / "graph.ttl", format="turtle")
        print(f"data: {len(graph):,} triples in one Turtle file; {len(queries)} queries (examples/*.rq)")
        ours_port, ref_port = free_port(), free_port()
        cli = "from opsprep.cli import main; main()"
        servers = [
            Server(
                "opsprep",
                [sys.executable, "-c", cli, "--data", str(data), "serve", "--production", "--port", str(ours_port)],
                ours_port,
                "/sparql",
                Path(tmp) / "opsprep.log",
            ),
            Server(
                "rdflib-endpoint",
                [sys.executable, "-m", "rdflib_endpoint", "serve", str(data / "graph.ttl"), "--host", HOST]
                + ["--port", str(ref_port), "--store", args.reference_store],
                ref_port,
                "/",  # rdflib-endpoint's command line serves its endpoint at the root
                Path(tmp) / "rdflib-endpoint.log",
            ),
        ]
        try:
            for server in servers:
                server.wait_until_up()
            compare(queries, *servers)
            results = {}
            for server in servers:
                load(server, queries, min(2.0, args.seconds), args.clients)  # warm-up
                results[server.name] = load(server, queries, args.seconds, args.clients)
        finally:
            for server in servers:
                server.stop()
    print(f"\nload: {args.clients} keep-alive clients, {args.seconds:g} s per server, GET, the queries in turn")
    print(f"{'server':<16} {'requests':>9} {'errors':>7} {'req/s':>9} {'median':>10} {'p99':>10}")
    for name, r in results.items():
        print(
            f"{name:<16} {r['requests']:>9,} {r['errors']:>7} {r['rps']:>9.1f} "
            f"{r['median_ms']:>7.2f} ms {r['p99_ms']:>7.2f} ms"
        )
    ours, ref = results["opsprep"], results["rdflib-endpoint"]
    speedup, latency = ours["rps"] / ref["rps"], ref["median_ms"] / ours["median_ms"]
    print(f"\nthroughput: {speedup:.1f}x rdflib-endpoint's; median latency {latency:.1f}x lower")


def compare(queries: list[str], *servers: Server) -> None:
    """Ask both servers each query once and print whether they agree."""
    print(f"\n{'query':<30} {'form':<9} {'opsprep':>10} {'reference':>10}  same answer")
    conns = [(http.client.HTTPConnection(HOST, s.port, timeout=60), s.path) for s in servers]
    for example, query in zip(load_examples(), queries, strict=True):
        timings, keys = [], []
        for conn, path in conns:
            start = time.perf_counter()
            status, content_type, body = request(conn, path, query)
            timings.append((time.perf_counter() - start) * 1000)
            keys.append(answer_key(query, content_type, body) if status == 200 else f"HTTP {status}")
        same = "yes" if keys[0] == keys[1] else f"NO: {str(keys[0])[:40]} / {str(keys[1])[:40]}"
        print(f"{example.name:<30} {query_form(query):<9} {timings[0]:>7.1f} ms {timings[1]:>7.1f} ms  {same}")


if __name__ == "__main__":
    main()
