"""Accounts: registering, logging in and out, password hashes, the secret key, and the engine's accounts table."""

from __future__ import annotations

import os
import stat

import pytest
from werkzeug.security import check_password_hash, generate_password_hash

from opsprep.engine import InvalidSettings, NameTaken, Progress, open_store, passwords
from opsprep.engine.migrations import KNOWN
from opsprep.engine.synthetic import synthetic_bank

from .web_helpers import FAST_HASH, MINI_GRAPH_FILES, PASSWORD, AuthActions, app_progress, make_app


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
    assert app.config["PASSWORD_HASH_METHOD"] == passwords.DEFAULT_METHOD
    AuthActions(app.test_client()).register("ada")
    [row] = accounts(app)
    assert row["password_hash"].startswith("scrypt:32768:8:3$")


#: the scrypt settings the OWASP Password Storage Cheat Sheet gives as equal minimums: N -> p, with r=8
OWASP_SCRYPT = {2**17: 1, 2**16: 2, 2**15: 3, 2**14: 5, 2**13: 10}


def test_the_default_hash_meets_owasp_guidance_in_32_mib():
    name, n, r, p = passwords.DEFAULT_METHOD.split(":")
    n, r, p = int(n), int(r), int(p)
    assert name == "scrypt" and r == 8
    assert n in OWASP_SCRYPT and p >= OWASP_SCRYPT[n]
    assert 128 * n * r <= 32 * 2**20  # memory per hash, and one hash at a time
    assert passwords.MAX_PARALLEL_HASHES * 128 * n * r <= 64 * 2**20


def test_hashes_made_with_werkzeugs_older_default_still_check():
    stored = generate_password_hash(PASSWORD)  # scrypt:32768:8:1, what accounts were made with before
    assert passwords.hash_settings(stored) == "scrypt:32768:8:1"
    assert passwords.check_password(stored, PASSWORD) and not passwords.check_password(stored, "wrong password")


OLD_HASH_METHOD = "pbkdf2:sha256:500"  # older settings than the tests' FAST_HASH


def test_a_login_hashes_an_older_hash_again_and_keeps_sessions(client, auth, app):
    with app_progress(app) as progress:
        ada = progress.create_account("ada", generate_password_hash(PASSWORD, OLD_HASH_METHOD))
        progress.create_account("bob", generate_password_hash(PASSWORD, OLD_HASH_METHOD))
        epoch = progress.account(ada.id).session_epoch
    assert auth.login("bob", "wrong password").status_code == 401
    assert auth.login("ada").status_code == 302
    stored = {row["name"]: row["password_hash"] for row in accounts(app)}
    assert passwords.hash_settings(stored["ada"]) == FAST_HASH and check_password_hash(stored["ada"], PASSWORD)
    assert passwords.hash_settings(stored["bob"]) == OLD_HASH_METHOD  # a wrong password changes nothing
    with app_progress(app) as progress:
        assert progress.account(ada.id).session_epoch == epoch  # the same password: sessions go on
    assert client.get("/settings/").status_code == 200
    assert auth.login("ada").status_code == 302
    assert {row["name"]: row["password_hash"] for row in accounts(app)}["ada"] == stored["ada"]  # once only


@pytest.mark.parametrize(("name", "password"), [("nobody", PASSWORD), ("ada", "wrong password"), ("ada", PASSWORD)])
def test_every_login_checks_one_hash_of_the_current_settings_within_the_bound(auth, app, monkeypatch, name, password):
    """An unknown name costs what a known one does (no timing oracle), through the same one-at-a-time bound."""
    auth.register("ada")
    auth.logout()
    checked = []

    def spy(stored, typed):
        held = not passwords._hashing.acquire(blocking=False)
        if not held:
            passwords._hashing.release()
        checked.append((passwords.hash_settings(stored), held))
        return check_password_hash(stored, typed)

    monkeypatch.setattr(passwords, "check_password_hash", spy)
    auth.login(name, password)
    assert checked == [(FAST_HASH, True)]


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


def test_a_hash_is_upgraded_only_while_it_is_the_one_that_was_checked():
    from opsprep.engine.accounts import upgrade_password_hash

    with Progress.open(":memory:", synthetic_bank(items=4)) as progress:
        learner = progress.create_account("ada", "old")
        epoch = progress.account(learner.id).session_epoch
        assert upgrade_password_hash(progress.store, learner.id, "old", "new") is True
        assert upgrade_password_hash(progress.store, learner.id, "old", "newer") is False  # changed meanwhile
        account = progress.account(learner.id)
        assert account.password_hash == "new" and account.session_epoch == epoch
        with pytest.raises(InvalidSettings):
            upgrade_password_hash(progress.store, learner.id, "new", "")
