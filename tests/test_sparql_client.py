"""SPARQLWrapper, a real SPARQL client, against the endpoint served on 127.0.0.1."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from rdflib import Graph, URIRef
from SPARQLWrapper import CSV, JSON, JSONLD, POST, POSTDIRECTLY, TSV, TURTLE, URLENCODED, XML, SPARQLWrapper

from opsprep.web.app import create_app

from .web_helpers import serve

SELECT = """SELECT ?name WHERE {
    ?tool ops:inCategory cat:configuration-management ; ops:agentModel ops:Agentless ; skos:prefLabel ?name
}"""
ASK = "ASK { tool:ansible ops:agentModel ops:Agentless }"
CONSTRUCT = "CONSTRUCT { ?t skos:prefLabel ?name } WHERE { ?t ops:agentModel ops:Agentless ; skos:prefLabel ?name }"
ANSIBLE = URIRef("https://w3id.org/opsprep/id/tool/ansible")
RESULTS = "http://www.w3.org/2005/sparql-results#"


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    """The app served by werkzeug on a free port of 127.0.0.1, in a thread."""
    with serve(create_app({"TESTING": True, "SPARQL_WORKERS": 2})) as url:
        yield f"{url}/sparql"


def client(endpoint: str, query: str, fmt: str, how: str = "get") -> SPARQLWrapper:
    sparql = SPARQLWrapper(endpoint)
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    if how != "get":
        sparql.setMethod(POST)
        sparql.setRequestMethod(POSTDIRECTLY if how == "post-direct" else URLENCODED)
    return sparql


@pytest.mark.parametrize("how", ["get", "post-form", "post-direct"])
def test_select_json(endpoint, how):
    result = client(endpoint, SELECT, JSON, how).queryAndConvert()
    assert result["head"]["vars"] == ["name"]
    assert [b["name"]["value"] for b in result["results"]["bindings"]] == ["Ansible"]


def test_select_xml(endpoint):
    document = client(endpoint, SELECT, XML).queryAndConvert()
    literals = document.getElementsByTagNameNS(RESULTS, "literal")
    assert [node.firstChild.data for node in literals] == ["Ansible"]


def test_select_csv(endpoint):
    data = client(endpoint, SELECT, CSV).queryAndConvert()
    assert list(csv.reader(io.StringIO(data.decode("utf-8")))) == [["name"], ["Ansible"]]


def test_select_tsv(endpoint):
    data = client(endpoint, SELECT, TSV).queryAndConvert()
    assert data.decode("utf-8").splitlines() == ["?name", '"Ansible"@en']


@pytest.mark.parametrize("fmt", [JSON, XML, CSV])
def test_ask(endpoint, fmt):
    result = client(endpoint, ASK, fmt).queryAndConvert()
    if fmt == JSON:
        assert result["boolean"] is True
    elif fmt == XML:
        assert result.getElementsByTagNameNS(RESULTS, "boolean")[0].firstChild.data == "true"
    else:
        assert b"true" in result


def test_construct_turtle(endpoint):
    data = client(endpoint, CONSTRUCT, TURTLE).queryAndConvert()
    graph = Graph().parse(data=data, format="turtle")
    assert (ANSIBLE, None, None) in graph


@pytest.mark.parametrize("fmt", [XML, JSONLD])
def test_construct_as_rdf_graph(endpoint, fmt):
    graph = client(endpoint, CONSTRUCT, fmt).queryAndConvert()
    assert isinstance(graph, Graph)
    assert (ANSIBLE, None, None) in graph


def test_describe_turtle(endpoint):
    data = client(endpoint, "DESCRIBE tool:ansible", TURTLE).queryAndConvert()
    assert "Ansible" in data.decode("utf-8")
