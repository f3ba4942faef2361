"""The ``opsprep`` command line: one click group, with commands grouped by area.

A thin front end over the library: commands parse options, call the library and print. Library
errors are turned into messages in one place, the root group (:mod:`.boundary`). Nothing here
imports Flask except ``opsprep serve``, when it starts the web app.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, MutableMapping

import click

from .boundary import OpsprepGroup
from .options import pass_settings


class LazyCommands(MutableMapping):
    """A group's commands, each imported from its module when first looked up: ``opsprep export anki``
    imports the export command alone, not the graph layer, the progress store or the web app."""

    def __init__(self, where: dict[str, tuple[str, str]]) -> None:
        self.where = dict(where)  # name -> (module of this package, attribute)
        self.loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self.loaded:
            module, attribute = self.where[name]
            self.loaded[name] = getattr(importlib.import_module(f".{module}", __name__), attribute)
        return self.loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self.loaded[name] = command

    def __delitem__(self, name: str) -> None:
        self.where.pop(name, None)
        del self.loaded[name]

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys([*self.where, *self.loaded]))

    def __len__(self) -> int:
        return len(set(self.where) | set(self.loaded))


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


cli.commands = LazyCommands(
    {
        "graph": ("graph", "graph_group"),
        "sparql": ("sparql", "sparql_command"),
        "questions": ("questions", "questions_group"),
        "serve": ("serve", "serve_command"),
        "export": ("export", "export_group"),
        "study": ("study", "study_command"),
        "reports": ("reports", "reports_group"),
        "learners": ("learners", "learners_group"),
        "info": ("info", "info_command"),
    }
)


def main() -> None:
    """Entry point of the ``opsprep`` console script."""
    cli(prog_name="opsprep")
