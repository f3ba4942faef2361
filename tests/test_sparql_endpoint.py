"""The /sparql endpoint: protocol, content negotiation, safety limits, CORS, service description, query page."""

from __future__ import annotations

import csv
import io
import logging
import threading
import xml.etree.ElementTree as ET

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF

from opsprep.web.app import create_app
from opsprep.web.sparql import get_pool
from opsprep.web.sparql.examples import load_examples
from opsprep.web.sparql.pool import Worker

SELECT = "SELECT ?label WHERE { tool:ansible skos:prefLabel ?label }"
CONSTRUCT = "CONSTRUCT { ?s skos:prefLabel ?l } WHERE { ?s ops:agentModel ops:Agentless ; skos:prefLabel ?l }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
RESULTS = "{http://www.w3.org/2005/sparql-results#}"
#: seconds anything here may wait: a guard against hanging, never a measure of speed
HANG_GUARD = 60.0
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
RDFLIB_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}


def make_app(**config):
    """The app on the shipped graph. A query may run for ``HANG_GUARD`` seconds unless a test sets
    ``SPARQL_TIMEOUT`` to test the limit itself."""
    return create_app(
        {"TESTING": True, "SECRET_KEY": "test", "SPARQL_WORKERS": 2, "SPARQL_TIMEOUT": HANG_GUARD, **config}
    )


@pytest.fixture(scope="module", autouse=True)
def instance_folder(tmp_path_factory):
    """A temporary instance folder for every app of this module (``create_app`` makes the folder): not the
    checkout's ``instance/``."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OPSPREP_INSTANCE", str(tmp_path_factory.mktemp("instance")))
        yield


@pytest.fixture(scope="module")
def app():
    app = make_app()
    yield app
    get_pool(app).close()


@pytest.fixture
def client(app):
    return app.test_client()


def media(response) -> str:
    return response.headers["Content-Type"].split(";")[0]


# ---------------------------------------------------------------------------------------------- protocol


@pytest.mark.parametrize("how", ["get", "post-form", "post-direct"])
def test_three_ways_to_send_a_query(client, how):
    if how == "get":
        response = client.get("/sparql", query_string={"query": SELECT})
    elif how == "post-form":
        response = client.post("/sparql", data={"query": SELECT})
    else:
        response = client.post("/sparql", data=SELECT, content_type="application/sparql-query")
    assert response.status_code == 200, response.text
    assert media(response) == "application/sparql-results+json"
    bindings = response.json["results"]["bindings"]
    assert bindings == [{"label": {"type": "literal", "value": "Ansible", "xml:lang": "en"}}]


def test_bad_syntax_is_400_with_the_parsers_message(client):
    response = client.get("/sparql", query_string={"query": "SELECT ?x WHERE { ?x"})
    assert response.status_code == 400
    assert response.text.startswith("Malformed SPARQL query: error at 1:")
    assert "expected" in response.text


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_405(client, method):
    response = client.open("/sparql", method=method, query_string={"query": "ASK {}"})
    assert response.status_code == 405
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "POST"}


@pytest.mark.parametrize(
    "content_type", [None, "text/plain", "application/json", "application/sparql-query; charset=UTF-16"]
)
def test_other_content_types_are_415(client, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    response = client.post("/sparql", data=b"ASK {}", headers=headers)
    assert response.status_code == 415
    assert "application/sparql-query" in response.text or "UTF-8" in response.text


def test_a_body_that_is_not_utf8_is_400(client):
    response = client.post(
        "/sparql", data="ASK { ?s ?p 'é' }".encode("latin-1"), content_type="application/sparql-query"
    )
    assert response.status_code == 400
    assert "UTF-8" in response.text


@pytest.mark.parametrize(
    ("path", "kwargs"),
    [
        ("/sparql?query=ASK{}&query=ASK{}", {}),
        ("/sparql?query=ASK{}", {"data": {"query": "ASK {}"}, "method": "POST"}),
        ("/sparql?query=ASK{}", {"data": "ASK {}", "content_type": "application/sparql-query", "method": "POST"}),
    ],
    ids=["two-in-url", "url-and-form", "url-and-body"],
)
def test_two_queries_are_400(client, path, kwargs):
    response = client.open(path, **kwargs)
    assert response.status_code == 400
    assert "exactly one query" in response.text


# ------------------------------------------------------------------------------------ content negotiation


def parse_tabular(response) -> list[list[str]]:
    """Rows of plain values from any SPARQL results format (header excluded)."""
    kind = media(response)
    if kind == "application/sparql-results+json":
        data = response.json
        return [[b[v]["value"] for v in data["head"]["vars"]] for b in data["results"]["bindings"]]
    if kind == "application/sparql-results+xml":
        root = ET.fromstring(response.data)
        return [
            [e.text for e in r.iter() if e.tag in (f"{RESULTS}literal", f"{RESULTS}uri")]
            for r in root.iter(f"{RESULTS}result")
        ]
    if kind == "text/csv":
        return list(csv.reader(io.StringIO(response.text)))[1:]
    assert kind == "text/tab-separated-values"
    return [[cell.split('"')[1] for cell in line.split("\t")] for line in response.text.splitlines()[1:]]


@pytest.mark.parametrize(
    "accept",
    ["application/sparql-results+json", "application/sparql-results+xml", "text/csv", "text/tab-separated-values"],
)
def test_select_in_every_results_format(client, accept):
    response = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": accept})
    assert response.status_code == 200
    assert media(response) == accept
    assert parse_tabular(response) == [["Ansible"]]


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
        ("application/json", "application/sparql-results+json"),
        ("text/*", "text/csv"),
        ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
    ],
)
def test_negotiation_defaults_and_preferences(client, accept, expected):
    headers = {"Accept": accept} if accept else {}
    response = client.get("/sparql", query_string={"query": SELECT}, headers=headers)
    assert media(response) == expected
    assert "Accept" in response.headers["Vary"]


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("application/sparql-results+json", '"boolean":true'),
        ("application/sparql-results+xml", "<boolean>true</boolean>"),
        ("text/csv", "true"),
        ("text/tab-separated-values", "true"),
    ],
)
def test_ask_in_every_results_format(client, accept, expected):
    query = "ASK { tool:ansible ops:agentModel ops:Agentless }"
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200
    assert media(response) == accept
    assert expected in response.text


@pytest.mark.parametrize("accept", list(RDFLIB_FORMATS))
@pytest.mark.parametrize("query", [CONSTRUCT, "DESCRIBE tool:ansible"], ids=["construct", "describe"])
def test_graphs_in_every_rdf_format(client, accept, query):
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200
    assert media(response) == accept
    graph = Graph().parse(data=response.data, format=RDFLIB_FORMATS[accept])
    ansible = URIRef("https://w3id.org/opsprep/id/tool/ansible")
    assert (ansible, URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"), None) in graph


def test_a_select_that_accepts_only_rdf_is_406(client):
    response = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": "text/turtle"})
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.text


@pytest.mark.parametrize(
    ("fmt", "expected"), [("csv", "text/csv"), ("turtle", "text/turtle"), ("text/csv", "text/csv")]
)
def test_format_parameter_overrides_accept(client, fmt, expected):
    query = CONSTRUCT if fmt == "turtle" else SELECT
    response = client.get("/sparql", query_string={"query": query, "format": fmt}, headers={"Accept": "*/*"})
    assert media(response) == expected


def test_unknown_format_parameter_is_400(client):
    response = client.get("/sparql", query_string={"query": SELECT, "format": "yaml"})
    assert response.status_code == 400


# ----------------------------------------------------------------------------------------------- datasets


def test_protocol_dataset_is_honoured(client):
    """A default-graph-uri naming a graph the service does not hold gives an empty default graph."""
    everything = "ASK { ?s ?p ?o }"
    assert client.get("/sparql", query_string={"query": everything}).json["boolean"] is True
    elsewhere = {"query": everything, "default-graph-uri": "http://example.org/no-such-graph"}
    assert client.get("/sparql", query_string=elsewhere).json["boolean"] is False


def test_dataset_parameters_must_be_iris(client):
    response = client.get("/sparql", query_string={"query": "ASK {}", "default-graph-uri": "not an iri"})
    assert response.status_code == 400
    assert "IRI" in response.text


# ------------------------------------------------------------------------------------------------- safety


@pytest.mark.parametrize(
    ("request_kwargs", "status"),
    [
        ({"data": "INSERT DATA { <a:b> <a:c> <a:d> }", "content_type": "application/sparql-update"}, 403),
        ({"data": {"update": "CLEAR ALL"}}, 403),
        ({"data": {"query": "INSERT DATA { <a:b> <a:c> <a:d> }"}}, 403),
        ({"data": {"query": "DROP ALL"}}, 403),
    ],
    ids=["sparql-update-body", "update-form", "update-as-query", "drop-as-query"],
)
def test_updates_are_refused(client, request_kwargs, status):
    response = client.post("/sparql", **request_kwargs)
    assert response.status_code == status
    assert client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}).json["boolean"] is True


def test_update_via_get_is_refused(client):
    assert client.get("/sparql", query_string={"update": "CLEAR ALL"}).status_code == 403


@pytest.mark.parametrize(
    ("query", "status", "word"),
    [
        ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", 400, "SERVICE"),
        ("SELECT * FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }", 400, "FROM"),
        ("SELECT * FROM NAMED <http://example.org/data.ttl> WHERE { GRAPH ?g { ?s ?p ?o } }", 400, "FROM"),
        ("LOAD <http://example.org/data.ttl>", 403, "update"),  # an update: refused as every update is
    ],
)
def test_remote_access_is_refused_before_anything_runs(app, monkeypatch, query, status, word):
    def no_worker(*args, **kwargs):
        raise AssertionError("the query reached a worker")

    monkeypatch.setattr(get_pool(app), "run", no_worker)
    response = app.test_client().get("/sparql", query_string={"query": query})
    assert response.status_code == status
    assert word in response.text


def test_query_size_is_capped():
    app = make_app(SPARQL_MAX_QUERY_LENGTH=200)
    response = app.test_client().get("/sparql", query_string={"query": "ASK {}" + " " * 300})
    assert response.status_code == 400
    assert "limit is 200" in response.text
    assert "opsprep.sparql.pool" not in app.extensions  # refused before any worker started


def test_result_rows_are_capped():
    app = make_app(SPARQL_MAX_ROWS=5)
    try:
        client = app.test_client()
        response = client.get("/sparql", query_string={"query": "SELECT ?s ?l WHERE { ?s skos:prefLabel ?l }"})
        assert len(response.json["results"]["bindings"]) == 5
        assert response.headers["X-SPARQL-MaxRows"] == "5"
        response = client.get("/sparql", query_string={"query": "CONSTRUCT WHERE { ?s skos:prefLabel ?l }"})
        assert len(Graph().parse(data=response.data, format="turtle")) == 5
        small = client.get("/sparql", query_string={"query": SELECT})
        assert "X-SPARQL-MaxRows" not in small.headers
    finally:
        get_pool(app).close()


def test_a_runaway_query_is_stopped_while_others_are_served(monkeypatch):
    """A cartesian product runs past the limit; its worker is killed and replaced, and other queries go on.

    Nothing here depends on how fast the machine is: the test waits until a worker has the runaway query,
    holds the runaway's clock (the pool's wait for its answer) until the other queries are answered, and
    gives those queries a limit they cannot reach; then it lets the runaway's 1.5-second limit run out.
    """
    app = make_app(SPARQL_TIMEOUT=1.5)
    pool = get_pool(app)
    pool.warm_up()
    running = threading.Event()  # a worker has the runaway query and the pool waits for its answer
    others_served = threading.Event()  # the runaway's clock may start
    call = Worker.call

    def call_holding_the_runaway(worker, request, timeout):
        if request.query == RUNAWAY:
            wait_for_answer = worker.conn.poll

            def held(seconds):
                running.set()
                others_served.wait(HANG_GUARD)
                return wait_for_answer(seconds)

            worker.conn.poll = held  # this worker is killed at the limit, its pipe with it
        return call(worker, request, timeout)

    monkeypatch.setattr(Worker, "call", call_holding_the_runaway)
    runaway = {}

    def send_runaway():
        runaway["response"] = app.test_client().get("/sparql", query_string={"query": RUNAWAY})

    thread = threading.Thread(target=send_runaway)
    try:
        thread.start()
        try:
            assert running.wait(HANG_GUARD), "the runaway query never reached a worker"
            app.config["SPARQL_TIMEOUT"] = HANG_GUARD  # the queries from now on; the runaway keeps its 1.5 s
            statuses = [app.test_client().get("/sparql", query_string={"query": SELECT}).status_code for _ in range(3)]
            assert statuses == [200, 200, 200]
            assert thread.is_alive() and "response" not in runaway  # answered while the runaway still runs
        finally:
            others_served.set()
            thread.join(HANG_GUARD)
        assert not thread.is_alive(), "the runaway query was not stopped"
        response = runaway["response"]
        assert response.status_code == 503
        assert "ran past its 1.5-second limit" in response.text
        # the killed worker was replaced: both workers answer again
        for _ in range(4):
            assert app.test_client().get("/sparql", query_string={"query": SELECT}).status_code == 200
        assert pool.size == 2 and len(pool._workers) == 2
    finally:
        pool.close()


def test_a_dead_worker_is_replaced():
    app = make_app()
    pool = get_pool(app)
    pool.warm_up()
    try:
        for worker in list(pool._workers):
            worker.process.kill()
            worker.process.join(5)
        client = app.test_client()
        statuses = [client.get("/sparql", query_string={"query": SELECT}).status_code for _ in range(4)]
        assert statuses[:2] == [500, 500] and statuses[2:] == [200, 200]
    finally:
        pool.close()


def test_a_graph_that_does_not_load_is_a_500_with_the_reason(tmp_path):
    app = make_app(SPARQL_NAMED_GRAPHS={"http://example.org/g": tmp_path / "missing.ttl"})
    try:
        response = app.test_client().get("/sparql", query_string={"query": "ASK {}"})
        assert response.status_code == 500
        assert "could not load the graph" in response.text and "missing.ttl" in response.text
    finally:
        get_pool(app).close()


def test_each_query_is_logged_with_its_duration(client, caplog):
    with caplog.at_level(logging.INFO, logger="opsprep.web.sparql"):
        client.get("/sparql", query_string={"query": SELECT})
        client.get("/sparql", query_string={"query": "SELECT ?x WHERE {"})
    ok, bad = [r.getMessage() for r in caplog.records if r.name == "opsprep.web.sparql"]
    assert ok.startswith("sparql SELECT json rows=1 ") and " ms: SELECT ?label WHERE" in ok
    assert bad.startswith("sparql 400 QuerySyntaxError ")


# ------------------------------------------------------------------------------------ CORS and description


def test_cors_on_get_and_post(client):
    for response in (
        client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Origin": "https://yasgui.example"}),
        client.post("/sparql", data={"query": "ASK {}"}, headers={"Origin": "https://yasgui.example"}),
    ):
        assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_cors_preflight(client):
    response = client.options(
        "/sparql",
        headers={
            "Origin": "https://yasgui.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert response.headers["Access-Control-Allow-Headers"] == "content-type"


def test_service_description_in_turtle(client):
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert media(response) == "text/turtle"
    graph = Graph().parse(data=response.data, format="turtle")
    service = URIRef("http://localhost/sparql")
    assert (service, RDF.type, SD.Service) in graph
    assert (service, SD.endpoint, service) in graph
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert len(list(graph.objects(service, SD.resultFormat))) == 8


def test_a_browser_without_a_query_goes_to_the_page(client):
    response = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/query")


# ---------------------------------------------------------------------------------------------- the page


def test_there_are_at_least_ten_examples_and_each_runs(client):
    examples = load_examples()
    assert len(examples) >= 10
    for example in examples:
        assert example.text.count("PREFIX ") >= 1, example.name
        response = client.post("/sparql", data=example.text, content_type="application/sparql-query")
        assert response.status_code == 200, (example.name, response.text)
        assert len(response.data) > 20, example.name


def test_page_shows_editor_prefixes_and_examples(client):
    response = client.get("/query")
    assert response.status_code == 200
    page = response.text
    assert '<textarea id="query" name="query"' in page
    assert page.count('href="/query?example=') == len(load_examples())
    assert "<dt>ops:</dt>" in page


def test_page_runs_an_example_into_a_table_with_linked_iris(client):
    response = client.get("/query", query_string={"example": "dop-c02-sdlc-azure"})
    assert response.status_code == 200
    page = response.text
    assert "<table>" in page and "Azure Kubernetes Service" in page
    assert 'href="/query?query=DESCRIBE+%3Chttps://w3id.org/opsprep/id/aws/eks%3E"' in page
    assert '<td title="https://w3id.org/opsprep/id/aws/eks"><a href=' in page and ">aws:eks</a>" in page


def test_page_downloads_in_every_format(client):
    page = client.get("/query", query_string={"example": "agentless-config-management"}).text
    links = [part.split('"', 1)[0].replace("&amp;", "&") for part in page.split('href="')[1:] if "format=" in part]
    assert len(links) == 4
    types = {media(client.get(link)) for link in links}
    assert types == {
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    }
    page = client.get("/query", query_string={"example": "aws-azure-map"}).text
    assert '<pre class="rdf">' in page and page.count("download=") == 4


def test_page_shows_a_syntax_error(client):
    response = client.get("/query", query_string={"query": "SELECT ?x WHERE {"})
    assert response.status_code == 400
    assert 'role="alert"' in response.text and "Malformed SPARQL query" in response.text


def test_page_shows_ask_answers(client):
    response = client.get("/query", query_string={"example": "ansible-is-agentless"})
    assert 'class="boolean boolean-true"' in response.text
