"""No query makes an outbound request: a local listener sees zero connections over a corpus of spellings.

Two layers are tested apart and together: the check that reads a query's parse and refuses SERVICE,
FROM and updates before it runs (comment endings, Unicode whitespace, escapes, nesting, case, every
query and update form), and the query workers' network namespace (a worker has no network at all, so
even a query the check missed cannot connect).
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest

from opsprep.graph.dataset import QueryDataset, QueryRequest
from opsprep.graph.errors import QueryRejected, QuerySyntaxError
from opsprep.graph.query import MAX_NESTING, check_query, run_query
from opsprep.graph.store import ONTOLOGY_FILE, load_graph
from opsprep.web.sparql import get_pool

from .web_helpers import make_app

HANG_GUARD = 60.0


class Listener:
    """A TCP listener on 127.0.0.1 that counts the connections it accepts (and answers none)."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(HANG_GUARD)
        self.port = self.server.getsockname()[1]
        self.connections = 0
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stopped.is_set():
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            if not self._stopped.is_set():
                self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stopped.set()
        socket.create_connection(("127.0.0.1", self.port)).close()  # wake the accept
        self._thread.join(HANG_GUARD)
        self.server.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    found = Listener()
    yield found
    found.close()


def corpus(port: int) -> list[str]:
    """Ways of writing a federated query, a dataset clause or an update that names the listener."""
    url = f"http://127.0.0.1:{port}/internal"
    body = "{ ?s ?p ?o }"
    service = f"SERVICE <{url}> {body}"
    return [
        *spellings(port, url, body, service),
        *nestings(service, body),
        *datasets_and_updates(url, body, service),
    ]


def spellings(port: int, url: str, body: str, service: str) -> list[str]:
    """SERVICE in every case, after every comment ending, beside Unicode spaces and escapes."""
    return [
        f"SELECT ?o WHERE {{ SERVICE <{url}> {body} }}",
        f"SELECT ?o WHERE {{ service <{url}> {body} }}",
        f"SELECT ?o WHERE {{ SeRvIcE SILENT <{url}> {body} }}",
        f"SELECT ?o WHERE {{ # a comment ended by CR\rSERVICE <{url}> {body} }}",
        f"SELECT ?o WHERE {{ # a comment ended by CR LF\r\nSERVICE <{url}> {body} }}",
        f"SELECT ?o WHERE {{ #\u2028SERVICE <{url}> {body} }}",
        f"SELECT ?o WHERE {{ SERVICE\u00a0<{url}> {body} }}",
        f"SELECT ?o WHERE {{ SERVICE\u2003<{url}> {body} }}",
        f"SELECT ?o WHERE {{ SERVICE\t<{url}>{body} }}",
        f"SELECT ?o WHERE {{ ?s ?p <urn:a\u2003b> . SERVICE <{url}> {body} }}",
        f"SELECT ?o WHERE {{ ?s ?p '''x''' . SERVICE <{url}> {body} }}",
        f'SELECT ?o WHERE {{ ?s ?p "a\\"b" . SERVICE <{url}> {body} }}',
        f"SELECT ?o WHERE {{ {{ {{ SERVICE <{url}> {body} }} }} }}",
        f"SELECT ?o WHERE {{ OPTIONAL {{ SERVICE <{url}> {body} }} }}",
        f"SELECT ?o WHERE {{ FILTER EXISTS {{ SERVICE <{url}> {body} }} }}",
        f"SELECT * WHERE {{ {{ SELECT ?o WHERE {{ SERVICE <{url}> {body} }} }} }}",
        f"SELECT ?o WHERE {{ SERVICE ?where {body} VALUES ?where {{ <{url}> }} }}",
        f"ASK {{ SERVICE <{url}> {body} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {body} }}",
        f"DESCRIBE ?s WHERE {{ SERVICE <{url}> {body} }}",
        f"BASE <http://127.0.0.1:{port}/> SELECT ?o WHERE {{ SERVICE <internal> {body} }}",
        f"PREFIX x: <http://127.0.0.1:{port}/> SELECT ?o WHERE {{ SERVICE x:internal {body} }}",
        f"SELECT ?o FROM <{url}> WHERE {body}",
        f"LOAD <{url}>",
        f"SELECT ?o WHERE {{ \\u0053ERVICE <{url}> {body} }}",
        f"SELECT ?o WHERE {{ Service <{url}> {body} }}",
        f"SELECT ?o WHERE {{ SERVICE<{url}>{body} }}",
        f"SELECT ?o WHERE {{ SERVICE # a comment between\n<{url}> {body} }}",
        f"SELECT ?o WHERE {{ SERVICE SILENT\r<{url}> {body} }}",
        f"PREFIX x: <http://127.0.0.1:{port}/> # ended by CR\rSELECT ?o WHERE {{ SERVICE x:internal {body} }}",
        f"SELECT ?o WHERE {{ # a comment ended by CR CR LF\r\r\nSERVICE <{url}> {body} }}",
        f"SELECT ?o WHERE {{ #\x85SERVICE <{url}> {body} }}",
        f"SELECT ?o WHERE {{ #\x0bSERVICE <{url}> {body} }}",
        f"SELECT ?o WHERE {{ #\x0cSERVICE <{url}> {body} }}",
        f"SELECT ?o WHERE {{ #\u2029SERVICE <{url}> {body} }}",
        f"SELECT ?o WHERE {{ \u00a0SERVICE <{url}> {body} }}",
        f"SELECT ?o WHERE {{ SERVICE\u2028<{url}> {body} }}",
        f"SELECT ?o WHERE {{ SERVICE <http://127.0.0.1:{port}/in\u00a0ternal> {body} }}",
        f"SELECT ?o WHERE {{ SERVICE <http://127.0.0.1:{port}/in\u2003ternal> {body} }}",
        f"SELECT ?o WHERE {{ SERVICE <http://127.0.0.1:{port}/in\u2028ternal> {body} }}",
        f"SELECT ?o WHERE {{ \\U00000053ERVICE <{url}> {body} }}",
        f"SELECT ?o WHERE {{ \\u0073ervice <{url}> {body} }}",
        f"SELECT ?o WHERE {{ SERVIC\\u0045 <{url}> {body} }}",
        f"SELECT ?o WHERE {{ SERVICE <http://127.0.0.1:{port}/\\u0069nternal> {body} }}",
        f"SELECT ?o WHERE {{ ?s ?p ?o }} # \\u000A{service}",
        f'SELECT ?o WHERE {{ ?s ?p "x\\u0022 , " . {service} . ?s ?p " , \\u0022y" }}',
        f"SELECT ?o WHERE {{ \u017fervice <{url}> {body} }}",
        f"SELECT ?o WHERE {{ SERV\u0131CE <{url}> {body} }}",
        f"PREFIX x: <http://127.0.0.1:{port}/> SELECT ?o WHERE {{ SERVICE x:inter\\-nal {body} }}",
    ]


def nestings(service: str, body: str) -> list[str]:
    """SERVICE inside every kind of group, deep within the nesting limit, and in every query form."""
    deep = MAX_NESTING - 2
    return [
        f"SELECT ?o WHERE {{ {body} UNION {{ {service} }} }}",
        f"SELECT ?o WHERE {{ ?s ?p ?o MINUS {{ {service} }} }}",
        f"SELECT ?o WHERE {{ ?s ?p ?o FILTER NOT EXISTS {{ {service} }} }}",
        f"SELECT ?o WHERE {{ BIND(EXISTS {{ {service} }} AS ?b) }}",
        f"SELECT ?o WHERE {{ GRAPH ?g {{ {service} }} }}",
        f"SELECT ?o WHERE {{ {service} VALUES ?o {{ 1 2 }} }}",
        f"SELECT ?o WHERE {{ ?s ?p ?o }} VALUES ?o {{ 1 }} # then {service}\r}}",
        f"SELECT ?o WHERE {{ SERVICE SILENT ?where {{ {service} }} VALUES ?where {{ <urn:x> }} }}",
        f"ASK {{ OPTIONAL {{ {{ SELECT * WHERE {{ FILTER EXISTS {{ {service} }} }} }} }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {{ SELECT * WHERE {{ {service} }} }} }}",
        f"DESCRIBE <urn:x> WHERE {{ OPTIONAL {{ {service} }} }}",
        "SELECT ?o WHERE " + "{ " * deep + service + " }" * deep,
        "SELECT ?o WHERE { " + "OPTIONAL { " * (deep - 1) + service + " }" * (deep - 1) + " }",
        "SELECT ?o WHERE { " + "FILTER EXISTS { " * (deep // 2) + service + " }" * (deep // 2) + " }",
    ]


def datasets_and_updates(url: str, body: str, service: str) -> list[str]:
    """FROM and FROM NAMED in every query form, and every update form (one calling SERVICE)."""
    return [
        f"SELECT ?o FROM NAMED <{url}> WHERE {{ GRAPH ?g {body} }}",
        f"select ?o from <{url}> where {body}",
        f"ASK FROM <{url}> {body}",
        f"CONSTRUCT {{ ?s ?p ?o }} FROM <{url}> WHERE {body}",
        f"DESCRIBE ?s FROM NAMED <{url}> WHERE {body}",
        f"LOAD SILENT <{url}> INTO GRAPH <urn:g>",
        f"load <{url}>",
        f"INSERT {{ ?s ?p ?o }} WHERE {{ {service} }}",
        f"WITH <urn:g> DELETE {{ ?s ?p ?o }} INSERT {{ ?s ?p 1 }} WHERE {{ {service} }}",
        f"DELETE WHERE {{ ?s ?p <{url}> }}",
        f"INSERT DATA {{ <{url}> <{url}> <{url}> }}",
        f"DELETE DATA {{ <{url}> <{url}> <{url}> }}",
        f"CLEAR GRAPH <{url}>",
        f"CREATE GRAPH <{url}>",
        f"DROP SILENT GRAPH <{url}>",
        f"COPY <{url}> TO DEFAULT",
        f"MOVE <{url}> TO <urn:g>",
        f"ADD <{url}> TO <urn:g>",
        f"SELECT ?o WHERE {body} ; LOAD <{url}>",
        f"LOAD <{url}> ; SELECT ?o WHERE {body}",
    ]


def test_the_check_refuses_every_spelling(listener):
    for query in corpus(listener.port):
        with pytest.raises((QueryRejected, QuerySyntaxError)):
            check_query(query)
            # what the check lets through must at least fail to parse in the store
            QueryDataset(load_graph([ONTOLOGY_FILE])).answer(QueryRequest(query))
    assert listener.connections == 0


def test_the_worker_and_the_command_line_check_again(listener):
    """A worker's dataset and ``opsprep sparql`` (which runs queries in-process, network and all) refuse
    every spelling by themselves, without the endpoint's check before them."""
    graph = load_graph([ONTOLOGY_FILE])
    dataset = QueryDataset(graph)
    for query in corpus(listener.port):
        with pytest.raises((QueryRejected, QuerySyntaxError)):
            dataset.answer(QueryRequest(query))
        with pytest.raises((QueryRejected, QuerySyntaxError)):
            run_query(graph, query)
    assert listener.connections == 0


@pytest.mark.parametrize("how", ["get", "post-form", "post-direct", "query-page"])
def test_no_request_form_reaches_the_listener(tmp_path, listener, how):
    app = make_app(tmp_path, SPARQL_WORKERS=1, SPARQL_TIMEOUT=HANG_GUARD)
    client = app.test_client()
    try:
        for query in corpus(listener.port):
            if how == "get":
                response = client.get("/sparql", query_string={"query": query})
            elif how == "post-form":
                response = client.post("/sparql", data={"query": query})
            elif how == "post-direct":
                response = client.post("/sparql", data=query.encode(), content_type="application/sparql-query")
            else:
                response = client.get("/query", query_string={"query": query})
            assert response.status_code in (400, 403), (query, response.status_code)  # refused before it ran
            assert "Connection" not in response.get_data(as_text=True)  # no error text that probes the port
    finally:
        get_pool(app).close()
    assert listener.connections == 0


ISOLATED_CONNECT = """
import socket, sys
from opsprep.web.sparql.sandbox import isolate_network
done, how = isolate_network()
try:
    socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5).close()
    print(done, "connected")
except OSError as exc:
    print(done, "refused", exc.errno)
"""


def test_an_isolated_process_cannot_connect_even_to_loopback(listener):
    result = subprocess.run(
        [sys.executable, "-c", ISOLATED_CONNECT, str(listener.port)], capture_output=True, text=True, timeout=HANG_GUARD
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:2] == ["True", "refused"], result.stdout
    assert listener.connections == 0


def test_the_query_workers_have_no_network(tmp_path):
    app = make_app(tmp_path, SPARQL_WORKERS=2, SPARQL_TIMEOUT=HANG_GUARD)
    pool = get_pool(app)
    try:
        pool.warm_up()
        assert pool.network_isolated is True
    finally:
        pool.close()
