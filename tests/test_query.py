"""Running SPARQL and writing results in every format."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from rdflib import Graph

from opsprep.graph import QueryRejected, QuerySyntaxError
from opsprep.graph.query import check_query, run_query
from opsprep.graph.results import GRAPH_FORMATS, serialize_result

SELECT = """SELECT ?tool ?label WHERE { ?tool a ops:Tool ; skos:prefLabel ?label } ORDER BY ?label"""
CONSTRUCT = """CONSTRUCT { ?s skos:prefLabel ?l } WHERE { ?s a ops:CloudService ; skos:prefLabel ?l }"""
SPARQL_RESULTS = "{http://www.w3.org/2005/sparql-results#}"


def test_select_table(mini_graph):
    text = serialize_result(run_query(mini_graph, SELECT), "table")
    lines = text.splitlines()
    assert lines[0].split() == ["tool", "label"]
    assert set(lines[1]) <= {"-", " "}
    assert lines[2].split() == ["https://w3id.org/opsprep/id/tool/ansible", "Ansible"]


def test_select_json(mini_graph):
    data = json.loads(serialize_result(run_query(mini_graph, SELECT), "json"))
    assert data["head"]["vars"] == ["tool", "label"]
    (binding,) = data["results"]["bindings"]
    assert binding["tool"] == {"type": "uri", "value": "https://w3id.org/opsprep/id/tool/ansible"}
    assert binding["label"] == {"type": "literal", "value": "Ansible", "xml:lang": "en"}


def test_select_xml(mini_graph):
    root = ET.fromstring(serialize_result(run_query(mini_graph, SELECT), "xml"))
    names = [v.get("name") for v in root.iter(f"{SPARQL_RESULTS}variable")]
    assert names == ["tool", "label"]
    assert [r for r in root.iter(f"{SPARQL_RESULTS}result")]


def test_select_csv(mini_graph):
    rows = list(csv.reader(io.StringIO(serialize_result(run_query(mini_graph, SELECT), "csv"))))
    assert rows == [["tool", "label"], ["https://w3id.org/opsprep/id/tool/ansible", "Ansible"]]


def test_select_tsv_uses_ntriples_terms(mini_graph):
    text = serialize_result(run_query(mini_graph, SELECT), "tsv")
    assert text.splitlines() == ["?tool\t?label", '<https://w3id.org/opsprep/id/tool/ansible>\t"Ansible"@en']


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("json", '"boolean": true'),
        ("csv", "true"),
        ("tsv", "true"),
        ("xml", "<boolean>true</boolean>"),
        ("table", "true"),
    ],
)
def test_ask_in_every_format(mini_graph, fmt, expected):
    assert expected in serialize_result(run_query(mini_graph, "ASK { ?s a ops:Tool }"), fmt)


@pytest.mark.parametrize("fmt", list(GRAPH_FORMATS))
def test_construct_round_trips_in_every_graph_format(mini_graph, fmt):
    result = run_query(mini_graph, CONSTRUCT)
    text = serialize_result(result, fmt)
    parsed = Graph().parse(data=text, format={"rdfxml": "xml"}.get(fmt, fmt))
    assert set(parsed) == set(result.graph)
    assert len(parsed) == 3


def test_describe_returns_a_graph(mini_graph):
    result = run_query(mini_graph, "DESCRIBE tool:ansible")
    assert "Ansible" in serialize_result(result, "turtle")


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_graph_result_refuses_tabular_format(mini_graph, fmt):
    with pytest.raises(ValueError, match="graph"):
        serialize_result(run_query(mini_graph, CONSTRUCT), fmt)


def test_select_refuses_graph_format(mini_graph):
    with pytest.raises(ValueError, match="cannot be written as turtle"):
        serialize_result(run_query(mini_graph, SELECT), "turtle")


def test_syntax_error_carries_parser_message_with_user_line(mini_graph):
    with pytest.raises(QuerySyntaxError) as info:
        run_query(mini_graph, "SELECT ?s\nWHERE { ?s a }")
    assert "line 2" in str(info.value)


def test_prefixes_can_be_redeclared(mini_graph):
    query = "PREFIX ops: <https://w3id.org/opsprep/ontology#> SELECT * WHERE { ?s a ops:Tool }"
    assert len(list(run_query(mini_graph, query))) == 1


@pytest.mark.parametrize(
    "query",
    [
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "LOAD <https://example.org/data.ttl>",
        "CLEAR ALL",
        "DROP GRAPH <urn:g>",
        "SELECT * WHERE { SERVICE <https://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * FROM <https://example.org/data.ttl> WHERE { ?s ?p ?o }",
        "select * from named <urn:x> where { ?s ?p ?o }",
    ],
)
def test_updates_and_remote_access_are_refused(mini_graph, query):
    before = len(mini_graph)
    with pytest.raises(QueryRejected):
        run_query(mini_graph, query)
    assert len(mini_graph) == before


@pytest.mark.parametrize(
    "query",
    [
        'SELECT * WHERE { ?s skos:definition ?d FILTER(CONTAINS(?d, "INSERT DATA {")) }',
        "SELECT * WHERE { ?s ?p ?o } # SERVICE in a comment\n",
        "SELECT ?from WHERE { ?from ?p <https://example.org/SERVICE> }",
    ],
)
def test_keywords_in_strings_comments_and_iris_are_allowed(query):
    check_query(query)


def test_overlong_query_is_refused():
    with pytest.raises(QueryRejected, match="limit"):
        check_query("SELECT * WHERE { ?s ?p ?o }" + " " * 200_000)
