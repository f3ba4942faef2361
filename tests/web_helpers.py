"""Helpers for tests of the web app: a small app per test, logging in, and serving an app on 127.0.0.1.

>>> app = make_app(tmp_path)                       # fixture graph, temporary database and instance folder
>>> client = app.test_client()
>>> auth = AuthActions(client)
>>> auth.register("ada")                           # registers and stays logged in
>>> client.get("/study/DOP-C02").status_code
200
>>> with app_progress(app) as progress:          # the engine's view of the same database
...     progress.learner(1).counts("DOP-C02").new
4

``make_app`` disables CSRF checks (``WTF_CSRF_ENABLED=False``) unless told otherwise, and hashes
passwords with a cheap method so tests stay fast; pass ``WTF_CSRF_ENABLED=True`` to test the tokens.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from opsprep.engine import Progress
from opsprep.graph.store import ONTOLOGY_FILE
from opsprep.web.app import create_app
from opsprep.web.resources import get_bank

FIXTURES = Path(__file__).parent / "fixtures"
#: the tiny conforming graph (one certification, DOP-C02, with two domains)
MINI_GRAPH_FILES = [ONTOLOGY_FILE, FIXTURES / "graph" / "mini.ttl"]
#: the tiny graph plus a tool whose label and definition carry markup
HOSTILE_GRAPH_FILES = [*MINI_GRAPH_FILES, FIXTURES / "hostile" / "script.ttl"]
PASSWORD = "correct horse battery"
#: werkzeug's cheapest sensible method: scrypt (the default) takes a quarter second per hash
FAST_HASH = "pbkdf2:sha256:1000"


def make_app(tmp_path: Path, graph_files: list[Path] | None = None, **config: Any) -> Flask:
    """The web app for one test: ``graph_files`` (default the mini graph; ``None`` in config's
    ``GRAPH_FILES`` means the shipped graph), a database and instance folder under ``tmp_path``."""
    instance = tmp_path / "instance"
    settings: dict[str, Any] = {
        "TESTING": True,
        "SECRET_KEY": "test",
        "DATABASE": str(tmp_path / "progress.db"),
        "GRAPH_FILES": [str(f) for f in (graph_files or MINI_GRAPH_FILES)],
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": FAST_HASH,
        "SPARQL_WORKERS": 1,
    }
    settings.update(config)
    with mock.patch.dict(os.environ, {"OPSPREP_INSTANCE": str(instance)}):
        return create_app(settings)


@contextlib.contextmanager
def app_progress(app: Flask) -> Iterator[Progress]:
    """A :class:`Progress` on the app's database and question bank, closed on exit (to arrange and
    inspect state through the engine, beside the requests)."""
    with Progress.open(app.config["DATABASE"], get_bank(app)) as progress:
        yield progress


class AuthActions:
    """Register, log in and log out through the real forms (as Flask's tutorial does)."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def register(self, name: str = "ada", password: str = PASSWORD, confirm: str | None = None):
        """Register (which logs in); returns the response, not followed."""
        form = {"name": name, "password": password, "confirm": password if confirm is None else confirm}
        return self.client.post("/register", data=self._with_token("/register", form))

    def login(self, name: str = "ada", password: str = PASSWORD, next: str | None = None):
        """Log in; returns the response, not followed."""
        form = {"name": name, "password": password, **({"next": next} if next else {})}
        return self.client.post("/login", data=self._with_token("/login", form))

    def logout(self):
        """Log out; returns the response, not followed."""
        return self.client.post("/logout", data=self._with_token("/logout", {}))

    def _with_token(self, page: str, form: dict) -> dict:
        """The form plus the page's CSRF token when the app checks them."""
        if self.client.application.config.get("WTF_CSRF_ENABLED", True):
            form = {**form, "csrf_token": csrf_token(self.client, page)}
        return form


def csrf_token(client: FlaskClient, page: str = "/login") -> str:
    """The CSRF token of the client's session, read from a page's ``<meta name="csrf-token">``."""
    html = client.get(page).get_data(as_text=True)
    found = re.search(r'<meta name="csrf-token" content="([^"]+)"', html)
    assert found, f"no csrf-token meta tag on {page}"
    return found.group(1)


@contextlib.contextmanager
def serve(app: Flask) -> Iterator[str]:
    """Serve ``app`` on a free port of 127.0.0.1 in a thread; yields its base URL, stops on exit."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()
        pool = app.extensions.get("opsprep.sparql.pool")  # started only if a test ran a SPARQL query
        if pool is not None:
            pool.close()
