"""``opsprep learners``: who studies in a progress database, and web logins for them.

These commands need no question bank, so they work on the store itself (:mod:`opsprep.engine.learners`,
:mod:`opsprep.engine.accounts`) rather than on a :class:`~opsprep.engine.Progress`, whose bank takes
seconds to build.
"""

from __future__ import annotations

from pathlib import Path

import click

from opsprep.engine import Progress
from opsprep.engine.passwords import hash_password, password_problems

from .options import UsageFailure, json_option, pass_settings, print_json, print_rows
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
