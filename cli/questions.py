"""``opsprep questions``: what the generator produces from the graph."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

import click

from opsprep.graph import data_files
from opsprep.questions import QuestionBank, cached_bank, present
from opsprep.questions.lint import THRESHOLDS, LintReport, lint

from .options import json_option, pass_settings, print_json, print_rows, printable, settings_graph

if TYPE_CHECKING:
    from opsprep.graph.catalog import Certification


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
        opsprep questions lint
    """


@questions_group.command("stats")
@json_option
@pass_settings
def stats_command(settings: dict, as_json: bool) -> None:
    """Count question items by type, template, certification and exam domain.

    Each certification's domains are followed by where its outline was read when it is corroborated
    rather than official, and by its outline notes.

    \b
    Example:
        opsprep questions stats
        opsprep questions stats --json
    """
    bank = settings_bank(settings)
    stats = bank.stats()
    outlines = {cert.code: cert for cert in bank.catalog}
    for code, entry in stats["certifications"].items():
        entry.update(outline_provenance(outlines[code]))
    if as_json:
        print_json(stats)
        return
    click.echo(f"{stats['items']:,} question items\n")
    print_rows(["type", "items"], [[k, v] for k, v in stats["types"].items()])
    for code, cert in stats["certifications"].items():
        hands = cert.get("hands_on", 0)
        share = f", {hands:,} hands-on ({hands / cert['items']:.0%})" if hands and cert["items"] else ""
        scenarios = cert.get("scenarios", 0)
        share += f", {scenarios:,} scenarios ({scenarios / cert['items']:.0%})" if scenarios and cert["items"] else ""
        click.echo(f"\n{code} — {cert['label']}: {cert['items']:,} items{share}")
        print_rows(["domain", "items"], [[k, v] for k, v in cert["domains"].items()])
        print_outline_provenance(cert)
        competencies = cert.get("competencies", {})
        if competencies:
            click.echo()
            per_task = cert.get("scenarios_per_task_statement", {})
            if per_task:
                rows = [[k, v, per_task.get(k, 0)] for k, v in competencies.items()]
                print_rows(["task statement", "items", "scenarios"], rows)
            else:
                print_rows(["competency", "items"], [[k, v] for k, v in competencies.items()])


def outline_provenance(cert: Certification) -> dict:
    """Where a certification's outline was read, as commands print it beside its domains (JSON-ready)."""
    return {
        "provenance": cert.provenance,
        "provenance_line": cert.provenance_line,
        "corroborating_sources": list(cert.corroborating_sources),
        "outline_notes": list(cert.notes),
    }


def print_outline_provenance(outline: dict) -> None:
    """Print :func:`outline_provenance`: the line and sources of a corroborated outline, then the notes."""
    if outline["provenance_line"]:
        click.echo(outline["provenance_line"])
        for source in outline["corroborating_sources"]:
            click.echo(f"  Source: {printable(source)}")
    for note in outline["outline_notes"]:
        click.echo(f"Note: {printable(note)}")


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
        if p.code:
            click.echo(_indented(p.code))
        for option in p.options:
            mark = "*" if option.correct else " "
            click.echo(f"   {mark} {option.letter}. {option.text}")
        if p.response is None:
            click.echo(f"   Answer: {', '.join(p.correct_letters)}")
        else:
            for requirement in p.response.requirements:
                click.echo(f"   - {requirement.text}")
            if p.response.starter:
                click.echo("   The editor starts with:")
                click.echo(_indented(p.response.starter))
            for accepted in p.response.accepted:
                click.echo(f"   Accepted: {accepted}")
            if p.response.model_answer:
                click.echo("   Model answer:")
                click.echo(_indented(p.response.model_answer))
        click.echo(f"   Why: {p.explanation}")
        for source in p.sources:
            click.echo(f"   Source: {source}")
        click.echo()
    click.echo(f"(seed {seed})")


def _indented(code: str) -> str:
    """A code block indented under a question, as written."""
    return "\n".join(f"      {line}" for line in code.rstrip("\n").splitlines())


#: examples shown per failing check in the text report (``--json`` holds up to twenty)
SHOWN_EXAMPLES = 3


@questions_group.command("lint")
@click.option("--cert", "cert", help="Only the items of this certification (exam code), e.g. CKA.")
@json_option
@pass_settings
def lint_command(settings: dict, cert: str | None, as_json: bool) -> None:
    """Check the whole question bank against the quality thresholds; exit 1 when one is exceeded.

    Counts wrong options the graph does not prove wrong, showings that give the key away, off-exam
    items filed under an exam, explanations without notes or with re-cased identifiers, sources that
    are the wrong page to cite, repeated stems and thin exam domains, and holds each figure to its
    limit. Failing checks are listed with a few examples each.

    \b
    Example:
        opsprep questions lint
        opsprep questions lint --cert CKA --json
    """
    report = lint(settings_bank(settings), cert=cert)
    if as_json:
        print_json(report.to_dict())
    else:
        _print_lint(report)
    if not report.ok:
        raise SystemExit(1)


def _print_lint(report: LintReport) -> None:
    """The lint as a readable report: the checks, the figures behind them, then the failing checks' examples."""
    scope = "all certifications" if report.scope == "all" else report.scope
    shown = report.giveaways["any"].total
    seeds = ", ".join(map(str, report.seeds))
    click.echo(f"Question bank lint ({scope}): {report.items:,} items, {shown:,} showings (seeds {seeds})\n")
    checks = report.checks()
    print_rows(
        ["check", "figure", "limit", "result"],
        [[c.name, c.threshold.show(c.figure), c.threshold.describe(), "pass" if c.ok else "FAIL"] for c in checks],
    )
    if report.giveaways_by_cert:
        click.echo("\nGiveaway rates per certification")
        rules = [r for r in report.giveaways if r != "any"]
        print_rows(
            ["cert", "showings", *rules, "any"],
            [
                [code, f"{rates['presentations']:,g}", *(_percent(rates[r]) for r in (*rules, "any"))]
                for code, rates in report.giveaways_by_cert.items()
            ],
        )
    if report.coverage:
        click.echo(f"\nItems per exam domain (at least {THRESHOLDS['smallest-exam-domain'].limit:g})")
        print_rows(
            ["cert", "domain", "items"],
            [[code, label, n] for code, domains in report.coverage.items() for label, n in domains.items()],
        )
    click.echo(f"\nMost repeated stems (at most {THRESHOLDS['identical-stems'].limit:g} items each)")
    print_rows(["items", "stem"], [[n, stem] for stem, n in report.stems[:5]])
    click.echo("\nItems per template")
    print_rows(["template", "items"], [[t, n] for t, n in report.templates.items()])
    failing = [c for c in checks if not c.ok]
    tallies = report.tallies()
    for check in failing:
        click.echo(f"\nFAIL {check.name}: {check.threshold.show(check.figure)} (limit {check.threshold.describe()})")
        if check.name == "identical-stems":
            limit = check.threshold.limit
            for stem, n in [(stem, n) for stem, n in report.stems if n > limit][:SHOWN_EXAMPLES]:
                click.echo(f"   {n} items: {stem}")
        elif check.name == "smallest-exam-domain":
            limit = check.threshold.limit
            thin = [(code, label, n) for code, d in report.coverage.items() for label, n in d.items() if n < limit]
            click.echo(f"   {len(thin)} exam domain(s) below the limit:")
            for code, label, n in sorted(thin, key=lambda row: row[2])[:SHOWN_EXAMPLES]:
                click.echo(f"   {n} items: {code} {label}")
        elif check.name in tallies:
            for example in tallies[check.name].examples[:SHOWN_EXAMPLES]:
                click.echo(f"   {example.item} [{example.template}] {example.stem}")
                click.echo(f"      {example.detail}")
    verdict = (
        f"\nAll {len(checks)} checks hold."
        if report.ok
        else f"\n{len(failing)} of {len(checks)} checks fail: {', '.join(c.name for c in failing)}."
    )
    click.echo(verdict, err=not report.ok)


def _percent(share: float) -> str:
    return f"{share:.1%}".replace("%", " %")
