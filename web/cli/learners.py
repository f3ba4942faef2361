"""``opsprep learners``: who studies in a progress database, and web logins for them."""

from __future__ import annotations

from pathlib import Path

import click

from opsprep.engine import list_learners, open_store
from opsprep.engine.accounts import get_account, set_password_hash
from opsprep.engine.learners import find_learner

from .options import UsageFailure, json_option, pass_settings, print_json, print_rows, translate_errors
from .progress_db import progress_db_option, resolve_db_path
from .study import engine_errors


@click.group("learners")
def learners_group() -> None:
    """List learners and give them a password for the web app."""


@learners_group.command("list")
@progress_db_option
@json_option
@pass_settings
@translate_errors
@engine_errors
def list_command(settings: dict, db_path: Path | None, as_json: bool) -> None:
    """List the learners in the progress database and whether they can log in to the web app.

    \b
    Example:
        opsprep learners list --json
    """
    with open_store(resolve_db_path(db_path)) as store:
        rows = [
            {
                "id": learner.id,
                "name": learner.name,
                "web_login": get_account(store, learner.id) is not None,
                "default_cert": learner.default_cert or "",
                "desired_retention": learner.desired_retention,
                "daily_new_limit": learner.daily_new_limit,
            }
            for learner in list_learners(store)
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
@translate_errors
@engine_errors
def password_command(settings: dict, name: str, password: str, db_path: Path | None) -> None:
    """Set NAME's password for the web app (a learner from `opsprep study` gets a login this way).

    \b
    Example:
        opsprep learners password ada
    """
    from werkzeug.security import generate_password_hash

    from opsprep.web.auth import MAX_PASSWORD, MIN_PASSWORD

    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise UsageFailure(f"Choose a password of {MIN_PASSWORD} to {MAX_PASSWORD} characters.")
    with open_store(resolve_db_path(db_path)) as store:
        learner = find_learner(store, name)
        set_password_hash(store, learner.id, generate_password_hash(password, method="scrypt"))
    click.echo(f"{learner.name} can now log in to the web app.")
