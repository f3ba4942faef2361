"""``opsprep learners``: list learners and give a terminal learner a web login; and whom ``opsprep study``
studies as without ``--learner``: the same learner as the web app."""

from __future__ import annotations

import json

import pytest

from opsprep.cli import cli
from opsprep.engine import Progress, open_store
from opsprep.engine.accounts import get_account
from opsprep.engine.learners import create_learner

from .conftest import MINI_GRAPH_DIR
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


# One learner across the terminal and the browser

MINI = ["--data", str(MINI_GRAPH_DIR)]


@pytest.fixture
def login_name(monkeypatch):
    """The terminal's login name is "someone", and no learner is named in the environment."""
    monkeypatch.delenv("OPSPREP_LEARNER", raising=False)
    monkeypatch.setattr("getpass.getuser", lambda: "someone")
    return "someone"


def register(tmp_path, db, *names):
    client = make_app(tmp_path, DATABASE=str(db)).test_client()
    for name in names:
        assert AuthActions(client).register(name).status_code == 302
        AuthActions(client).logout()


def study(runner, db, *args, input="q\n"):
    return runner.invoke(cli, [*MINI, "study", "--cert", "DOP-C02", "--db", str(db), *args], input=input)


def names(db):
    with Progress.open(db) as progress:
        return [learner.name for learner in progress.learners()]


def test_the_terminal_studies_as_the_only_web_account(runner, tmp_path, login_name):
    db = tmp_path / "progress.db"
    register(tmp_path, db, "ada")
    result = study(runner, db)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:2] == [
        f"Progress is kept in {db}.",
        "Studying as ada, the web app's account (--learner chooses another).",
    ]
    assert "Welcome" not in result.output
    assert names(db) == ["ada"]  # no learner "someone" made beside the account


def test_a_learner_named_in_another_case_is_the_web_account(runner, tmp_path, login_name):
    db = tmp_path / "progress.db"
    register(tmp_path, db, "ada")
    result = study(runner, db, "--learner", "ADA", input="1\n\n")
    assert result.exit_code == 0, result.output
    assert "Welcome" not in result.output
    assert names(db) == ["ada"]
    with Progress.open(db) as progress:
        ada = progress.find_learner("ada")
        assert progress.store.scalar("SELECT count(*) FROM reviews WHERE learner_id = ?", [ada.id]) == 1


def test_the_account_named_like_the_login_is_used_without_asking(runner, tmp_path, login_name):
    db = tmp_path / "progress.db"
    register(tmp_path, db, "ada", "Someone")
    result = study(runner, db)
    assert result.exit_code == 0, result.output
    assert "Studying as Someone, the web app's account" in result.output and "Who is studying?" not in result.output


def test_with_several_candidates_the_terminal_asks(runner, tmp_path, login_name):
    db = tmp_path / "progress.db"
    with open_store(db) as store:
        create_learner(store, "someone")  # studied in the terminal before the web accounts were made
    register(tmp_path, db, "ada", "bob")
    result = study(runner, db, input="4\nBOB\nq\n")
    assert result.exit_code == 0, result.output
    assert "Several learners keep their progress in this database. Who is studying?" in result.output
    assert "  1. ada (web account)\n  2. bob (web account)\n  3. someone (terminal only)\n" in result.output
    assert "Type a number from 1 to 3, or one of the names: ada, bob, someone." in result.output  # the 4
    assert "Studying as bob." in result.output
    again = study(runner, db, input="3\nq\n")
    assert "Studying as someone." in again.output
    assert names(db) == ["ada", "bob", "someone"]


def test_without_an_answer_nothing_is_written(runner, tmp_path, login_name):
    db = tmp_path / "progress.db"
    register(tmp_path, db, "ada", "bob")
    with Progress.open(db) as progress:
        before = [learner.to_dict() for learner in progress.learners()]
    result = study(runner, db, input="")
    assert result.exit_code == 2
    assert (
        "Error: Choose who is studying with --learner NAME or $OPSPREP_LEARNER (one of: ada, bob).\n" in result.output
    )
    with Progress.open(db) as progress:
        assert [learner.to_dict() for learner in progress.learners()] == before
        assert progress.store.scalar("SELECT count(*) FROM reviews") == 0


def test_without_web_accounts_the_login_name_studies(runner, tmp_path, login_name):
    db = tmp_path / "progress.db"
    result = study(runner, db)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Progress is kept in {db}.\nWelcome, someone.\n")
    assert names(db) == ["someone"]
