"""Shared fixtures: paths to the fixture graphs and a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from opsprep.graph.store import ONTOLOGY_FILE, load_graph

FIXTURES = Path(__file__).parent / "fixtures"
MINI_GRAPH_DIR = FIXTURES / "graph"
BROKEN_DIR = FIXTURES / "broken"


@pytest.fixture(scope="session")
def mini_graph():
    """The tiny conforming fixture graph (ontology + tests/fixtures/graph/*.ttl)."""
    return load_graph([ONTOLOGY_FILE, *sorted(MINI_GRAPH_DIR.glob("*.ttl"))])


@pytest.fixture
def runner() -> CliRunner:
    """A click test runner."""
    return CliRunner()
