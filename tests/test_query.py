"""Running SPARQL and writing results in every format."""

from __future__ import annotations

import csv
import io
import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from rdflib import Graph

from opsprep.errors import ErrorKind
from opsprep.graph import QueryRejected, QuerySyntaxError
from opsprep.graph.query import MAX_NESTING, check_query, run_query
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


# ------------------------------------------------------------------------ what the check reads from a parse

EXAMPLES = sorted((Path(__file__).parents[1] / "examples").glob("*.rq"))
UPDATE = "This is a SPARQL update; the graph is read-only and accepts queries only."
BODY = "{ ?s ?p ?o }"


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "DELETE DATA { <urn:a> <urn:b> <urn:c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }",
        "WITH <urn:g> DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }",
        "LOAD SILENT <https://example.org/data.ttl> INTO GRAPH <urn:g>",
        "clear default",
        "CREATE GRAPH <urn:g>",
        "DROP SILENT NAMED",
        "COPY DEFAULT TO <urn:g>",
        "MOVE <urn:a> TO <urn:b>",
        "ADD <urn:a> TO DEFAULT",
        "PREFIX ex: <urn:ex:> INSERT DATA { ex:a ex:b ex:c } ; DROP ALL",
    ],
)
def test_every_update_form_is_forbidden(update):
    with pytest.raises(QueryRejected) as info:
        check_query(update)
    assert info.value.kind is ErrorKind.FORBIDDEN
    assert info.value.message == UPDATE


@pytest.mark.parametrize(
    "where",
    [
        f"SERVICE <https://example.org/sparql> {BODY}",
        f"SERVICE SILENT ?endpoint {BODY} VALUES ?endpoint {{ <https://example.org/sparql> }}",
        f"OPTIONAL {{ SERVICE <https://example.org/sparql> {BODY} }}",
        f"{BODY} UNION {{ SERVICE <https://example.org/sparql> {BODY} }}",
        f"?s ?p ?o MINUS {{ SERVICE <https://example.org/sparql> {BODY} }}",
        f"?s ?p ?o FILTER NOT EXISTS {{ SERVICE <https://example.org/sparql> {BODY} }}",
        f"BIND(EXISTS {{ SERVICE <https://example.org/sparql> {BODY} }} AS ?remote)",
        f"GRAPH ?g {{ SERVICE <https://example.org/sparql> {BODY} }}",
        f"{{ SELECT ?s WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <https://example.org/sparql> {BODY} }} }} }} }}",
        "{" * (MAX_NESTING - 2) + f" SERVICE <https://example.org/sparql> {BODY} " + "}" * (MAX_NESTING - 2),
    ],
    ids=["plain", "silent-var", "optional", "union", "minus", "not-exists", "bind-exists", "graph", "sub", "deep"],
)
def test_service_is_refused_wherever_it_nests(where):
    with pytest.raises(QueryRejected, match="SERVICE"):
        check_query(f"SELECT * WHERE {{ {where} }}")


@pytest.mark.parametrize(
    "query",
    [
        "ASK FROM <https://example.org/data.ttl> { ?s ?p ?o }",
        "CONSTRUCT { ?s ?p ?o } FROM NAMED <urn:g> WHERE { GRAPH ?g { ?s ?p ?o } }",
        "DESCRIBE ?s From <urn:g> WHERE { ?s ?p ?o }",
    ],
)
def test_a_dataset_clause_is_refused_in_every_query_form(query):
    with pytest.raises(QueryRejected, match="FROM / FROM NAMED"):
        check_query(query)


def test_a_carriage_return_ends_a_comment_as_the_store_reads_it():
    with pytest.raises(QueryRejected, match="SERVICE"):
        check_query(f"SELECT * WHERE {{ # a comment\rSERVICE <https://example.org/sparql> {BODY} }}")
    check_query("SELECT * WHERE { ?s ?p ?o } # SERVICE <https://example.org/sparql> { ?s ?p ?o }\r\n")


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { \\u0053ERVICE <https://example.org/sparql> { ?s ?p ?o } }",
        'SELECT * WHERE { ?s ?p "caf\\u00e9" }',
        "SELECT * WHERE { ?s ?p ?o } # \\u000ASERVICE <https://example.org/sparql> { ?s ?p ?o }",
    ],
)
def test_codepoint_escapes_are_refused_anywhere(query):
    with pytest.raises(QueryRejected, match=r"Codepoint escapes such as \\u00"):
        check_query(query)


def test_a_keyword_that_upper_cases_to_service_is_refused():
    with pytest.raises(QueryRejected, match="SERVICE"):
        check_query(f"SELECT * WHERE {{ \u017fervice <https://example.org/sparql> {BODY} }}")  # long s


def test_a_text_that_names_a_refused_clause_and_does_not_parse_is_a_syntax_error(mini_graph):
    query = "SELECT ?d WHERE { ?s dcterms:created ?d . FILTER(?d > ) }"
    with pytest.raises(QuerySyntaxError, match=r"^Malformed SPARQL query: error at 1:43: unexpected 'FILTER'$"):
        check_query(query)
    with pytest.raises(QuerySyntaxError, match=r"error at line 1, column 43"):
        run_query(mini_graph, query)
    with pytest.raises(QuerySyntaxError, match=r"error at 2:14: the query ends too early"):
        check_query("SELECT ?d WHERE {\n ?s ?p 'from'")


def test_a_text_without_those_words_is_left_to_the_store_to_parse():
    check_query("SELECT ?x WHERE { ?x", max_steps=0)  # not parsed here: the store reports the error
    with pytest.raises(QueryRejected, match="too large or too intricate"):
        check_query("SELECT ?x WHERE { ?x ?p 'from' }", max_steps=0)


def test_a_query_too_intricate_to_read_is_refused():
    query = "SELECT * WHERE { ?s ?p ?o FILTER(" + " || ".join(f"?o = 'from {i}'" for i in range(200)) + ") }"
    with pytest.raises(QueryRejected, match="too large or too intricate"):
        check_query(query, max_steps=100_000)


def test_a_long_group_is_read_past_the_default_recursion_limit():
    limit, tracer = sys.getrecursionlimit(), sys.gettrace()
    check_query("SELECT * WHERE { " + "?s ?p ?o . " * 300 + "?s ?p 'from' }")
    assert (sys.getrecursionlimit(), sys.gettrace()) == (limit, tracer)


def test_nesting_is_counted_however_the_brackets_are_disguised():
    hidden_in_an_iri = "SELECT * WHERE { FILTER(?a<" + "(" * 100 + "?b" + ")" * 100 + ">?c) }"
    closed_in_strings = "SELECT * WHERE { BIND(" + "CONCAT(')', " * 100 + "1" + ")" * 100 + " AS ?x) }"
    for query in (hidden_in_an_iri, closed_in_strings):
        with pytest.raises(QueryRejected, match="nests groups 10[0-9] deep; the limit is 64"):
            check_query(query)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.stem)
def test_every_shipped_example_passes_the_check(example):
    check_query(example.read_text(encoding="utf-8"))


@pytest.mark.parametrize("operator", ["!", "- ", "+", "^"])
def test_a_long_chain_of_prefix_operators_is_refused_before_the_store_parses_it(operator):
    # 30,000 "!" in a row crash the store's recursive parser, as 3,000 nested braces did
    with pytest.raises(QueryRejected, match="chains .* operators"):
        check_query("SELECT * WHERE { FILTER(" + operator * 30_000 + "true) }")
    check_query("SELECT * WHERE { FILTER(!!true && -(-1) < 3) } # " + "-" * 200)
