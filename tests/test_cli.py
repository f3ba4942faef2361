"""The ``opsprep`` command line: wiring, output formats, the error boundary and its exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import click
import pytest

from opsprep.cli import cli
from opsprep.cli.boundary import OpsprepGroup
from opsprep.errors import ErrorKind, OpsprepError

from .conftest import BROKEN_DIR, MINI_GRAPH_DIR

MINI = ["--data", str(MINI_GRAPH_DIR)]
ROLES_QUERY = """
SELECT ?role (COUNT(?resp) AS ?responsibilities) WHERE {
    ?r a ops:Role ; skos:prefLabel ?role ; ops:hasResponsibility ?resp
} GROUP BY ?role ORDER BY ?role
"""


def all_commands(group: click.Group, prefix=()):
    for name, command in group.commands.items():
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from all_commands(command, (*prefix, name))


@pytest.mark.parametrize("path", [(), *all_commands(cli)], ids=lambda p: " ".join(p) or "opsprep")
def test_every_command_has_help(runner, path):
    result = runner.invoke(cli, [*path, "--help"], prog_name="opsprep")
    assert result.exit_code == 0, result.output
    assert "Usage: opsprep" in result.output
    command = cli
    for name in path:
        command = command.commands[name]
    assert command.help, f"{' '.join(path)} has no help text"


def test_version(runner):
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith("opsprep, version ")


def test_validate_shipped_graph(runner):
    result = runner.invoke(cli, ["graph", "validate"])
    assert result.exit_code == 0, result.output
    assert "conforms" in result.output


def test_validate_reports_violations_and_exits_1(runner):
    result = runner.invoke(cli, ["graph", "validate", str(BROKEN_DIR / "invalid.ttl")])
    assert result.exit_code == 1
    assert "tests/fixtures/broken/invalid.ttl: tool:nameless [ops:inCategory]" in result.output
    assert "does not conform" in result.output
    assert "Traceback" not in result.output


def test_validate_json(runner):
    result = runner.invoke(cli, ["graph", "validate", "--json", str(BROKEN_DIR / "invalid.ttl")])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["conforms"] is False
    assert {"focus", "path", "message", "severity", "value", "files"} <= set(data["violations"][0])


def test_validate_syntax_error_names_file_and_line(runner):
    result = runner.invoke(cli, ["graph", "validate", str(BROKEN_DIR / "syntax.ttl")])
    assert result.exit_code == 1
    assert "syntax.ttl, line 6" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_broken_data_folder_is_reported_for_every_command(runner):
    result = runner.invoke(cli, ["--data", str(BROKEN_DIR), "sparql", "ASK {}"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ")
    assert ".ttl, line" in result.output


def test_stats_json_counts_the_fixture(runner):
    result = runner.invoke(cli, [*MINI, "graph", "stats", "--json"])
    assert result.exit_code == 0, result.output
    stats = json.loads(result.output)
    assert stats["classes"]["ops:Tool"] == 1
    assert stats["classes"]["ops:CloudService"] == 3
    assert stats["classes"]["ops:Role"] == 1
    assert stats["relations"]["ops:equivalentTo"] == 2  # both directions
    assert stats["triples"] > 300


def test_stats_table(runner):
    result = runner.invoke(cli, [*MINI, "graph", "stats"])
    assert result.exit_code == 0
    assert "ops:CloudService    3" in result.output


def test_sparql_table_by_default(runner):
    result = runner.invoke(cli, [*MINI, "sparql", ROLES_QUERY])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[2].split() == ["DevOps", "Engineer", "1"]


@pytest.mark.parametrize(
    ("fmt", "start"),
    [("json", "{"), ("xml", "<?xml"), ("csv", "role,responsibilities"), ("tsv", "?role\t?responsibilities")],
)
def test_sparql_formats(runner, fmt, start):
    result = runner.invoke(cli, [*MINI, "sparql", "--format", fmt, ROLES_QUERY])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(start)


def test_sparql_construct_defaults_to_turtle(runner):
    result = runner.invoke(cli, [*MINI, "sparql", "CONSTRUCT { ?s a ops:Tool } WHERE { ?s a ops:Tool }"])
    assert result.exit_code == 0, result.output
    assert "tool:ansible a ops:Tool" in result.output


def test_sparql_from_file_and_stdin(runner, tmp_path):
    query = tmp_path / "q.rq"
    query.write_text("SELECT ?t WHERE { ?t a ops:Tool }")
    by_file = runner.invoke(cli, [*MINI, "sparql", "-f", str(query), "--format", "csv"])
    by_stdin = runner.invoke(cli, [*MINI, "sparql", "-f", "-", "--format", "csv"], input=query.read_text())
    # click's test runner reports CSV's CRLF line ends as LF
    assert by_file.output == by_stdin.output == "t\nhttps://w3id.org/opsprep/id/tool/ansible\n"


def test_malformed_query_exits_2_with_parser_message(runner):
    result = runner.invoke(cli, [*MINI, "sparql", "SELECT ?s WHERE { ?s a "])
    assert result.exit_code == 2
    assert result.output.startswith("Error: Malformed SPARQL query: error at line 1, column 24")
    assert "Traceback" not in result.output


def test_update_is_refused(runner):
    result = runner.invoke(cli, [*MINI, "sparql", "INSERT DATA { <urn:a> <urn:b> <urn:c> }"])
    assert result.exit_code == 2  # forbidden
    assert result.output == "Error: This is a SPARQL update; the graph is read-only and accepts queries only.\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["sparql"], "Give a query as an argument or with -f FILE"),
        (["sparql", "ASK {}", "-f", "-"], "Give a query as an argument or with -f FILE"),
        (["sparql", "--format", "turtle", "SELECT * WHERE {}"], "cannot be written as turtle"),
    ],
)
def test_sparql_usage_errors_exit_2(runner, args, message):
    result = runner.invoke(cli, [*MINI, *args], input="")
    assert result.exit_code == 2
    assert message in result.output


def test_shipped_roles_query_lists_all_seven_roles(runner):
    result = runner.invoke(cli, ["sparql", "--format", "json", ROLES_QUERY])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["results"]["bindings"]
    assert sorted(r["role"]["value"] for r in rows) == [
        "Automation Expert",
        "DevOps Engineer",
        "DevOps Evangelist",
        "Quality Assurance",
        "Release Manager",
        "Security Engineer",
        "Software Developer/Tester",
    ]
    assert all(int(r["responsibilities"]["value"]) >= 1 for r in rows)


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        (ErrorKind.INVALID, 2),
        (ErrorKind.FORBIDDEN, 2),
        (ErrorKind.NOT_FOUND, 2),
        (ErrorKind.CONFLICT, 1),
        (ErrorKind.UNAVAILABLE, 1),
        (ErrorKind.INTERNAL, 1),
    ],
)
def test_the_boundary_maps_error_kinds_to_exit_codes(runner, kind, code):
    @click.group(cls=OpsprepGroup)
    def root():
        pass

    @root.group()
    def area():
        pass

    @area.command()
    def fail():
        raise OpsprepError("Something is wrong:\n  here.", kind=kind)

    result = runner.invoke(root, ["area", "fail"])
    assert result.exit_code == code
    assert result.output == "Error: Something is wrong: here.\n"  # one line


def test_every_error_kind_has_an_exit_code():
    from opsprep.cli.boundary import EXIT_CODES

    assert set(EXIT_CODES) == set(ErrorKind)


NO_FLASK = """
import sys
from opsprep.cli import cli
for args in (["--help"], ["study", "--help"], ["serve", "--help"], ["learners", "password", "--help"]):
    try:
        cli.main(args, prog_name="opsprep", standalone_mode=False)
    except SystemExit:
        pass
print(sorted(m for m in sys.modules if m == "flask" or m.startswith(("flask.", "opsprep.web"))))
"""


def test_the_command_line_starts_without_flask():
    result = subprocess.run([sys.executable, "-c", NO_FLASK], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines()[-1] == "[]"


class FakeApp:
    """Stands in for the web app: ``opsprep serve`` only configures it and runs it."""

    def __init__(self, database):
        self.config = {"DATABASE": str(database), "SPARQL_TIMEOUT": 5}
        self.ran = None

    def run(self, **options):
        self.ran = options


class FakePool:
    size = 2
    network_isolated = True
    memory_mb = 512

    def __init__(self, error=None):
        self.error = error

    def warm_up(self):
        if self.error:
            raise self.error


@pytest.mark.parametrize(
    "failure", [None, OpsprepError("A query worker could not load the graph.", kind=ErrorKind.INTERNAL)]
)
def test_serve_says_where_progress_is_kept_before_serving(runner, tmp_path, monkeypatch, failure):
    import opsprep.web.app
    import opsprep.web.sparql

    app = FakeApp(tmp_path / "instance" / "progress.db")
    monkeypatch.setenv("OPSPREP_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.setattr(opsprep.web.app, "create_app", lambda: app)
    monkeypatch.setattr(opsprep.web.sparql, "get_pool", lambda app: FakePool(failure))
    result = runner.invoke(cli, ["serve", "--dev", "--port", "5099"])
    if failure:
        assert result.exit_code == 1
        assert result.output == "Error: A query worker could not load the graph.\n"
        assert app.ran is None
        return
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f"Progress is kept in {tmp_path / 'instance' / 'progress.db'}."
    assert "query workers ready (no network access)" in result.output.splitlines()[1]
    assert app.ran == {"host": "127.0.0.1", "port": 5099, "threaded": True, "use_reloader": False}
    assert "for local debugging only" in result.output


class FakeServer:
    """Stands in for the waitress server that ``opsprep serve`` builds by default."""

    def __init__(self, app, host, port, limits):
        self.app, self.host, self.port, self.limits = app, host, port, limits
        self.urls = [f"http://{host}:{port}"]
        self.connection_limit = limits.connections
        self.ran = False

    def run(self):
        self.ran = True


def test_serve_runs_waitress_with_limits_by_default(runner, tmp_path, monkeypatch):
    import opsprep.web.app
    import opsprep.web.server
    import opsprep.web.sparql

    app, servers = FakeApp(tmp_path / "instance" / "progress.db"), []
    monkeypatch.setenv("OPSPREP_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.setattr(opsprep.web.app, "create_app", lambda: app)
    monkeypatch.setattr(opsprep.web.sparql, "get_pool", lambda app: FakePool())
    monkeypatch.setattr(opsprep.web.server, "make_server", lambda *a: servers.append(FakeServer(*a)) or servers[-1])
    for args in (["--production"], [], ["--timeout", "5", "--connections-per-address", "0"]):
        result = runner.invoke(cli, ["serve", "--port", "5099", *args])
        assert result.exit_code == 0, result.output
        assert app.ran is None and servers[-1].ran and servers[-1].app is app
    assert servers[0].limits == servers[1].limits == opsprep.web.server.Limits()  # the CLI's defaults are the server's
    assert servers[2].limits.timeout == 5 and servers[2].limits.per_address == 0
    assert "with waitress: at most 1000 connections (no cap per address)" in result.output
    result = runner.invoke(cli, ["serve", "--dev", "--production"])
    assert result.exit_code == 2 and "not both" in result.output
