"""The graph browser: search, class lists, thing pages, escaping."""

from __future__ import annotations

import html
import re

import pytest

from opsprep.graph.store import ONTOLOGY_FILE
from opsprep.web.app import create_app

from .conftest import FIXTURES, MINI_GRAPH_DIR


@pytest.fixture(scope="module")
def client():
    app = create_app({"TESTING": True})
    return app.test_client()


@pytest.fixture(scope="module")
def hostile_client():
    files = [ONTOLOGY_FILE, MINI_GRAPH_DIR / "mini.ttl", FIXTURES / "hostile" / "script.ttl"]
    app = create_app({"TESTING": True, "GRAPH_FILES": [str(f) for f in files]})
    return app.test_client()


def test_index_lists_kinds_of_things(client):
    page = client.get("/graph/").get_data(as_text=True)
    assert 'href="/graph/class/Tool"' in page
    assert "Search by name" in page


def test_search_finds_by_label_exact_first(client):
    page = client.get("/graph/", query_string={"q": "ansible"}).get_data(as_text=True)
    assert 'href="/graph/tool/ansible">Ansible</a>' in page
    assert page.index("/graph/tool/ansible") < page.index("/graph/tool/awx") if "/graph/tool/awx" in page else True


def test_search_finds_by_alternative_label(client):
    page = client.get("/graph/", query_string={"q": "Azure Active Directory"}).get_data(as_text=True)
    assert "Microsoft Entra ID" in page


def test_search_with_no_match_says_so(client):
    page = client.get("/graph/", query_string={"q": "zzzz-nothing"}).get_data(as_text=True)
    assert "0 matches" in page
    assert "Nothing is called that" in page


def test_thing_page_shows_definition_facts_links_sources_and_questions(client):
    response = client.get("/graph/tool/ansible")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<h1>Ansible</h1>" in page
    assert 'href="/graph/vendor/red-hat"' in page  # relation out, linked
    assert 'href="/graph/category/configuration-management"' in page
    assert "agentless" in page
    assert "https://" in page.split("<h2>Sources</h2>")[1]
    assert "Questions about it" in page and "<li><span" in page.split("Questions about it")[1]


def test_thing_page_shows_incoming_relations_and_exam_domains(client):
    page = client.get("/graph/aws/codebuild").get_data(as_text=True)
    assert "On the exams" in page
    assert 'href="/graph/cert/dop-c02"' in page
    vendor = client.get("/graph/vendor/hashicorp").get_data(as_text=True)
    assert "Linked from" in vendor and 'href="/graph/tool/terraform"' in vendor


def test_class_page(client):
    page = client.get("/graph/class/CloudService").get_data(as_text=True)
    assert 'href="/graph/aws/codebuild"' in page


@pytest.mark.parametrize("path", ["/graph/tool/no-such-tool", "/graph/class/Nope", "/graph/nothing"])
def test_unknown_things_are_404(client, path):
    assert client.get(path).status_code == 404


def test_graph_text_is_rendered_inert(hostile_client):
    for path in ("/graph/tool/evil", "/graph/?q=evil", "/graph/class/Tool"):
        page = hostile_client.get(path).get_data(as_text=True)
        assert "<script>alert" not in page
        assert "<img src=x" not in page
        assert "&lt;script&gt;alert(&#39;label&#39;)&lt;/script&gt;Evil" in page
    page = hostile_client.get("/graph/tool/evil").get_data(as_text=True)
    assert "&lt;b&gt;markup&lt;/b&gt; &amp; an &lt;img" in page
    assert "&lt;i&gt;YAML&lt;/i&gt;" in page


# Search: full text (SQLite FTS5) over labels, alternative names and definitions


def results(client, query: str) -> list[tuple[str, str]]:
    """The (path, text) of each search result, best first."""
    page = client.get("/graph/", query_string={"q": query}).get_data(as_text=True)
    listed = page.split('<ul class="results">', 1)[1].split("</ul>", 1)[0] if '<ul class="results">' in page else ""
    return re.findall(r'<li><a href="([^"]+)">([^<]*)</a>', listed)


@pytest.mark.parametrize("query", ["blue green", "blue/green", "Blue-Green", "BLUE GREEN DEPLOYMENT", "blue gr"])
def test_search_finds_blue_green_deployment_first_however_it_is_written(client, query):
    assert results(client, query)[0] == ("/graph/topic/blue-green-deployment", "blue/green deployment")


def test_search_matches_word_prefixes_and_ignores_case(client):
    found = results(client, "kube")
    assert {"/graph/tool/kubernetes", "/graph/tool/kubectl", "/graph/tool/kubeadm"} <= {path for path, _ in found}
    assert all(text.casefold().startswith("kube") for _, text in found[:5])  # names that start with it come first
    assert results(client, "KUBE") == found


def test_search_ranks_an_exact_name_first_and_finds_plurals(client):
    assert results(client, "ansible")[0] == ("/graph/tool/ansible", "Ansible")
    assert results(client, "canary deployments")[0] == ("/graph/topic/canary-deployment", "canary deployment")


def test_search_reads_definitions_after_names(client):
    found = [path for path, _ in results(client, "canary")]
    assert found[0] == "/graph/topic/canary-deployment"  # the name
    assert "/graph/tool/argo-rollouts" in found  # a definition that mentions canary releases


@pytest.mark.parametrize("query", ['"', "*", "AND", "NEAR(", "a OR b", "blue)", "-", "::", "'; DROP TABLE things"])
def test_search_takes_any_text_as_words(client, query):
    response = client.get("/graph/", query_string={"q": query})
    assert response.status_code == 200


def test_search_ignores_diacritics_and_finds_former_names():
    from rdflib import Graph

    from opsprep.graph.browse import search

    graph = Graph().parse(
        data="""
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix ops: <https://w3id.org/opsprep/ontology#> .
        <https://w3id.org/opsprep/id/topic/deploiement> skos:prefLabel "Déploiement progressif"@en ;
            skos:definition "Livrer par étapes."@en .
        <https://w3id.org/opsprep/id/tool/x> skos:prefLabel "Xylo"@en ; ops:formerName "Ancien Nom" .
        <https://example.org/elsewhere> skos:prefLabel "Déploiement ailleurs"@en .
        """,
        format="turtle",
    )
    for query in ("deploiement", "DÉPLOIEMENT", "déploie", "progressif deploiement", "etapes"):
        assert [link.iri for link, _ in search(graph, query)] == ["https://w3id.org/opsprep/id/topic/deploiement"]
    assert [link.text for link, _ in search(graph, "ancien")] == ["Xylo"]


# Links: a thing the browser has a page for links to that page, never out to w3id.org


def test_an_ontology_value_has_a_page_listing_what_has_it(client):
    page = client.get("/graph/tool/ansible").get_data(as_text=True)
    assert 'href="/graph/ontology/Agentless">agentless</a>' in page
    value = client.get("/graph/ontology/Agentless").get_data(as_text=True)
    assert "<h1>agentless</h1>" in value and "Agent model" in value
    assert 'href="/graph/tool/ansible"' in value.split("Linked from", 1)[1]
    assert client.get("/graph/ontology/Tool").headers["Location"].endswith("/graph/class/Tool")
    assert client.get("/graph/ontology/NoSuchTerm").status_code == 404


def test_no_graph_page_links_out_to_w3id_org(client):
    """Crawl every page of the graph browser: nothing links to the graph's own names on w3id.org (what the app
    has a page for links to that page), and links to the rest of the web stay as they are."""
    seen, queue, external = set(), ["/graph/"], set()
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        assert response.status_code == 200, path
        for href in re.findall(r'href="([^"]+)"', response.get_data(as_text=True)):
            href = html.unescape(href)
            if href.startswith("/graph/") and "?" not in href:
                queue.append(href)
            elif href.startswith("http"):
                external.add(href)
    assert len(seen) > 900 and "/graph/ontology/CncfGraduated" in seen
    assert not [href for href in external if "w3id.org" in href]
    assert any(href.startswith("https://kubernetes.io/") for href in external)  # sources stay external
    assert any(href.startswith("https://github.com/") for href in external)  # websites too


def test_an_iri_of_the_graph_without_a_page_is_text_and_other_iris_link_out(tmp_path):
    from .web_helpers import MINI_GRAPH_FILES, make_app

    extra = tmp_path / "extra.ttl"
    extra.write_text(
        "@prefix ops: <https://w3id.org/opsprep/ontology#> .\n"
        "@prefix schema: <https://schema.org/> .\n"
        "<https://w3id.org/opsprep/id/tool/ansible> ops:integratesWith <https://w3id.org/opsprep/id/tool/unnamed> ;\n"
        "    ops:deliveryModel ops:NoSuchValue ; schema:url <https://www.ansible.com/> .\n"
    )
    client = make_app(tmp_path, [*MINI_GRAPH_FILES, extra]).test_client()
    page = client.get("/graph/tool/ansible").get_data(as_text=True)
    assert 'href="https://www.ansible.com/"' in page
    assert "/graph/tool/unnamed" not in page  # no link to a page that does not exist
    assert not [href for href in re.findall(r'href="([^"]+)"', page) if "w3id.org" in href]
    assert "<dd>tool:unnamed</dd>" in page and "<dd>ops:NoSuchValue</dd>" in page  # shown as text
    assert client.get("/graph/tool/unnamed").status_code == 404


def test_a_search_with_more_matches_than_shown_says_so(client):
    page = client.get("/graph/", query_string={"q": "k"}).get_data(as_text=True)
    assert "The best 100 matches for" in page and "More things match" in page
    assert "100 matches for" not in page.replace("The best 100 matches for", "")


def test_kinds_of_things_read_as_words():
    """Bug: the class list and class pages showed raw names ("ToolCategory")."""
    from rdflib import Graph

    from opsprep.web.browse import class_label

    client = create_app({"TESTING": True}).test_client()
    index = client.get("/graph/").get_data(as_text=True)
    assert '<a href="/graph/class/ToolCategory">Tool category</a>' in index
    assert '<a href="/graph/class/CloudService">Cloud service</a>' in index and ">ToolCategory<" not in index
    page = client.get("/graph/class/ExamDomain").get_data(as_text=True)
    assert "<title>Exam domain · opsprep</title>" in page and "<h1>Exam domain <span" in page
    # a graph without the ontology's labels: the name split into words
    assert [class_label(Graph(), name) for name in ("ToolCategory", "CloudService", "CNCFProject")] == [
        "Tool category",
        "Cloud service",
        "CNCF project",
    ]
