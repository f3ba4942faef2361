"""A regular (non-editable) install ships the Turtle files and finds them."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """A wheel built from a copy of the checkout (a build writes build/ and *.egg-info beside its sources)."""
    out = tmp_path_factory.mktemp("wheel")
    source = tmp_path_factory.mktemp("source") / "opsprep"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git",
            ".venv",
            "build",
            "*.egg-info",
            "instance",
            "__pycache__",
            ".pytest_cache",
            ".ruff_cache",
            ".hypothesis",
        ),
    )
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(source)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("opsprep-*.whl")
    return built


def test_wheel_contains_data_and_no_generic_top_level_package(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    data = {Path(n).name for n in names if n.startswith("opsprep/graph/data/")}
    shipped = {p.name for p in (ROOT / "graph" / "data").glob("*.ttl")}
    assert data == shipped
    assert "opsprep/graph/ontology.ttl" in names
    assert "opsprep/graph/shapes.ttl" in names
    top_level = {n.split("/")[0] for n in names}
    assert top_level <= {"opsprep", *(n.split("/")[0] for n in names if ".dist-info" in n)}


def test_installed_package_loads_its_graph(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    code = (
        "import opsprep.graph.store as s, sys;"
        "assert s.__file__.startswith(sys.argv[1]), s.__file__;"
        "g = s.load_graph(); print(len(s.data_files()), len(g))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(target)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(target), "PATH": ""},
    )
    assert result.returncode == 0, result.stderr
    files, triples = map(int, result.stdout.split())
    assert files == 1 + len(list((ROOT / "graph" / "data").glob("*.ttl")))
    assert triples > 1000
