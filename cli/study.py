"""``opsprep study``: a study session in the terminal, on the engine's :class:`~opsprep.engine.Progress`."""

from __future__ import annotations

import getpass
import re
import shutil
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import click

from opsprep.engine import (
    InvalidAnswer,
    LearnerProgress,
    Progress,
    Rating,
    StudyCard,
    StudySession,
    UnknownLearner,
    format_interval,
)
from opsprep.engine.clock import utc
from opsprep.engine.grading import check_text
from opsprep.questions import Presentation
from opsprep.questions.responses import Verdict

from .learners import choose_learner
from .options import UsageFailure, learner_option, pass_settings
from .progress_db import progress_db_option, resolve_db_path
from .questions import settings_bank

QUIT = {"q", "quit", "exit"}
UNDO_WORDS = {"u", "undo"}
#: what the answer prompt returns for ``u``
UNDO = object()
#: the line that ends a multi-line answer (a manifest or a configuration)
END_OF_TEXT = "."
#: typed forms answered in several lines, ended by :data:`END_OF_TEXT` (or the end of input)
MULTI_LINE_FORMS = {"manifest", "hcl"}
#: the one-line prompt of each typed form (any other form is a command line)
ONE_LINE_PROMPTS = {"field_path": "Type the field path", "value": "Type the value"}


def default_learner() -> str:
    """Your login name: the learner studying without ``--learner`` when the progress database has no web
    account (with accounts, :func:`~opsprep.cli.learners.choose_learner` offers them)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "me"


@click.command("study")
@click.option("--cert", help="Exam code, e.g. CKA. Default: the learner's certification from last time.")
@click.option("--domain", "domains", multiple=True, help="Only this exam domain (number or name); repeatable.")
@progress_db_option
@learner_option
@click.option("-n", "--limit", type=click.IntRange(1, 10_000), help="Stop after this many questions.")
@pass_settings
def study_command(
    settings: dict,
    cert: str | None,
    domains: tuple[str, ...],
    db_path: Path | None,
    learner_name: str | None,
    limit: int | None,
) -> None:
    """Study in the terminal: spaced repetition (FSRS) over a certification's questions.

    Due questions come first, then new ones (20 a day in each certification by default).
    Answer by number (two numbers for "Choose TWO"), read the explanation, and after a right
    answer say how it went (Enter for good, h hard, e easy). A question that asks for a command,
    a field path or a value is answered by typing it (Enter submits); one that asks for a manifest
    or a configuration by typing or pasting it, ended by a line holding a single "." (or the end of
    input): the verdict says which requirements it meets and shows a model answer. u undoes the
    last answer and asks it again; q quits, and a summary of the session ends it. Every answer is
    saved as it is given, in the same database as the web app's unless --db says otherwise.

    \b
    Examples:
        opsprep study --cert CKA
        opsprep study --cert DOP-C02 --domain 1 --domain 3 -n 10
        opsprep study --db ./progress.db --learner ada
    """
    bank = settings_bank(settings)
    if cert:  # a bad --cert or --domain writes nothing
        chosen = bank.catalog.certification(cert)
        for domain in domains:
            chosen.domain(domain)
    db_path = resolve_db_path(db_path)
    click.echo(f"Progress is kept in {db_path}.")
    with Progress.open(db_path, bank) as progress:
        name, why = choose_learner(progress, learner_name, default_learner())
        if why:
            click.echo(why)
        if not cert:
            cert = _last_certification(progress, name)
        scope = progress.scope(cert, domains)
        learner, created = progress.learner_named(name)
        if created:
            click.echo(f"Welcome, {learner.name}.")
        learner = progress.learner(learner.id)
        if learner.info.default_cert != scope.cert:
            learner.update_settings(default_cert=scope.cert)
        run_session(learner, learner.session(scope.cert, scope.domains), limit)


def _last_certification(progress: Progress, name: str) -> str:
    """The certification the learner studied last time; without one, a usage error naming the choices."""
    try:
        cert = progress.find_learner(name).default_cert
    except UnknownLearner:  # a new learner: no certification from last time, not an error
        cert = None
    if not cert:
        codes = ", ".join(progress.catalog.codes())
        raise UsageFailure(f"Choose a certification with --cert (one of: {codes}).")
    return cert


def run_session(learner: LearnerProgress, session: StudySession, limit: int | None) -> None:
    """Ask questions until the queue is empty, ``limit`` is reached or the learner quits; then sum up.

    Every answer is stored as soon as it is graded, with the default rating (good when right, again
    when wrong); the rating asked for next amends it, and quitting at that prompt keeps the default
    and says so. ``u`` at the answer prompt undoes the last answer and asks its question again.
    """
    progress = learner.progress
    cert = progress.catalog.certification(session.scope.cert)
    counts = session.counts()
    _say(
        f"{cert.code} — {cert.title}: {counts.due} due, {counts.learning} learning, {counts.new} new "
        f"({counts.total - counts.unseen} of {counts.total} questions seen). Answer by number; u undoes, q quits."
    )
    answered: list[StudyCard] = []  # this session's answers, newest last, for undo
    while limit is None or len(answered) < limit:
        card = session.next()
        if card is None:
            click.echo("\n" + _nothing_left(session))
            break
        _show(card, len(answered) + 1)
        started = time.monotonic()
        ask = _ask_typed if card.presentation.typed else _ask_answer
        answer = ask(card, can_undo=bool(answered))
        if answer is None:
            break
        if answer is UNDO:
            undone = session.undo(answered.pop())
            if undone is not None:
                click.echo(f"Undone: your last answer (rated {undone.rating.name.lower()}). Here it is again.")
            continue
        response_ms = round((time.monotonic() - started) * 1000)
        result = session.submit(card, answer, response_ms, rate_later=True)  # stored now, as good or again
        answered.append(card)
        if result.verdict is not None:
            _show_typed_verdict(card.presentation, result.verdict)
        else:
            _show_verdict(card, result.correct)
        rating = _ask_rating(card) if result.correct else Rating.Again
        if rating is None:  # q at the rating prompt: the answer stays, with its default rating
            kept = session.keep_rating(card) or result
            click.echo(
                f"Not rated: your answer is kept, rated {kept.rating.name.lower()} (the default). "
                f"Next review in {format_interval(kept.interval)}."
            )
            break
        result = session.rate(card, rating) or result
        click.echo(f"Next review in {format_interval(result.interval)} (rated {result.rating.name.lower()}).")
    click.echo()
    _say(session.summary().describe())
    click.echo(f"Progress saved in {progress.path}.")


def _say(text: str, indent: str = "", hanging: str = "", **style: Any) -> None:
    """Print text wrapped to the terminal (at most 100 columns)."""
    width = min(shutil.get_terminal_size().columns, 100) - 1
    click.echo(click.style(click.wrap_text(text, width, indent, hanging or indent), **style))


def _show(card: StudyCard, number: int) -> None:
    p = card.presentation
    where = "; ".join(card.domain_labels)
    click.echo()
    _say(f"{number}. [{card.kind}] {where}")
    for line in p.stem.splitlines():  # a stem may list a task's requirements, one a line
        _say(line, bold=True)
    if p.code:
        _code(p.code)
    for index, option in enumerate(p.options, 1):
        _say(option.text, f"  {index}. ", "     ")
    if p.response is not None:
        listed = [r.text for r in p.response.requirements if r.text not in p.stem]  # unless the stem lists them
        if listed:
            click.echo("Requirements:")
            for text in listed:
                _say(text, "  - ", "    ")
        if p.response.starter and p.response.starter.strip() != p.code.strip():
            click.echo("Start from:")
            _code(p.response.starter)


def _code(text: str) -> None:
    """A code block (manifest, configuration, command output), indented and never wrapped."""
    for line in text.rstrip("\n").splitlines():
        click.echo(f"    {line}".rstrip())


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


def _ask_answer(card: StudyCard, *, can_undo: bool = False) -> list[str] | object | None:
    """The letters answered, :data:`UNDO` for ``u`` (when there is an answer to undo), or None to quit."""
    hint = f" (choose {card.item.answer_count})" if card.item.answer_count > 1 else ""
    while True:
        try:
            raw = click.prompt(f"Answer{hint}", prompt_suffix="> ", default="", show_default=False)
        except click.Abort:
            return None
        text = raw.strip().lower()
        if text in QUIT:
            return None
        if text in UNDO_WORDS:
            if can_undo:
                return UNDO
            click.echo("Nothing to undo yet in this session.")
            continue
        try:
            return parse_choice(card, raw)
        except InvalidAnswer as exc:
            click.echo(str(exc))


def _show_verdict(card: StudyCard, correct: bool) -> None:
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


def _ask_typed(card: StudyCard, *, can_undo: bool = False) -> str | object | None:
    """The text typed, :data:`UNDO` for ``u`` (when there is an answer to undo), or None to quit.

    One-line forms (a command, a field path, a value) end with Enter; a manifest or a configuration
    is typed or pasted line by line and ends with a line holding only :data:`END_OF_TEXT`, or with the
    end of input.
    """
    response = card.presentation.response
    assert response is not None
    multi_line = response.form in MULTI_LINE_FORMS
    if multi_line:
        click.echo(f"Type or paste; finish with a line containing only a single {END_OF_TEXT}")
    while True:
        if multi_line:
            text = _read_lines()
        else:
            label = ONE_LINE_PROMPTS.get(response.form, "Type the command")
            try:
                text = click.prompt(f"{label} (Enter to submit)", prompt_suffix="> ", default="", show_default=False)
            except click.Abort:
                return None
        if text is None:
            return None
        word = text.strip().lower()
        if word in QUIT:
            return None
        if word in UNDO_WORDS:
            if can_undo:
                return UNDO
            click.echo("Nothing to undo yet in this session.")
            continue
        try:
            return check_text(text)
        except InvalidAnswer as exc:
            click.echo(str(exc))


def _read_lines() -> str | None:
    """Lines up to one holding only :data:`END_OF_TEXT` (or the end of input), joined; None when the input
    ended before anything was typed."""
    lines: list[str] = []
    while True:
        line = sys.stdin.readline()
        if not line:  # the end of input
            return "\n".join(lines) + "\n" if lines else None
        line = line.rstrip("\r\n")
        if line.strip() == END_OF_TEXT:
            return "\n".join(lines) + "\n" if lines else ""
        lines.append(line)


def _show_typed_verdict(p: Presentation, verdict: Verdict) -> None:
    """Right or wrong; for a task each requirement met or not, with what was found, and the model answer;
    for a typed answer the forms accepted; then the explanation and the sources."""
    if verdict.correct:
        click.echo(click.style("Right.", fg="green", bold=True))
    else:
        click.echo(click.style("Wrong.", fg="red", bold=True))
    task = bool(verdict.results) or (p.response is not None and p.response.form in MULTI_LINE_FORMS)
    for problem in verdict.problems:  # a task's parse or schema errors; a typed answer's hint ("Almost: ...")
        _say(f"Problem: {problem}" if task else problem)
    if verdict.results:
        met = sum(r.met for r in verdict.results)
        click.echo(f"{met} of {len(verdict.results)} requirements met:")
        for result in verdict.results:
            mark = click.style("✓", fg="green") if result.met else click.style("✗", fg="red")
            detail = f" — {result.detail}" if result.detail else ""
            _say(f"{result.text}{detail}", f"  {mark} ", "    ")
    if verdict.expected:
        click.echo("Accepted:" if len(verdict.expected) > 1 else "The answer:")
        for form in verdict.expected:
            _code(form)
    if verdict.model_answer:
        click.echo("Model answer:")
        _code(verdict.model_answer)
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
