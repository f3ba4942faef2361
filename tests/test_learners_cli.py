"""``opsprep learners``: list learners and give a terminal learner a web login."""

from __future__ import annotations

import json

from opsprep.cli import cli
from opsprep.engine import open_store
from opsprep.engine.accounts import get_account
from opsprep.engine.learners import create_learner

from .web_helpers import AuthActions, make_app


def test_a_terminal_learner_gets_a_web_login(runner, tmp_path):
    db = tmp_path / "progress.db"
    with open_store(db) as store:
        create_learner(store, "ada")
    listed = json.loads(runner.invoke(cli, ["learners", "list", "--db", str(db), "--json"]).output)
    assert [(r["name"], r["web_login"]) for r in listed] == [("ada", False)]

    result = runner.invoke(cli, ["learners", "password", "ada", "--password", "correct horse", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert result.output == "ada can now log in to the web app.\n"
    listed = json.loads(runner.invoke(cli, ["learners", "list", "--db", str(db), "--json"]).output)
    assert listed[0]["web_login"] is True

    client = make_app(tmp_path, DATABASE=str(db)).test_client()
    assert AuthActions(client).login("ada", "wrong password!").status_code == 401
    assert AuthActions(client).login("ada", "correct horse").status_code == 302


def test_short_password_and_unknown_learner_change_nothing(runner, tmp_path):
    db = tmp_path / "progress.db"
    with open_store(db) as store:
        ada = create_learner(store, "ada")
    short = runner.invoke(cli, ["learners", "password", "ada", "--password", "short", "--db", str(db)])
    assert short.exit_code == 2
    assert "Choose a password of 8 to 1024 characters." in short.output
    unknown = runner.invoke(cli, ["learners", "password", "bob", "--password", "long enough", "--db", str(db)])
    assert unknown.exit_code == 2  # not found
    assert unknown.output == "Error: No learner called 'bob' (see `opsprep learners list`).\n"
    with open_store(db) as store:
        assert get_account(store, ada.id) is None


def test_list_without_learners(runner, tmp_path):
    result = runner.invoke(cli, ["learners", "list", "--db", str(tmp_path / "new.db")])
    assert result.exit_code == 0
    assert result.output.startswith("No learners yet")
