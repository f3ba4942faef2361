"""Shared fixtures: paths to the fixture graphs, a CLI runner, a fresh in-memory ``Progress`` with a
learner (engine tests) and a small web app with a logged-in client (web tests)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from opsprep.engine import LearnerProgress, Progress
from opsprep.graph.store import ONTOLOGY_FILE, load_graph

from .web_helpers import AuthActions, make_app

FIXTURES = Path(__file__).parent / "fixtures"
MINI_GRAPH_DIR = FIXTURES / "graph"
BROKEN_DIR = FIXTURES / "broken"
# Hypothesis keeps its example database and caches in .hypothesis/ of the working directory: not in the checkout
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", str(Path(tempfile.gettempdir()) / "opsprep-hypothesis"))
#: the engine tests' clock: when the ``learner`` fixture registers
NOW = datetime(2025, 3, 1, 9, tzinfo=UTC)


@pytest.fixture(scope="session", autouse=True)
def instance_outside_the_checkout(tmp_path_factory) -> Iterator[None]:
    """The app and the CLI keep their instance folder (secret key, default database) and the question-bank
    cache in temporary folders, never in the checkout's instance/ or the user's cache."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OPSPREP_INSTANCE", str(tmp_path_factory.mktemp("instance")))
        patch.setenv("OPSPREP_CACHE", str(tmp_path_factory.mktemp("cache")))
        yield


@pytest.fixture(scope="session")
def mini_graph():
    """The tiny conforming fixture graph (ontology + tests/fixtures/graph/*.ttl)."""
    return load_graph([ONTOLOGY_FILE, *sorted(MINI_GRAPH_DIR.glob("*.ttl"))])


@pytest.fixture(scope="session")
def shipped_bank():
    """The question bank of the shipped graph, built once per test session and shared by every module that
    reads it (read-only: a test that needs a changed bank builds its own)."""
    from opsprep.graph.store import default_graph
    from opsprep.questions import build_bank

    return build_bank(default_graph())


@pytest.fixture(scope="session")
def shipped_validation():
    """The SHACL report of the shipped graph, made once per test session and shared by the modules that read
    it."""
    from opsprep.graph.validate import validate_files

    return validate_files()


@pytest.fixture
def runner() -> CliRunner:
    """A click test runner."""
    return CliRunner()


@pytest.fixture
def progress(bank) -> Iterator[Progress]:
    """A fresh in-memory progress store over the test module's ``bank`` fixture (each engine test
    module builds the bank it needs)."""
    with Progress.open(":memory:", bank) as progress:
        yield progress


@pytest.fixture
def learner(progress: Progress) -> LearnerProgress:
    """The learner "ada" in ``progress``, registered at ``NOW``."""
    return progress.learner(progress.create_learner("ada", now=NOW).id)


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    """The web app on the mini graph, with its own database and instance folder (``web_helpers.make_app``)."""
    return make_app(tmp_path)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of ``app``, registered and logged in as "ada"."""
    client = app.test_client()
    assert AuthActions(client).register("ada").status_code == 302
    return client
