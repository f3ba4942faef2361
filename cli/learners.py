"""``opsprep learners``: who studies in a progress database, and web logins for them; and
:func:`choose_learner`, whom a command that studies acts for when no ``--learner`` is given.

These commands need no question bank, so they open a :class:`~opsprep.engine.Progress` without one
(a bank takes seconds to build).
"""

from __future__ import annotations

from pathlib import Path

import click

from opsprep.engine import Learner, Progress
from opsprep.engine.passwords import hash_password, password_problems

from .options import UsageFailure, json_option, pass_settings, print_json, print_rows, printable
from .progress_db import progress_db_option, resolve_db_path


@click.group("learners")
def learners_group() -> None:
    """List learners and give them a password for the web app.

    \b
    Example:
        opsprep learners list
        opsprep learners password ada
    """


@learners_group.command("list")
@progress_db_option
@json_option
@pass_settings
def list_command(settings: dict, db_path: Path | None, as_json: bool) -> None:
    """List the learners in the progress database and whether they can log in to the web app.

    \b
    Example:
        opsprep learners list
        opsprep learners list --json
    """
    with Progress.open(resolve_db_path(db_path)) as progress:  # no question bank needed
        rows = [
            {
                "id": learner.id,
                "name": learner.name,
                "web_login": progress.account(learner.id) is not None,
                "default_cert": learner.default_cert or "",
                "desired_retention": learner.desired_retention,
                "daily_new_limit": learner.daily_new_limit,
            }
            for learner in progress.learners()
        ]
    if as_json:
        print_json(rows)
    elif not rows:
        click.echo("No learners yet: register in the web app, or run `opsprep study`.")
    else:
        header = ["id", "name", "web_login", "desired_retention", "daily_new_limit"]
        print_rows(header, [[row[key] for key in header] for row in rows])


@learners_group.command("password")
@click.argument("name")
@click.password_option(help="The new password (asked for twice when not given).")
@progress_db_option
@pass_settings
def password_command(settings: dict, name: str, password: str, db_path: Path | None) -> None:
    """Set NAME's password for the web app (a learner from `opsprep study` gets a login this way).

    \b
    Example:
        opsprep learners password ada
        opsprep learners password ada --db ./progress.db
    """
    problems = password_problems(password)  # click's prompt already asked for it twice
    if problems:
        raise UsageFailure(" ".join(problems))
    with Progress.open(resolve_db_path(db_path)) as progress:
        learner = progress.find_learner(name)
        progress.set_password_hash(learner.id, hash_password(password))
    click.echo(f"{learner.name} can now log in to the web app.")


def choose_learner(progress: Progress, name: str | None, login_name: str) -> tuple[str, str | None]:
    """The name of the learner to act for, and a sentence that says why (None: nothing to say).

    ``name`` (``--learner``) when given. Otherwise the same learner as the web app
    (:meth:`~opsprep.engine.Progress.terminal_learners`): the only candidate, or the one the user picks
    from a numbered list when there are several (a usage error when nothing can be asked); without web
    accounts, the learner called ``login_name``, as ever. The learner may not exist yet: the caller makes it.
    """
    if name:
        return name, None
    candidates = progress.terminal_learners(login_name)
    if not candidates:
        return login_name, None
    if len(candidates) == 1:
        chosen = candidates[0]
        if progress.account(chosen.id) is None:
            return chosen.name, None
        return chosen.name, f"Studying as {printable(chosen.name)}, the web app's account (--learner chooses another)."
    chosen = _ask_learner(progress, candidates)
    return chosen.name, f"Studying as {printable(chosen.name)}."


def _ask_learner(progress: Progress, candidates: list[Learner]) -> Learner:
    """The learner the user picks by number or name; a usage error at the end of input."""
    names = ", ".join(printable(learner.name) for learner in candidates)
    click.echo("Several learners keep their progress in this database. Who is studying?")
    for number, learner in enumerate(candidates, 1):
        kind = "web account" if progress.account(learner.id) is not None else "terminal only"
        click.echo(f"  {number}. {printable(learner.name)} ({kind})")
    while True:
        try:
            raw = click.prompt("Learner (number or name)", prompt_suffix="> ", default="", show_default=False)
        except click.Abort:
            raise UsageFailure(
                f"Choose who is studying with --learner NAME or $OPSPREP_LEARNER (one of: {names})."
            ) from None
        text = raw.strip()
        if text.isdigit() and 1 <= int(text) <= len(candidates):
            return candidates[int(text) - 1]
        found = [learner for learner in candidates if learner.name.casefold() == text.casefold()]
        if found:
            return found[0]
        click.echo(f"Type a number from 1 to {len(candidates)}, or one of the names: {names}.")
