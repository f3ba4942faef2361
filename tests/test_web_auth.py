"""Accounts: registering, logging in and out, password hashes, the secret key, and the engine's accounts table."""

from __future__ import annotations

import os
import stat

import pytest
from werkzeug.security import check_password_hash

from opsprep.engine import InvalidSettings, NameTaken, Progress, open_store
from opsprep.engine.migrations import KNOWN
from opsprep.engine.synthetic import synthetic_bank

from .web_helpers import MINI_GRAPH_FILES, PASSWORD, AuthActions, app_progress, make_app


@pytest.fixture
def client(app):
    """Not logged in (overrides the conftest's ``client``)."""
    return app.test_client()


@pytest.fixture
def auth(client):
    return AuthActions(client)


def accounts(app):
    with open_store(app.config["DATABASE"]) as store:
        return store.rows("SELECT l.name, a.password_hash FROM accounts a JOIN learners l ON l.id = a.learner_id")


def test_register_logs_in_and_goes_home(client, auth, app):
    assert client.get("/register").status_code == 200
    response = auth.register("ada")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    home = client.get("/").get_data(as_text=True)
    assert "Welcome, ada" in home and "Log out" in home and "Study DOP-C02" in home
    [row] = accounts(app)
    assert row["name"] == "ada"
    assert PASSWORD not in row["password_hash"] and check_password_hash(row["password_hash"], PASSWORD)


@pytest.mark.parametrize(
    ("name", "password", "confirm", "message"),
    [
        ("ada", "short", "short", "Choose a password of 8 to 1024 characters."),
        ("ada", PASSWORD, PASSWORD + "x", "The two passwords differ"),
        ("   ", PASSWORD, PASSWORD, "Choose a name of 1 to 64 characters."),
        ("x" * 65, PASSWORD, PASSWORD, "Choose a name of 1 to 64 characters."),
        ("ADA", PASSWORD, PASSWORD, "The name &#39;ADA&#39; is taken"),
    ],
)
def test_register_refuses_bad_input_and_creates_nothing(client, auth, app, name, password, confirm, message):
    with app_progress(app) as progress:
        progress.create_account("ada", "hash")
    response = auth.register(name, password, confirm)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert len(accounts(app)) == 1
    assert "Log out" not in client.get("/").get_data(as_text=True)


def test_login_and_logout(client, auth):
    auth.register("ada")
    auth.logout()
    assert client.get("/study/DOP-C02").status_code == 302
    response = auth.login("Ada", next="/settings/")  # names match in any case
    assert response.status_code == 302 and response.headers["Location"] == "/settings/"
    assert client.get("/settings/").status_code == 200
    assert client.get("/logout").status_code == 200  # GET only asks
    assert client.get("/settings/").status_code == 200
    response = auth.logout()
    assert response.status_code == 302
    assert "You are logged out." in client.get("/").get_data(as_text=True)
    assert client.get("/settings/").status_code == 302


@pytest.mark.parametrize(("name", "password"), [("ada", "wrong password"), ("nobody", PASSWORD)])
def test_wrong_name_or_password_is_refused_alike(client, auth, name, password):
    auth.register("ada")
    auth.logout()
    response = auth.login(name, password)
    assert response.status_code == 401
    assert "Wrong name or password." in response.get_data(as_text=True)
    assert client.get("/settings/").status_code == 302


def test_login_required_pages_send_visitors_to_log_in_and_back(client, auth):
    response = client.get("/study/DOP-C02?domain=1")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    auth.register("ada")
    auth.logout()
    response = auth.login(next="http://localhost/study/DOP-C02?domain=1")
    assert response.headers["Location"] == "/study/DOP-C02?domain=1"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "settings"]
)
def test_login_never_redirects_off_site(auth, target):
    auth.register("ada")
    auth.logout()
    response = auth.login(next=target)
    assert response.headers["Location"] == "/"


def test_passwords_are_hashed_with_scrypt_by_default(tmp_path, monkeypatch):
    from opsprep.web.app import create_app

    monkeypatch.setenv("OPSPREP_INSTANCE", str(tmp_path / "instance"))
    config = {"TESTING": True, "SECRET_KEY": "t", "DATABASE": str(tmp_path / "p.db"), "WTF_CSRF_ENABLED": False}
    app = create_app({**config, "GRAPH_FILES": [str(f) for f in MINI_GRAPH_FILES]})
    assert app.config["PASSWORD_HASH_METHOD"] == "scrypt"
    AuthActions(app.test_client()).register("ada")
    [row] = accounts(app)
    assert row["password_hash"].startswith("scrypt:")


def test_secret_key_is_made_once_and_kept_private(tmp_path):
    first = make_app(tmp_path, SECRET_KEY=None)
    path = tmp_path / "instance" / "secret_key"
    assert path.is_file() and stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert len(first.config["SECRET_KEY"]) == 64
    assert make_app(tmp_path, SECRET_KEY=None).config["SECRET_KEY"] == first.config["SECRET_KEY"]


def test_database_defaults_to_the_instance_folder(tmp_path):
    app = make_app(tmp_path, DATABASE=None)
    assert app.config["DATABASE"] == str(tmp_path / "instance" / "progress.db")


def test_a_session_does_not_carry_over_to_a_replaced_database(tmp_path, client, auth, app):
    auth.register("ada")
    os.remove(app.config["DATABASE"])
    with app_progress(app) as progress:
        progress.create_account("bob", "hash")  # gets ada's old learner id
    page = client.get("/").get_data(as_text=True)
    assert "bob" not in page and "Log in" in page


# The engine's side: the accounts table


def test_accounts_engine_functions():
    with Progress.open(":memory:", synthetic_bank(items=4)) as progress:
        assert progress.store.schema_version == len(KNOWN) and "0002_accounts" in KNOWN
        learner = progress.create_account("  Ada   Lovelace ", "h1")
        assert learner.name == "Ada Lovelace"
        account = progress.find_account("ada lovelace")
        assert account.learner_id == learner.id and account.password_hash == "h1" and account.last_login is None
        progress.record_login(learner.id)
        assert progress.account(learner.id).last_login is not None
        with pytest.raises(NameTaken, match="taken"):
            progress.create_account("ADA LOVELACE", "h2")
        with pytest.raises(InvalidSettings):
            progress.create_account("bob", "")
        terminal = progress.create_learner("carol")  # made by `opsprep study`: no password, cannot log in
        assert progress.account(terminal.id) is None and progress.find_account("carol") is None
        assert progress.find_account("nobody") is None
