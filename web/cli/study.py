"""``opsprep study``: a study session in the terminal, on the engine's session API."""

from __future__ import annotations

import functools
import getpass
import re
import shutil
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import click

from opsprep.engine import (
    EngineError,
    InvalidAnswer,
    Rating,
    StoreError,
    StudyCard,
    StudySession,
    UnknownCertification,
    UnknownDomain,
    check_answer,
    find_learner,
    format_interval,
    learner_named,
    open_store,
    resolve_scope,
    update_settings,
)
from opsprep.engine.clock import utc
from opsprep.engine.errors import UnknownLearner

from .options import UsageFailure, pass_settings, translate_errors
from .progress_db import progress_db_option, resolve_db_path
from .questions import settings_bank

QUIT = {"q", "quit", "exit"}


def default_learner() -> str:
    """The learner name used without ``--learner``: your login name."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "me"


def engine_errors(func: Callable) -> Callable:
    """Turn the engine's errors into click messages (bad certification or domain: exit status 2)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (UnknownCertification, UnknownDomain) as exc:
            raise UsageFailure(str(exc)) from None
        except (StoreError, EngineError) as exc:
            raise click.ClickException(str(exc)) from None

    return wrapper


@click.command("study")
@click.option("--cert", help="Exam code, e.g. CKA. Default: the learner's certification from last time.")
@click.option("--domain", "domains", multiple=True, help="Only this exam domain (number or name); repeatable.")
@progress_db_option
@click.option("--learner", "learner_name", envvar="OPSPREP_LEARNER", help="Who is studying (default: login name).")
@click.option("-n", "--limit", type=click.IntRange(1, 10_000), help="Stop after this many questions.")
@pass_settings
@translate_errors
@engine_errors
def study_command(
    settings: dict,
    cert: str | None,
    domains: tuple[str, ...],
    db_path: Path | None,
    learner_name: str | None,
    limit: int | None,
) -> None:
    """Study in the terminal: spaced repetition (FSRS) over a certification's questions.

    Due questions come first, then new ones (20 a day by default). Answer by number (two
    numbers for "Choose TWO"), read the explanation, and after a right answer say how it
    went (Enter for good, h hard, e easy). q quits; progress is saved after every answer.

    \b
    Examples:
        opsprep study --cert CKA
        opsprep study --cert DOP-C02 --domain 1 --domain 3 -n 10
        opsprep study --db ./progress.db --learner ada
    """
    bank = settings_bank(settings)
    scope = resolve_scope(bank, cert, domains) if cert else None  # a bad --cert or --domain writes nothing
    db_path = resolve_db_path(db_path)
    name = learner_name or default_learner()
    store = open_store(db_path)
    try:
        if scope is None:
            try:
                cert = find_learner(store, name).default_cert
            except UnknownLearner:
                cert = None
            if not cert:
                codes = ", ".join(bank.certification_codes())
                raise UsageFailure(f"Choose a certification with --cert (one of: {codes}).")
            scope = resolve_scope(bank, cert, domains)
        learner, created = learner_named(store, name)
        if created:
            click.echo(f"Welcome, {learner.name}: your progress is kept in {db_path}.")
        if learner.default_cert != scope.cert:
            update_settings(store, learner.id, default_cert=scope.cert)
        run_session(StudySession(store, bank, learner.id, scope.cert, scope.domains), limit)
    finally:
        store.close()


def run_session(session: StudySession, limit: int | None) -> None:
    """Ask questions until the queue is empty, ``limit`` is reached or the learner quits."""
    bank = session.bank
    cert = bank.facts.things[session.scope.cert]
    code = (cert.values("examCode") or (cert.label,))[0]
    counts = session.counts()
    _say(
        f"{code} — {cert.label}: {counts.due} due, {counts.learning} learning, {counts.new} new "
        f"({counts.total - counts.unseen} of {counts.total} questions seen). Answer by number; q quits."
    )
    answered = right = 0
    while limit is None or answered < limit:
        card = session.next()
        if card is None:
            click.echo("\n" + _nothing_left(session))
            break
        _show(card, answered + 1)
        started = time.monotonic()
        letters = _ask_answer(card)
        if letters is None:
            break
        response_ms = round((time.monotonic() - started) * 1000)
        _, letters, correct = check_answer(bank, card.item.id, card.seed, letters)
        _show_verdict(card, letters, correct)
        rating = _ask_rating(card) if correct else Rating.Again
        quitting = rating is None  # q at the rating prompt: keep the answer (as good), then stop
        result = session.submit(card, letters, response_ms, rating or Rating.Good)
        answered += 1
        right += result.correct
        click.echo(f"Next review in {format_interval(result.interval)} (rated {result.rating.name.lower()}).")
        if quitting:
            break
    click.echo(f"\nAnswered {answered}, {right} right. Progress saved in {session.store.path}.")


def _say(text: str, indent: str = "", hanging: str = "", **style: Any) -> None:
    """Print text wrapped to the terminal (at most 100 columns)."""
    width = min(shutil.get_terminal_size().columns, 100) - 1
    click.echo(click.style(click.wrap_text(text, width, indent, hanging or indent), **style))


def _show(card: StudyCard, number: int) -> None:
    p = card.presentation
    where = "; ".join(card.domain_labels)
    click.echo()
    _say(f"{number}. [{card.kind}] {where}")
    _say(p.stem, bold=True)
    for index, option in enumerate(p.options, 1):
        _say(option.text, f"  {index}. ", "     ")


def parse_choice(card: StudyCard, raw: str) -> list[str]:
    """Option letters from what was typed: numbers (``1 3``, ``13``, ``1,3``) or letters (``a c``).

    Raises ``InvalidAnswer`` for a number or letter that is not an option, or the wrong number of them.
    """
    options = card.presentation.options
    by_number = {str(i): o.letter for i, o in enumerate(options, 1)}
    letters = [by_number.get(t, t.upper() if t.isalpha() else "?") for t in re.findall(r"\d|[A-Za-z]", raw)]
    if not letters or not set(letters) <= {o.letter for o in options}:
        raise InvalidAnswer(f"Answer with numbers from 1 to {len(options)}.")
    if len(set(letters)) != card.item.answer_count:
        count = card.item.answer_count
        raise InvalidAnswer("Choose one option." if count == 1 else f"Choose {count} options, e.g. 1 3.")
    return letters


def _ask_answer(card: StudyCard) -> list[str] | None:
    hint = f" (choose {card.item.answer_count})" if card.item.answer_count > 1 else ""
    while True:
        try:
            raw = click.prompt(f"Answer{hint}", prompt_suffix="> ", default="", show_default=False)
        except click.Abort:
            return None
        if raw.strip().lower() in QUIT:
            return None
        try:
            return parse_choice(card, raw)
        except InvalidAnswer as exc:
            click.echo(str(exc))


def _show_verdict(card: StudyCard, letters: tuple[str, ...], correct: bool) -> None:
    p = card.presentation
    numbers = {o.letter: str(i) for i, o in enumerate(p.options, 1)}
    right = ", ".join(f"{numbers[o.letter]}. {o.text}" for o in p.options if o.correct)
    if correct:
        click.echo(click.style("Right.", fg="green", bold=True))
    else:
        click.echo(click.style("Wrong.", fg="red", bold=True))
        _say(f"The answer: {right}")
    _say(f"Why: {p.explanation}")
    for source in p.sources:
        click.echo(f"Source: {source}")


def _ask_rating(card: StudyCard) -> Rating | None:
    labels = {Rating.Good: "Enter good", Rating.Hard: "h hard", Rating.Easy: "e easy", Rating.Again: "a again"}
    choices = ", ".join(f"{label} {_about(card.preview[rating])}" for rating, label in labels.items())
    while True:
        try:
            raw = click.prompt(f"How was it? ({choices})", prompt_suffix="> ", default="", show_default=False)
        except click.Abort:
            return None
        text = raw.strip().lower()
        if text in QUIT:
            return None
        if text in ("", "g", "good"):
            return Rating.Good
        for rating in (Rating.Hard, Rating.Easy, Rating.Again):
            if text in (rating.name.lower(), rating.name[0].lower()):
                return rating
        click.echo("Press Enter for good, or type h, e or a.")


def _about(interval: timedelta) -> str:
    """An interval as previewed: long ones get a little random spread (FSRS fuzz) when stored."""
    return ("~" if interval >= timedelta(days=3) else "") + format_interval(interval)


def _nothing_left(session: StudySession) -> str:
    counts = session.counts()
    if counts.next_due is None:
        return "Nothing left to study in this certification for today. Come back tomorrow for new questions."
    wait = format_interval(counts.next_due - utc())
    return f"Nothing due now. Next review in {wait} ({counts.next_due:%Y-%m-%d %H:%M} UTC)."
