"""The ``opsprep`` command line: wiring, output formats and error messages."""

from __future__ import annotations

import json

import click
import pytest

from opsprep.web.cli import cli

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
    assert result.exit_code == 1
    assert "read-only" in result.output


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
