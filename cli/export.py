"""``opsprep export``: write the question bank out for other study tools (Anki)."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import click

from opsprep.engine.anki_export import export_graph

from .options import UsageFailure, json_option, pass_settings, print_json, print_rows


@click.group("export")
def export_group() -> None:
    """Export questions to other study tools.

    \b
    Example:
        opsprep export anki --cert CKA -o cka.apkg
    """


class _ProgressBar:
    """Opens click's progress bar (on stderr) once the export knows how many notes it builds."""

    def __init__(self, stack: contextlib.ExitStack) -> None:
        self.stack = stack
        self.bar = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            bar = click.progressbar(length=total, label="Building notes", file=sys.stderr)
            self.bar = self.stack.enter_context(bar)
        self.bar.update(done - self.bar.pos)


def _bank(settings: dict):
    """The question bank of the command's graph (imported here: a warm export needs no graph and no bank)."""
    from .questions import settings_bank

    return settings_bank(settings)


@export_group.command("anki")
@click.option("--cert", help="Exam code, e.g. DOP-C02. Default: every certification.")
@click.option("--domain", "domains", multiple=True, help="Only this domain (number or name); repeatable; needs --cert.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The .apkg file to write (replaced if it exists). Default: opsprep-CODE.apkg (opsprep-all.apkg"
    " without --cert) in the current folder.",
)
@json_option
@pass_settings
def anki_command(
    settings: dict, cert: str | None, domains: tuple[str, ...], output: Path | None, as_json: bool
) -> None:
    """Write an Anki deck (.apkg): one subdeck per exam domain, holding every question of that domain.

    Import the file in Anki (File > Import). Importing a newer export updates the notes
    imported before, in place, and keeps their review history. A question answered by typing
    (a command, a field path, a value) has Anki's type-in box; a task shows its requirements and,
    on the back, a model answer to compare with.

    \b
    Example:
        opsprep export anki --cert DOP-C02               # writes opsprep-DOP-C02.apkg
        opsprep export anki --cert DOP-C02 -o dop-c02.apkg
        opsprep export anki --cert CKA --domain 1 --domain 3 -o cka.apkg
        opsprep export anki -o all-certifications.apkg
    """
    if domains and cert is None:
        raise UsageFailure("--domain needs --cert: choose the certification whose domains to export.")
    with contextlib.ExitStack() as stack:
        # the notes come from the notes cache; the graph and its question bank are loaded only on a miss
        summary = export_graph(
            output,
            cert,
            domains,
            data_dir=settings.get("data_dir"),
            load_bank=lambda: _bank(settings),
            progress=_ProgressBar(stack),
        )
    if as_json:
        print_json(summary.to_dict())
        return
    size = f"{summary.bytes / 1024:,.0f} KiB"
    where = f"{output}" if output is not None else f"{Path(summary.path).name} in {Path(summary.path).parent}"
    notes = f"{summary.notes:,} notes"
    if summary.notes > summary.questions:
        notes = f"{summary.questions:,} questions in {notes}"
    click.echo(f"Wrote {where} ({size}): {notes}, one card each, for {', '.join(summary.certifications)}.")
    if summary.notes > summary.questions:
        click.echo("A question that serves several exam domains has a note in the deck of each.")
    print_rows(["deck", "notes"], [[name, count] for name, count in summary.decks])
    click.echo("Import it in Anki with File > Import; a newer export updates these notes in place.")
    if summary.typed:
        click.echo(
            f"{summary.typed:,} of the {summary.notes:,} notes are answered by typing: Anki compares what you type "
            "with the accepted answer; for a task (a manifest or a configuration), compare what you wrote with "
            "the model answer on the back."
        )
