"""``opsprep info``: paths, graph size and versions, as a table and as JSON."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from importlib.metadata import version

import pytest

from opsprep.cli import cli
from opsprep.cli.info import DISTRIBUTIONS

from .conftest import MINI_GRAPH_DIR

MINI = ["--data", str(MINI_GRAPH_DIR)]


@pytest.fixture
def instance(tmp_path, monkeypatch):
    """An empty instance folder named by $OPSPREP_INSTANCE, and no database or secret from the environment."""
    folder = tmp_path / "instance"
    monkeypatch.setenv("OPSPREP_INSTANCE", str(folder))
    for name in ("OPSPREP_DATABASE", "OPSPREP_DB", "OPSPREP_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    return folder.resolve()


def test_info_json_names_every_path_and_version(runner, instance, mini_graph):
    result = runner.invoke(cli, [*MINI, "info", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["instance"] == {
        "path": str(instance),
        "source": "environment",
        "reason": "set by $OPSPREP_INSTANCE",
        "notices": [],
    }
    assert data["database"] == {"path": str(instance / "progress.db"), "exists": False, "note": None}
    assert data["secret_key"] == {"path": str(instance / "secret_key"), "exists": False, "note": None}
    assert data["config"]["path"] == str(instance / "config.py")
    assert data["graph"] == {
        "data": str(MINI_GRAPH_DIR.resolve()),
        "shipped": False,
        "turtle_files": len(list(MINI_GRAPH_DIR.glob("*.ttl"))) + 1,  # and the ontology
        "triples": len(mini_graph),
    }
    versions = data["versions"]
    assert list(versions) == ["Python", "SQLite", *DISTRIBUTIONS]
    assert versions["SQLite"] == sqlite3.sqlite_version
    assert versions["opsprep"] == version("opsprep") and versions["flask"] == version("flask")
    assert not instance.exists()  # info only looks


def test_info_table(runner, instance, tmp_path):
    (instance).mkdir()
    (instance / "secret_key").write_text("s3cret")
    db = tmp_path / "elsewhere.db"
    result = runner.invoke(cli, [*MINI, "info", "--db", str(db)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"instance folder      {instance} (set by $OPSPREP_INSTANCE)"
    assert lines[1] == f"progress database    {db} (not made yet, set by --db or $OPSPREP_DATABASE)"
    assert lines[2] == f"secret key           {instance / 'secret_key'} (exists)"
    assert lines[3] == f"web app config       {instance / 'config.py'} (none)"
    assert lines[4].startswith(f"graph data           {MINI_GRAPH_DIR.resolve()} (")
    assert lines[5].startswith("graph size           ") and lines[5].endswith(" triples")
    assert lines[6].startswith("question-bank cache  ") and lines[6].endswith(" entries)")
    assert lines[7] == ""
    assert lines[8].split() == ["Python", sys.version.split()[0]]
    assert lines[-1].split() == ["flask", version("flask")]


def test_info_on_the_shipped_graph(runner, instance):
    data = json.loads(runner.invoke(cli, ["info", "--json"]).output)
    assert data["graph"]["shipped"] is True
    assert data["graph"]["turtle_files"] > 10
    assert data["graph"]["triples"] > 5000


INFO_WITHOUT_FLASK = """
import sys
from opsprep.cli import cli
cli.main(["info", "--json"], prog_name="opsprep", standalone_mode=False)
print(sorted(m for m in sys.modules if m == "flask" or m.startswith(("flask.", "opsprep.web"))))
"""


def test_info_reads_flasks_version_without_importing_it(instance):
    result = subprocess.run([sys.executable, "-c", INFO_WITHOUT_FLASK], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines()[-1] == "[]"
