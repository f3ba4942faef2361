"""The graph browser: search, class lists, thing pages, escaping."""

from __future__ import annotations

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
