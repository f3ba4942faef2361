"""The SHACL shapes: shipped data conforms, broken data is caught with readable messages."""

from __future__ import annotations

import pytest

from opsprep.graph import GraphLoadError
from opsprep.graph.store import ONTOLOGY_FILE
from opsprep.graph.validate import validate_files

from .conftest import BROKEN_DIR, MINI_GRAPH_DIR

PREFIXES = """
@prefix ops: <https://w3id.org/opsprep/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
"""


def test_shipped_data_conforms(shipped_validation):
    report = shipped_validation
    assert report.conforms, "\n".join(str(v) for v in report.violations)
    assert report.violations == []


def test_fixture_graph_conforms():
    assert validate_files([ONTOLOGY_FILE, MINI_GRAPH_DIR / "mini.ttl"]).conforms


def test_broken_fixture_is_caught():
    report = validate_files([ONTOLOGY_FILE, BROKEN_DIR / "invalid.ttl"])
    assert not report.conforms
    found = {(v.focus, v.path) for v in report.violations}
    assert ("tool:nameless", "skos:prefLabel") in found
    assert ("tool:nameless", "dcterms:source") in found
    assert ("tool:nameless", "ops:inCategory") in found
    assert ("tool:nameless", "ops:agentModel") in found
    assert any(v.focus == "practice:old" and "statusDate" in v.message for v in report.violations)
    assert all(v.files == ("tests/fixtures/broken/invalid.ttl",) for v in report.violations)


def test_violation_reads_as_one_line():
    report = validate_files([ONTOLOGY_FILE, BROKEN_DIR / "invalid.ttl"])
    line = next(str(v) for v in report.violations if v.path == "dcterms:source")
    assert line == (
        "tests/fixtures/broken/invalid.ttl: tool:nameless [dcterms:source]: "
        "needs at least one dcterms:source, an https:// IRI"
    )


def test_syntax_error_is_a_load_error():
    with pytest.raises(GraphLoadError, match=r"syntax\.ttl, line 6"):
        validate_files([ONTOLOGY_FILE, BROKEN_DIR / "syntax.ttl"])


def test_equivalence_on_one_platform_is_refused(tmp_path):
    extra = tmp_path / "same-platform.ttl"
    extra.write_text(
        PREFIXES
        + """
<https://w3id.org/opsprep/id/aws/opsworks> ops:equivalentTo <https://w3id.org/opsprep/id/aws/codebuild> .
"""
    )
    report = validate_files([ONTOLOGY_FILE, MINI_GRAPH_DIR / "mini.ttl", extra])
    assert any("same platform" in v.message for v in report.violations)


def test_dangling_reference_is_caught(tmp_path):
    extra = tmp_path / "dangling.ttl"
    extra.write_text(
        PREFIXES
        + """
<https://w3id.org/opsprep/id/tool/ansible> ops:inCategory <https://w3id.org/opsprep/id/category/nope> .
"""
    )
    report = validate_files([ONTOLOGY_FILE, MINI_GRAPH_DIR / "mini.ttl", extra])
    assert [(v.focus, v.value) for v in report.violations] == [("tool:ansible", "cat:nope")]


def test_definition_must_be_english_and_single(tmp_path):
    extra = tmp_path / "defs.ttl"
    extra.write_text(
        PREFIXES
        + """
<https://w3id.org/opsprep/id/tool/ansible> skos:definition "Un moteur d'automatisation pour serveurs."@fr .
"""
    )
    report = validate_files([ONTOLOGY_FILE, MINI_GRAPH_DIR / "mini.ttl", extra])
    assert {v.path for v in report.violations} == {"skos:definition"}
