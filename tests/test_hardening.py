"""Regression tests for hostile or broken input: absurd numbers, huge ids, terminal escapes, look-alike
names, file permissions, and an instance folder that cannot be written."""

from __future__ import annotations

import json
import os
import stat
import threading

import pytest

from opsprep.cli import cli
from opsprep.engine import Progress, UnknownAttempt
from opsprep.engine.synthetic import synthetic_bank

from .test_web_study import answer, presentation, rate, reviews, shown
from .web_helpers import AuthActions, app_progress, make_app


@pytest.mark.parametrize("response_ms", ["inf", "-inf", "nan", "1e309", "9" * 400, "-1", "1e12"])
def test_an_absurd_response_time_is_stored_as_unknown(client, app, response_ms):
    """The page's timer is a hint: a value no timer gives keeps the answer, with its time unknown."""
    item_id, seed, _ = shown(client)
    letters = presentation(app, item_id, seed).correct_letters
    assert answer(client, item_id, seed, letters, response_ms=response_ms).status_code == 302
    assert rate(client, item_id, seed).status_code == 302
    [review] = reviews(app)
    assert review["response_ms"] is None


@pytest.mark.parametrize("attempt_id", [2**63, 2**63 - 1, 2**64 + 5, 10**30])
def test_an_attempt_id_out_of_range_is_not_found(client, app, attempt_id):
    for page in ("", "1", "result", "review"):
        assert client.get(f"/exam/{attempt_id}/{page}").status_code == 404
    for action, form in (("1", {"choice": "A"}), ("finish", {"reason": "time-up"}), ("retake", {})):
        assert client.post(f"/exam/{attempt_id}/{action}", data=form).status_code == 404
    assert client.get(f"/exam/1/{attempt_id}").status_code == 404  # a question number out of range too
    with app_progress(app) as progress:
        assert progress.store.scalar("SELECT count(*) FROM exam_attempts") == 0


@pytest.mark.parametrize(
    ("action", "form"),
    [
        ("1", {"action": "goto-\u00b2"}),  # a superscript two is a digit to str.isdigit, not to int()
        ("1", {"action": "goto-" + "9" * 5000}),  # more digits than int() reads
        ("1", {"choice": "A", "shown_at": "0001-01-01T00:00:00+14:00"}),  # out of range once in UTC
        ("finish", {"position": "\u00b2", "shown_at": "9999-12-31T23:59:59-14:00"}),
    ],
)
def test_odd_numbers_and_times_in_exam_forms_are_ignored(client, action, form):
    attempt = client.post("/exam/start", data={"cert": "DOP-C02", "length": "short"}).headers["Location"].split("/")[2]
    response = client.post(f"/exam/{attempt}/{action}", data=form)
    assert response.status_code in (302, 400), response.status_code


@pytest.mark.parametrize("page", ["\u00b2", "9" * 5000, "-1", "1e3"])
def test_a_page_number_that_is_no_whole_number_is_a_400(client, page):
    assert client.get("/questions/", query_string={"page": page}).status_code == 400


@pytest.mark.parametrize("target", ["http://[", "//[", "https://[::1/x"])
def test_a_next_address_that_is_no_url_is_ignored(tmp_path, target):
    app = make_app(tmp_path)
    client = app.test_client()
    assert client.get("/login", query_string={"next": target}).status_code == 200
    assert AuthActions(client).register("ada").status_code == 302
    AuthActions(client).logout()
    response = AuthActions(client).login(next=target)
    assert response.status_code == 302 and response.headers["Location"] == "/"


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
    ["alice\u200b", "ali\u200dce", "\u202eecila", "alice\x1b[2J", "ali\x00ce", "al\u00adice", "ada\u034f", "ada\ufe0f"],
)
def test_names_with_invisible_or_control_characters_are_refused(tmp_path, name):
    app = make_app(tmp_path)
    client = app.test_client()
    response = AuthActions(client).register(name)
    assert response.status_code == 400
    assert "without control or invisible characters" in response.get_data(as_text=True)


def test_a_name_mixing_scripts_is_refused(tmp_path):
    response = AuthActions(make_app(tmp_path).test_client()).register("p\u0430ypal")  # a Cyrillic а among Latin
    assert response.status_code == 400 and "mixes Cyrillic and Latin letters" in response.get_data(as_text=True)


def test_a_name_drawn_like_a_taken_one_in_another_script_is_taken(tmp_path):
    app = make_app(tmp_path)
    assert AuthActions(app.test_client()).register("ape").status_code == 302
    for look_alike in ("\u0430\u0440\u0435", "\u0410\u0420\u0415"):  # Cyrillic а р е, small and capital
        response = AuthActions(app.test_client()).register(look_alike)
        assert response.status_code == 400 and "looks like &#39;ape&#39;" in response.get_data(as_text=True)
    assert AuthActions(app.test_client()).register("\u0436\u0443\u043a").status_code == 302  # all-Cyrillic жук: fine
    with app_progress(app) as progress:
        assert sorted(learner.name for learner in progress.learners()) == ["ape", "\u0436\u0443\u043a"]


def test_full_width_letters_are_the_same_name(tmp_path):
    app = make_app(tmp_path)
    assert AuthActions(app.test_client()).register("alice").status_code == 302
    for look_alike in ("ａｌｉｃｅ", "ALICE", "alice\u00a0", "\u3000alice"):  # NFKC, case and spaces: "alice"
        response = AuthActions(app.test_client()).register(look_alike)
        assert response.status_code == 400 and "is taken" in response.get_data(as_text=True)
    client = app.test_client()
    assert AuthActions(client).login("ａｌｉｃｅ").status_code == 302  # and it logs in as alice
    assert "alice" in client.get("/").get_data(as_text=True)
    with app_progress(app) as progress:
        assert [learner.name for learner in progress.learners()] == ["alice"]


def test_the_terminal_never_prints_what_learners_typed_raw(runner, tmp_path):
    db = tmp_path / "progress.db"
    with Progress.open(db, synthetic_bank(items=3)) as progress:
        ada = progress.learner(progress.create_learner("ada").id)
        ada.report_problem("q-1", "other", "look \x1b[2J\x1b]0;owned\x07 here\x00 \u202eevil")
    result = runner.invoke(cli, ["reports", "list", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x00" not in result.output and "\u202e" not in result.output
    assert "\\x1b[2J" in result.output and "\\u202e" in result.output
    as_json = runner.invoke(cli, ["reports", "list", "--db", str(db), "--json"])
    assert as_json.exit_code == 0, as_json.output
    assert "\x1b" not in as_json.output and "\u202e" not in as_json.output and "\x07" not in as_json.output
    (report,) = json.loads(as_json.output)  # the same text, escaped
    assert any(value == "look \x1b[2J\x1b]0;owned\x07 here\x00 \u202eevil" for value in report.values())


def test_learner_names_are_printed_clean_too(runner, tmp_path):
    """A name the web app refuses can still be in a database an earlier version wrote."""
    db = tmp_path / "progress.db"
    with Progress.open(db, synthetic_bank(items=3)) as progress:
        ada = progress.create_learner("ada")
        with progress.store.transaction() as conn:
            conn.execute("UPDATE learners SET name = ? WHERE id = ?", ["ada\x1b[31m\x00\u202eevil", ada.id])
    result = runner.invoke(cli, ["learners", "list", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x00" not in result.output and "\u202e" not in result.output
    assert "ada\\x1b[31m\\x00\\u202eevil" in result.output
    result = runner.invoke(cli, ["learners", "list", "--json", "--db", str(db)])
    assert result.exit_code == 0 and "\x1b" not in result.output and "\x00" not in result.output  # JSON escapes


def test_the_database_and_the_secret_key_are_readable_by_their_owner_only(tmp_path):
    """0600 whatever the umask (here one that lets everyone read and write), the database's -wal and -shm too."""
    previous = os.umask(0)
    try:
        app = make_app(tmp_path, SECRET_KEY=None)
        client = app.test_client()
        assert AuthActions(client).register("ada").status_code == 302
        with app_progress(app) as progress:  # an open connection, after a write: the -wal and -shm files exist
            progress.create_learner("bob")
            files = [tmp_path / "progress.db", tmp_path / "instance" / "secret_key"]
            files += [tmp_path / f"progress.db{suffix}" for suffix in ("-wal", "-shm")]
            modes = {path.name: stat.S_IMODE(path.stat().st_mode) for path in files}
    finally:
        os.umask(previous)
    assert all(mode & 0o077 == 0 for mode in modes.values()), {name: oct(mode) for name, mode in modes.items()}


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


class WatchedBound:
    """The hashing bound, counting the threads queued at it (to see that they wait rather than join in)."""

    def __init__(self, bound):
        self.bound, self.waiting, self.changed = bound, 0, threading.Condition()

    def __enter__(self):
        with self.changed:
            self.waiting += 1
            self.changed.notify_all()
        self.bound.acquire()
        with self.changed:
            self.waiting -= 1

    def __exit__(self, *exc):
        self.bound.release()


def test_password_hashes_are_computed_one_at_a_time(monkeypatch):
    """Eight logins at once hash one after another, so memory grows by one scrypt hash, not eight."""
    from opsprep.engine import passwords

    watched = WatchedBound(passwords._hashing)
    entered, running, most = [0], [0], [0]
    gate = threading.Barrier(8, timeout=60)

    def counting_check(stored, password):
        with watched.changed:
            entered[0] += 1
            running[0] += 1
            most[0] = max(most[0], running[0])
            watched.changed.notify_all()
            # hold the slot until every thread that has not hashed yet is queued: they must wait, not join in
            watched.changed.wait_for(lambda: watched.waiting == 8 - entered[0] or running[0] > 1, timeout=60)
            running[0] -= 1
        return False

    monkeypatch.setattr(passwords, "_hashing", watched)
    monkeypatch.setattr(passwords, "check_password_hash", counting_check)

    def login():
        gate.wait()
        assert passwords.check_password("scrypt:32768:8:3$salt$hash", "a wrong password") is False

    threads = [threading.Thread(target=login) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not any(thread.is_alive() for thread in threads)
    assert entered[0] == 8 and most[0] == passwords.MAX_PARALLEL_HASHES == 1


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
