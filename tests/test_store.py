"""Loading Turtle files into the graph."""

from __future__ import annotations

import pytest
from rdflib import BNode, Literal, URIRef

from opsprep.graph import GraphLoadError, data_files, default_graph, load_graph
from opsprep.graph.namespaces import ID, OPS
from opsprep.graph.store import DATA_DIR, ONTOLOGY_FILE, STORES

from .conftest import BROKEN_DIR, MINI_GRAPH_DIR


def test_data_files_lists_ontology_then_data():
    files = data_files()
    assert files[0] == ONTOLOGY_FILE
    assert len(files) > 1
    assert all(f.parent == DATA_DIR and f.suffix == ".ttl" for f in files[1:])


def test_unknown_data_folder_is_reported(tmp_path):
    with pytest.raises(GraphLoadError, match="no such data folder"):
        data_files(tmp_path / "missing")


@pytest.mark.parametrize("store", list(STORES))
def test_syntax_error_names_file_and_line(store):
    with pytest.raises(GraphLoadError) as info:
        load_graph([BROKEN_DIR / "syntax.ttl"], store=store)
    assert info.value.path.endswith("syntax.ttl")
    assert info.value.line == 6
    assert "syntax.ttl, line 6" in str(info.value)


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(GraphLoadError, match="missing.ttl"):
        load_graph([tmp_path / "missing.ttl"])


@pytest.mark.parametrize("store", list(STORES))
def test_equivalence_is_symmetric_after_loading(store):
    graph = load_graph([ONTOLOGY_FILE, MINI_GRAPH_DIR / "mini.ttl"], store=store)
    codebuild, pipelines = ID["aws/codebuild"], ID["azure/pipelines"]
    assert (codebuild, OPS.equivalentTo, pipelines) in graph
    assert (pipelines, OPS.equivalentTo, codebuild) in graph


def test_both_stores_hold_the_same_triples():
    paths = [ONTOLOGY_FILE, MINI_GRAPH_DIR / "mini.ttl"]
    fast, slow = (load_graph(paths, store=s) for s in ("oxigraph", "memory"))
    assert len(fast) == len(slow)
    assert ground_triples(fast) == ground_triples(slow)


def ground_triples(graph):
    """Triples without blank nodes, literals compared by value and language."""

    def norm(term):
        return (term.toPython(), term.language) if isinstance(term, Literal) else term

    return {tuple(norm(t) for t in triple) for triple in graph if not any(isinstance(t, BNode) for t in triple)}


def test_default_graph_is_built_once():
    assert default_graph() is default_graph()
    assert (URIRef(ID["role/devops-engineer"]), None, None) in default_graph()


def test_unknown_store_is_refused():
    with pytest.raises(ValueError, match="Unknown store"):
        load_graph([], store="nope")
