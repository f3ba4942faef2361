"""Regression tests for hostile or broken input: absurd numbers, huge ids, terminal escapes, look-alike
names, file permissions, and an instance folder that cannot be written."""

from __future__ import annotations

import os
import stat

import pytest

from opsprep.cli import cli
from opsprep.engine import Progress, UnknownAttempt
from opsprep.engine.synthetic import synthetic_bank

from .test_web_study import answer, presentation, rate, reviews, shown
from .web_helpers import AuthActions, make_app


@pytest.mark.parametrize("response_ms", ["inf", "-inf", "nan", "1e309", "9" * 400, "-1", "1e12"])
def test_an_absurd_response_time_is_stored_as_unknown(client, app, response_ms):
    item_id, seed, _ = shown(client)
    letters = presentation(app, item_id, seed).correct_letters
    assert answer(client, item_id, seed, letters, response_ms=response_ms).status_code == 302
    assert rate(client, item_id, seed).status_code == 302
    [review] = reviews(app)
    assert review["response_ms"] is None


@pytest.mark.parametrize("attempt_id", [2**63, 2**63 - 1, 2**64 + 5, 10**30])
def test_an_attempt_id_out_of_range_is_not_found(client, attempt_id):
    for url in (f"/exam/{attempt_id}/", f"/exam/{attempt_id}/1", f"/exam/{attempt_id}/result"):
        assert client.get(url).status_code == 404
    assert client.post(f"/exam/{attempt_id}/1", data={"choice": "A"}).status_code == 404


def test_the_engine_refuses_out_of_range_attempt_ids_and_response_times():
    with Progress.open(":memory:", synthetic_bank(items=6)) as progress:
        ada = progress.learner(progress.create_learner("ada").id)
        with pytest.raises(UnknownAttempt):
            ada.attempt(2**70)
        card = ada.next_card("SYN")
        for bad in (float("inf"), float("nan"), 10**20):
            with pytest.raises(Exception, match="milliseconds from 0 to"):
                ada.submit(card.item.id, card.seed, card.presentation.correct_letters, response_ms=bad)
        assert progress.store.scalar("SELECT count(*) FROM reviews") == 0


@pytest.mark.parametrize(
    "name",
    ["alice\u200b", "ali\u200dce", "\u202eecila", "alice\x1b[2J", "ali\x00ce", "al\u00adice"],
)
def test_names_with_invisible_or_control_characters_are_refused(tmp_path, name):
    app = make_app(tmp_path)
    client = app.test_client()
    response = AuthActions(client).register(name)
    assert response.status_code == 400
    assert "without control or invisible characters" in response.get_data(as_text=True)


def test_full_width_letters_are_the_same_name(tmp_path):
    app = make_app(tmp_path)
    assert AuthActions(app.test_client()).register("alice").status_code == 302
    response = AuthActions(app.test_client()).register("ａｌｉｃｅ")  # full-width: NFKC makes it "alice"
    assert response.status_code == 400 and "is taken" in response.get_data(as_text=True)


def test_the_terminal_never_prints_what_learners_typed_raw(runner, tmp_path):
    db = tmp_path / "progress.db"
    with Progress.open(db, synthetic_bank(items=3)) as progress:
        ada = progress.learner(progress.create_learner("ada").id)
        ada.report_problem("q-1", "other", "look \x1b[2J\x1b]0;owned\x07 here\x00 \u202eevil")
    result = runner.invoke(cli, ["reports", "list", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x00" not in result.output and "\u202e" not in result.output
    assert "\\x1b[2J" in result.output and "\\u202e" in result.output


def test_the_database_and_the_secret_key_are_readable_by_their_owner_only(tmp_path):
    app = make_app(tmp_path, SECRET_KEY=None)
    client = app.test_client()
    assert AuthActions(client).register("ada").status_code == 302
    for path in (tmp_path / "progress.db", tmp_path / "instance" / "secret_key"):
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o077 == 0, (path, oct(mode))


def test_a_read_only_instance_folder_is_a_one_line_error(runner, tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("OPSPREP_INSTANCE", str(blocker / "instance"))
    result = runner.invoke(cli, ["serve", "--port", "5098"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: Cannot write opsprep's instance folder")
    assert len(result.output.strip().splitlines()) == 1
    result = runner.invoke(cli, ["study", "--cert", "CKA", "-n", "1"], input="q\n")
    assert result.exit_code == 1 and result.output.startswith("Error: Cannot write opsprep's instance folder")
    assert os.path.isfile(blocker)


def test_a_deeply_nested_query_is_refused_before_it_reaches_a_worker(tmp_path, runner):
    from opsprep.web.sparql import get_pool

    deep = "SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000
    app = make_app(tmp_path, SPARQL_WORKERS=1)
    client = app.test_client()
    try:
        response = client.get("/sparql", query_string={"query": deep})
        assert response.status_code == 400
        assert "nests groups 3000 deep; the limit is 64" in response.text
        assert client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}).status_code == 200
        assert get_pool(app).size == 1 and len(get_pool(app)._workers) == 1  # no worker died or was replaced
    finally:
        get_pool(app).close()
    result = runner.invoke(cli, ["sparql", deep])
    assert result.exit_code == 2 and "the limit is 64" in result.output


MAKE_PROGRESS = """
import sys
from opsprep.engine import Progress
from opsprep.engine.synthetic import synthetic_bank
with Progress.open(sys.argv[1], synthetic_bank(items=400)) as progress:
    ada = progress.learner(progress.create_learner("ada").id)
    for _ in range(300):
        card = ada.next_card("SYN")
        if card is None:
            break
        ada.submit(card.item.id, card.seed, card.presentation.correct_letters)
"""


def _damaged_database(tmp_path):
    """A progress database (made in another process, as a server would find it at start) with one page of
    the review log overwritten."""
    import sqlite3
    import subprocess
    import sys

    path = tmp_path / "damaged.db"
    subprocess.run([sys.executable, "-c", MAKE_PROGRESS, str(path)], check=True, capture_output=True, timeout=120)
    with sqlite3.connect(path) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'reviews'").fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    assert pages > root + 2
    with open(path, "r+b") as file:
        file.seek(root * page_size)  # the page after the table's root: one of its leaves
        file.write(b"\xde\xad\xbe\xef" * (page_size // 4))
    return path


def test_a_damaged_database_is_refused_at_start_and_nothing_is_written(tmp_path, runner):
    path = _damaged_database(tmp_path)
    before = path.read_bytes()
    result = runner.invoke(cli, ["learners", "list", "--db", str(path)])
    assert result.exit_code == 1
    assert "is damaged" in result.output and "Nothing more is written to it" in result.output
    app = make_app(tmp_path, DATABASE=str(path))
    client = app.test_client()
    response = client.post("/register", data={"name": "bob", "password": "long enough", "confirm": "long enough"})
    assert response.status_code == 503 and "is damaged" in response.get_data(as_text=True)
    assert path.read_bytes() == before


def _copy_session(source, target) -> None:
    target.set_cookie("session", source.get_cookie("session").value)


def test_logging_out_ends_every_copy_of_the_session(tmp_path):
    app = make_app(tmp_path)
    ada = app.test_client()
    assert AuthActions(ada).register("ada").status_code == 302
    thief = app.test_client()
    _copy_session(ada, thief)
    assert thief.get("/dashboard/").status_code == 200  # a copied cookie works while the session lives
    assert ada.post("/logout").status_code == 302
    assert thief.get("/dashboard/").status_code == 302  # ... and not after its owner logged out
    again = app.test_client()
    assert AuthActions(again).login("ada").status_code == 302  # logging in again starts a fresh session
    assert again.get("/dashboard/").status_code == 200


def test_a_new_password_ends_every_session(tmp_path, runner):
    app = make_app(tmp_path)
    ada = app.test_client()
    assert AuthActions(ada).register("ada").status_code == 302
    result = runner.invoke(
        cli, ["learners", "password", "ada", "--db", app.config["DATABASE"]], input="new password\n" * 2
    )
    assert result.exit_code == 0, result.output
    assert ada.get("/dashboard/").status_code == 302


def test_sessions_last_a_week_and_cookies_can_be_secure(tmp_path, monkeypatch):
    from datetime import timedelta

    from opsprep.web.app import create_app

    assert make_app(tmp_path).config["PERMANENT_SESSION_LIFETIME"] == timedelta(days=7)
    monkeypatch.setenv("OPSPREP_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.setenv("OPSPREP_SESSION_COOKIE_SECURE", "true")
    assert create_app().config["SESSION_COOKIE_SECURE"] is True


def test_password_hashes_are_computed_one_at_a_time(monkeypatch):
    """Eight logins at once hash one after another, so memory grows by one scrypt hash, not eight."""
    import threading
    import time

    from opsprep.engine import passwords

    running, most, lock = [0], [0], threading.Lock()
    gate = threading.Barrier(8, timeout=60)

    def counting_check(stored, password):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.005)  # hold the slot long enough for the others to try: they must wait, not join in
        with lock:
            running[0] -= 1
        return False

    monkeypatch.setattr(passwords, "check_password_hash", counting_check)

    def login():
        gate.wait()
        assert passwords.check_password("scrypt:32768:8:1$salt$hash", "a wrong password") is False

    threads = [threading.Thread(target=login) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not any(thread.is_alive() for thread in threads)
    assert most[0] == passwords.MAX_PARALLEL_HASHES == 1


def test_failed_logins_are_throttled_per_account_and_per_address(tmp_path):
    app = make_app(tmp_path, LOGIN_LIMIT_PER_ACCOUNT="3 per 10 minutes", LOGIN_LIMIT_PER_ADDRESS="5 per 10 minutes")
    assert AuthActions(app.test_client()).register("ada").status_code == 302
    assert AuthActions(app.test_client()).register("bob").status_code == 302
    guesser = AuthActions(app.test_client())
    assert [guesser.login("ada", "wrong guess").status_code for _ in range(3)] == [401, 401, 401]
    refused = guesser.login("ada")  # even the right password waits now
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert "Too many failed logins" in refused.get_data(as_text=True)
    assert AuthActions(app.test_client()).login("bob").status_code == 302  # another account is not locked
    assert [guesser.login("bob", "wrong guess").status_code for _ in range(2)] == [401, 401]
    assert guesser.login("carol", "wrong guess").status_code == 429  # the address used its 5 failures
    (tmp_path / "other").mkdir()
    other_app = make_app(tmp_path / "other")
    assert AuthActions(other_app.test_client()).register("ada").status_code == 302  # each app counts its own
