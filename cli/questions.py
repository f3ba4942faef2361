"""``opsprep questions``: what the generator produces from the graph."""

from __future__ import annotations

import random

import click

from opsprep.graph import data_files
from opsprep.questions import QuestionBank, cached_bank, present

from .options import json_option, pass_settings, print_json, print_rows, settings_graph


def settings_bank(settings: dict) -> QuestionBank:
    """The question bank of the graph the command works on (from the bank cache when it is there)."""
    return cached_bank(settings_graph(settings), data_files(settings.get("data_dir")))


@click.group("questions")
def questions_group() -> None:
    """Generate exam-style questions from the graph.

    \b
    Example:
        opsprep questions stats
        opsprep questions sample --cert CKA -n 3
    """


@questions_group.command("stats")
@json_option
@pass_settings
def stats_command(settings: dict, as_json: bool) -> None:
    """Count question items by type, template, certification and exam domain.

    \b
    Example:
        opsprep questions stats
        opsprep questions stats --json
    """
    stats = settings_bank(settings).stats()
    if as_json:
        print_json(stats)
        return
    click.echo(f"{stats['items']:,} question items\n")
    print_rows(["type", "items"], [[k, v] for k, v in stats["types"].items()])
    for code, cert in stats["certifications"].items():
        click.echo(f"\n{code} — {cert['label']}: {cert['items']:,} items")
        print_rows(["domain", "items"], [[k, v] for k, v in cert["domains"].items()])


@questions_group.command("sample")
@click.option("--cert", "cert", required=True, help="Exam code, e.g. DOP-C02.")
@click.option("--domain", "domains", multiple=True, help="Only this domain (number or name); repeatable.")
@click.option("-n", "count", type=click.IntRange(1, 500), default=5, show_default=True, help="How many questions.")
@click.option("--seed", type=int, help="Seed for choosing and presenting questions (default: random).")
@json_option
@pass_settings
def sample_command(
    settings: dict, cert: str, domains: tuple[str, ...], count: int, seed: int | None, as_json: bool
) -> None:
    """Show N questions for a certification, with answers, explanation and sources.

    \b
    Example:
        opsprep questions sample --cert DOP-C02 -n 5 --seed 7
        opsprep questions sample --cert CKA --domain 1 --json
    """
    bank = settings_bank(settings)
    certification = bank.catalog.certification(cert)
    items = bank.for_certification(certification, [certification.domain(d).iri for d in domains])
    seed = seed if seed is not None else random.SystemRandom().randrange(2**31)
    chosen = random.Random(seed).sample(items, min(count, len(items)))
    shown = [present(item, seed) for item in chosen]
    if as_json:
        print_json({"seed": seed, "questions": [p.to_dict() for p in shown]})
        return
    for number, p in enumerate(shown, 1):
        click.echo(f"{number}. [{p.type}] {p.stem}")
        for option in p.options:
            mark = "*" if option.correct else " "
            click.echo(f"   {mark} {option.letter}. {option.text}")
        click.echo(f"   Answer: {', '.join(p.correct_letters)}")
        click.echo(f"   Why: {p.explanation}")
        for source in p.sources:
            click.echo(f"   Source: {source}")
        click.echo()
    click.echo(f"(seed {seed})")
