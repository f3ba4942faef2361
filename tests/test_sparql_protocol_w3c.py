"""Replay the query-side cases of the W3C SPARQL 1.1 Protocol test suite against /sparql.

The cases live in tests/fixtures/sparql-protocol/w3c-protocol-cases.json (source and licence in that file),
with the four data graphs they name. A case may carry a ``deviation``: why this endpoint answers otherwise.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from rdflib import Graph

from opsprep.web.app import create_app
from opsprep.web.sparql import get_pool

from .conftest import FIXTURES, MINI_GRAPH_DIR

CASES_DIR = FIXTURES / "sparql-protocol"
SUITE = json.loads((CASES_DIR / "w3c-protocol-cases.json").read_text(encoding="utf-8"))
KASEI = "http://kasei.us/2009/09/sparql/data/"
BOOLEAN_TYPES = {"application/sparql-results+json", "application/sparql-results+xml"}
TABULAR_TYPES = BOOLEAN_TYPES | {"text/csv", "text/tab-separated-values"}
RDF_TYPES = {"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml"}
RDF_TYPES["application/ld+json"] = "json-ld"


@pytest.fixture(scope="module")
def client():
    app = create_app(
        {
            "TESTING": True,
            "SPARQL_WORKERS": 2,
            "GRAPH_FILES": sorted(MINI_GRAPH_DIR.glob("*.ttl")),
            "SPARQL_NAMED_GRAPHS": {f"{KASEI}data{n}.rdf": CASES_DIR / f"data{n}.nt" for n in range(4)},
        }
    )
    yield app.test_client()
    get_pool(app).close()


def test_the_suite_holds_every_query_side_case():
    ids = [case["id"] for case in SUITE["cases"]]
    assert len(ids) == len(set(ids)) == 20
    assert all(i.startswith(("query_", "bad_query", "bad_multiple_queries")) for i in ids)


@pytest.mark.parametrize("case", SUITE["cases"], ids=lambda case: case["id"])
def test_w3c_protocol_case(client, case):
    path = "/sparql" + case["path"].removeprefix("/sparql/")  # the manifest's /sparql/ is our /sparql
    body = case["body"].encode("utf-16" if case["encoding"] == "UTF-16" else "utf-8") if case["body"] else None
    response = client.open(path, method=case["method"], data=body, headers=case["headers"])

    first_digit = case["expect_status"][0]
    assert str(response.status_code)[0] == first_digit, (response.status_code, response.text)
    if first_digit != "2":
        return
    content_type = response.headers["Content-Type"].split(";")[0]
    if case.get("expect_format") == "boolean":
        assert content_type in BOOLEAN_TYPES
        if "expect_boolean" in case:
            assert boolean_of(response, content_type) is case["expect_boolean"]
    elif case.get("expect_format") == "tabular":
        assert content_type in TABULAR_TYPES
        assert response.json["results"]["bindings"] == [
            {"value": {"type": "literal", "value": "1", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}
        ]
    elif case.get("expect_format") == "RDF":
        assert content_type in RDF_TYPES
        Graph().parse(data=response.data, format=RDF_TYPES[content_type])


def boolean_of(response, content_type: str) -> bool:
    if content_type == "application/sparql-results+json":
        return response.json["boolean"]
    element = ET.fromstring(response.data).find("{http://www.w3.org/2005/sparql-results#}boolean")
    return element.text == "true"


def test_deviations_are_explained():
    for case in SUITE["cases"]:
        if case["id"] == "query_multiple_dataset":
            assert "FROM" in case["deviation"]
        else:
            assert "deviation" not in case, case["id"]
