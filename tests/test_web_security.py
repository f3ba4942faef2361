"""Pages cannot be made to run a script: only http(s) IRIs become links, and every response carries
headers that forbid framing, inline or remote scripts and content sniffing."""

from __future__ import annotations

import pytest

from opsprep.web.security_headers import HEADERS

from .web_helpers import MINI_GRAPH_FILES, make_app

HOSTILE = (
    "javascript:alert(document.cookie)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
)
HOSTILE_TURTLE = """
@prefix ops: <https://w3id.org/opsprep/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix tool: <https://w3id.org/opsprep/id/tool/> .
tool:trap a ops:Tool ; skos:prefLabel "Trap"@en ; skos:definition "A tool whose links are hostile."@en ;
    ops:inCategory <javascript:alert(1)> ;
    dcterms:source <javascript:alert(2)>, <https://example.org/fine> .
"""


@pytest.fixture
def hostile_app(tmp_path):
    trap = tmp_path / "trap.ttl"
    trap.write_text(HOSTILE_TURTLE)
    return make_app(tmp_path, [*MINI_GRAPH_FILES, trap])


@pytest.mark.parametrize("iri", HOSTILE)
def test_a_result_iri_that_is_not_http_is_shown_but_not_linked(hostile_app, iri):
    query = f"SELECT ?x WHERE {{ VALUES ?x {{ <{iri}> }} }}"
    response = hostile_app.test_client().get("/query", query_string={"query": query})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    scheme = iri.split(":")[0]
    assert f'href="{scheme}:' not in page
    assert iri.split(":")[1][:8] in page  # still shown, as text


def test_a_graph_page_links_only_web_addresses(hostile_app):
    page = hostile_app.test_client().get("/graph/tool/trap").get_data(as_text=True)
    assert "Trap" in page and 'href="https://example.org/fine"' in page
    assert 'href="javascript:' not in page
    assert "javascript:alert(2)" in page  # the source is still shown, as text


@pytest.mark.parametrize(
    "url", ["/", "/login", "/query", "/graph/", "/sparql?query=ASK%7B%7D", "/static/style.css", "/nope"]
)
def test_every_response_forbids_framing_sniffing_and_foreign_scripts(hostile_app, url):
    response = hostile_app.test_client().get(url)
    response.close()
    for name, value in HEADERS.items():
        assert response.headers.get(name) == value, (url, name)
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy.split("style-src-attr")[0]  # scripts and style sheets: files only
