"""``opsprep sparql``: run a SPARQL query over the graph."""

from __future__ import annotations

import click

from opsprep.graph.query import run_query
from opsprep.graph.results import GRAPH_FORMATS, TABULAR_FORMATS, is_graph_result, serialize_result

from .options import UsageFailure, pass_settings, settings_graph

FORMATS = ["table", *TABULAR_FORMATS, *GRAPH_FORMATS]


@click.command("sparql")
@click.argument("query", required=False)
@click.option(
    "-f",
    "--file",
    "query_file",
    type=click.File("r", encoding="utf-8"),
    help="Read the query from a file ('-' for stdin).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help="Output format. Default: table for SELECT/ASK, turtle for CONSTRUCT/DESCRIBE.",
)
@pass_settings
def sparql_command(settings: dict, query: str | None, query_file, fmt: str | None) -> None:
    """Run a read-only SPARQL QUERY over the graph.

    The prefixes ops:, id:, skos:, schema:, dcterms:, rdf:, rdfs:, owl:, xsd: and sh: are predeclared.
    A malformed query prints the parser's message and exits with status 2.

    \b
    Examples:
        opsprep sparql 'SELECT ?role ?label WHERE { ?role a ops:Role ; skos:prefLabel ?label }'
        opsprep sparql -f query.rq --format csv
        opsprep sparql 'DESCRIBE tool:ansible'
    """
    if (query is None) == (query_file is None):
        raise UsageFailure("Give a query as an argument or with -f FILE (not both).")
    text = query if query is not None else query_file.read()
    result = run_query(settings_graph(settings), text)
    chosen = fmt or ("turtle" if is_graph_result(result) else "table")
    output = serialize_result(result, chosen)  # UnsuitableFormat for a format the result cannot take
    click.echo(output, nl=not output.endswith("\n"))
