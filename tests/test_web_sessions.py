"""What the web app keeps between requests to make pages cheaper (``web/sessions.py``, ``web/links.py``): a
session cookie is checked once, yet a forged, altered or expired one is still refused and no request shares
what it changes with another; a URL is built once, and is the URL Flask builds."""

from __future__ import annotations

import time

import pytest
from flask import Flask, flash, get_flashed_messages, session, url_for

from opsprep.web import sessions
from opsprep.web.links import kept_url_for

from .web_helpers import AuthActions, make_app


@pytest.fixture
def app() -> Flask:
    app = Flask("sessions")
    app.config.update(SECRET_KEY="test", TESTING=True)
    sessions.init_app(app)

    @app.get("/put/<word>")
    def put(word):
        session.setdefault("words", []).append(word)  # changed in place, as flash() changes its list
        flash(word)
        return ""

    @app.get("/words")
    def words():
        return {"words": session.get("words", []), "flashes": get_flashed_messages()}

    return app


def cookie(client) -> str:
    return client.get_cookie("session").value


def test_a_session_read_again_is_the_same_and_changes_stay_with_their_request(app):
    client = app.test_client()
    client.get("/put/a")
    kept = cookie(client)
    assert client.get("/words").json == {"words": ["a"], "flashes": ["a"]}
    other = app.test_client()
    other.set_cookie("session", kept)  # the same cookie again, as a copy of it would be sent
    assert other.get("/words").json == {"words": ["a"], "flashes": ["a"]}
    other.set_cookie("session", kept)
    other.get("/put/b")  # a request changing the kept session's list changes only its own copy
    third = app.test_client()
    third.set_cookie("session", kept)
    assert third.get("/words").json == {"words": ["a"], "flashes": ["a"]}


def test_an_altered_or_forged_cookie_is_refused_even_after_the_real_one_was_seen(app):
    client = app.test_client()
    client.get("/put/a")
    genuine = cookie(client)
    assert client.get("/words").json["words"] == ["a"]
    for forged in (genuine[:-2] + ("AA" if not genuine.endswith("AA") else "BB"), genuine + "x", "e30.aW.bm90"):
        intruder = app.test_client()
        intruder.set_cookie("session", forged)
        assert intruder.get("/words").json == {"words": [], "flashes": []}


def test_a_cookie_older_than_the_session_lifetime_is_refused_though_it_was_kept(app, monkeypatch):
    client = app.test_client()
    client.get("/put/a")
    assert client.get("/words").json["words"] == ["a"]  # checked and kept
    later = time.time() + app.permanent_session_lifetime.total_seconds() + 60
    monkeypatch.setattr(time, "time", lambda: later)  # the clock of the kept sessions and of itsdangerous
    assert client.get("/words").json["words"] == []


def test_a_new_secret_key_refuses_the_sessions_signed_with_the_old_one(app):
    client = app.test_client()
    client.get("/put/a")
    assert client.get("/words").json["words"] == ["a"]
    app.config["SECRET_KEY"] = app.secret_key = "another"
    assert client.get("/words").json["words"] == []


def test_kept_urls_are_the_urls_flask_builds(tmp_path):
    app = make_app(tmp_path)
    client = app.test_client()
    AuthActions(client).register("ada")
    calls = [
        ("static", {"filename": "style.css"}),
        ("study.page", {"cert": "DOP-C02", "domain": [], "mode": None}),
        ("study.page", {"cert": "DOP-C02", "domain": ["1", "2"], "mode": "cram"}),
        ("study.page", {"cert": "DOP-C02", "mode": "cram", "domain": ["2"]}),
        ("questions.flag", {"item_id": "q-1"}),
        ("browse.thing", {"ref": "tool/ansible", "_anchor": "facts"}),
    ]
    for root in ("", "/prefix"):
        with app.test_request_context("/", environ_overrides={"SCRIPT_NAME": root}):
            for endpoint, values in calls * 2:  # built, then kept
                assert kept_url_for(endpoint, **values) == url_for(endpoint, **values)
    assert app.jinja_env.globals["url_for"] is kept_url_for  # what the templates call
