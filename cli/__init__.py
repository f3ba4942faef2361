"""The ``opsprep`` command line: one click group, with commands grouped by area.

A thin front end over the library: commands parse options, call the library and print. Library
errors are turned into messages in one place, the root group (:mod:`.boundary`). Nothing here
imports Flask except ``opsprep serve``, when it starts the web app.
"""

from __future__ import annotations

import click

from .boundary import OpsprepGroup
from .export import export_group
from .graph import graph_group
from .info import info_command
from .learners import learners_group
from .options import pass_settings
from .questions import questions_group
from .reports import reports_group
from .serve import serve_command
from .sparql import sparql_command
from .study import study_command

__all__ = ["cli", "main", "pass_settings"]


@click.group(cls=OpsprepGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="opsprep", prog_name="opsprep")
@click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, exists=True),
    envvar="OPSPREP_DATA",
    help="Folder of Turtle files to use instead of the shipped graph (env: OPSPREP_DATA).",
)
@click.pass_context
def cli(ctx: click.Context, data_dir: str | None) -> None:
    """Study DevOps certifications from a knowledge graph.

    \b
    Examples:
        opsprep serve                      # the web app at http://127.0.0.1:5000/
        opsprep study --cert CKA           # study in the terminal
        opsprep questions sample --cert DOP-C02 -n 3
        opsprep export anki --cert CKAD -o ckad.apkg
        opsprep graph validate
        opsprep sparql 'SELECT ?role WHERE { ?role a ops:Role }'
        opsprep info                       # where progress is kept, versions
    """
    ctx.obj = {"data_dir": data_dir}


cli.add_command(graph_group)
cli.add_command(sparql_command)
cli.add_command(questions_group)
cli.add_command(serve_command)
cli.add_command(export_group)
cli.add_command(study_command)
cli.add_command(reports_group)
cli.add_command(learners_group)
cli.add_command(info_command)


def main() -> None:
    """Entry point of the ``opsprep`` console script."""
    cli(prog_name="opsprep")
