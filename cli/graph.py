"""``opsprep graph``: validate the graph and count what it holds."""

from __future__ import annotations

import click

from opsprep.graph.stats import graph_stats
from opsprep.graph.store import data_files

from .options import json_option, pass_settings, print_json, print_rows, settings_graph


@click.group("graph")
def graph_group() -> None:
    """Inspect and check the knowledge graph.

    \b
    Example:
        opsprep graph validate
        opsprep graph stats --json
    """


@graph_group.command("validate")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, exists=True))
@json_option
@pass_settings
def validate_command(settings: dict, files: tuple[str, ...], as_json: bool) -> None:
    """Check the graph against its SHACL shapes; exit 1 when it does not conform.

    With FILES, check those Turtle files (with the ontology) instead of the shipped data.

    \b
    Example:
        opsprep graph validate
        opsprep graph validate my-additions.ttl --json
    """
    from opsprep.graph.store import ONTOLOGY_FILE
    from opsprep.graph.validate import validate_files

    paths = [ONTOLOGY_FILE, *files] if files else data_files(settings.get("data_dir"))
    report = validate_files(paths)
    if as_json:
        print_json(report.to_dict())
    else:
        for violation in report.violations:
            click.echo(str(violation))
        verdict = "conforms" if report.conforms else f"does not conform: {len(report.violations)} violation(s)"
        click.echo(f"{len(report.files)} file(s), {report.triples:,} triples: {verdict}", err=not report.conforms)
    if not report.conforms:
        raise SystemExit(1)


@graph_group.command("stats")
@json_option
@pass_settings
def stats_command(settings: dict, as_json: bool) -> None:
    """Count things per class and triples per relation.

    \b
    Example:
        opsprep graph stats
        opsprep graph stats --json
    """
    stats = graph_stats(settings_graph(settings))
    if as_json:
        print_json(stats)
        return
    click.echo(f"{stats['triples']:,} triples\n")
    print_rows(["class", "things"], [[k, v] for k, v in stats["classes"].items()])
    click.echo()
    print_rows(["relation", "triples"], [[k, v] for k, v in stats["relations"].items()])
