"""The outlines of certifications whose questions are still to be written (graph/outlines/): they are not
served (no study deck or exam without questions), but they are kept to the graph's bar: they conform to the
shapes beside the shipped graph, each records its provenance, and their weights add up."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from opsprep.graph.catalog import read_catalog
from opsprep.graph.namespaces import OPS
from opsprep.graph.store import DATA_DIR, ONTOLOGY_FILE, default_graph
from opsprep.graph.validate import validate_files

OUTLINES = sorted((DATA_DIR.parent / "outlines").glob("*.ttl"))


def _outline_graph() -> Graph:
    graph = Graph()
    for path in OUTLINES:
        graph.parse(path, format="turtle")
    return graph


def test_outlines_are_kept_apart_from_the_served_graph() -> None:
    assert OUTLINES, "graph/outlines/ holds the outlines still without questions"
    served = {str(c) for c in default_graph().subjects(RDF.type, OPS.Certification)}
    staged = {str(c) for c in _outline_graph().subjects(RDF.type, OPS.Certification)}
    assert staged and not staged & served


def test_outlines_conform_to_the_shapes_beside_the_graph(tmp_path: Path) -> None:
    """Each outline, with the types of the shipped things it links to, passes the shapes."""
    outlines = _outline_graph()
    shipped = default_graph()
    linked = Graph()
    for node in set(outlines.objects()) | set(outlines.subjects()):
        if isinstance(node, URIRef):
            for cls in shipped.objects(node, RDF.type):
                linked.add((node, RDF.type, cls))
    context = tmp_path / "linked.ttl"
    linked.serialize(context, format="turtle")
    report = validate_files([ONTOLOGY_FILE, *OUTLINES, context])
    # the linked things stand in by their types only; their own facts are checked with the shipped graph
    found = [v for v in report.violations if any(f.endswith(tuple(p.name for p in OUTLINES)) for f in v.files)]
    assert not found, "\n".join(str(v) for v in found)
    assert report.files, report


@pytest.fixture(scope="module")
def staged_catalog():
    graph = Graph()
    graph.parse(ONTOLOGY_FILE, format="turtle")
    graph += _outline_graph()
    return read_catalog(graph)


def test_weights_add_up_or_their_ranges_admit_it(staged_catalog) -> None:
    for cert in staged_catalog.certifications:
        weights = [d.weight for d in cert.domains]
        ranges = [d.weight_range for d in cert.domains]
        if all(w is not None for w in weights):
            assert sum(weights) == pytest.approx(100.0), cert.code
        elif all(r is not None for r in ranges):
            low, high = sum(r[0] for r in ranges), sum(r[1] for r in ranges)
            assert low <= 100.0 <= high, cert.code
        else:
            assert "weight" in cert.assumed, cert.code  # objectives without weights (Vault)


def test_corroborated_outlines_name_three_sources_or_more() -> None:
    graph = _outline_graph()
    corroborated = set(graph.subjects(OPS.outlineProvenance, OPS.CorroboratedOutline))
    assert corroborated
    for cert in corroborated:
        sources = set(graph.objects(cert, OPS.corroboratingSource))
        assert len(sources) >= 3, cert
        assert graph.value(cert, OPS.outlineNote), cert  # "the vendor's page could not be checked"
