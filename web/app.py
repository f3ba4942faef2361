"""The Flask application factory."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from opsprep.engine.instance import InstanceUnwritable, resolve_instance


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the web app.

    Configuration, later wins: the defaults below, each area's own defaults, then ``instance/config.py``
    and ``OPSPREP_*`` environment variables (values parsed as JSON, e.g. ``OPSPREP_SPARQL_TIMEOUT=2.5``),
    or ``test_config`` instead of those two.
    """
    instance = resolve_instance(create=False)  # data left in the old default folder is moved on the way
    app = Flask(__name__, instance_path=str(instance.path), instance_relative_config=True)
    app.config.from_mapping(
        SECRET_KEY=None,  # None: kept in instance/secret_key, made on first run
        GRAPH_FILES=None,  # Turtle files to serve instead of the shipped graph
        DATABASE=None,  # the progress database; None: instance/progress.db
        WTF_CSRF_TIME_LIMIT=None,  # a form's CSRF token lasts as long as the session (a study page may stay open)
        SESSION_COOKIE_SAMESITE="Lax",  # the session cookie is not sent along with other sites' POSTs
        PERMANENT_SESSION_LIFETIME=timedelta(days=7),  # a session (and an answer waiting for its rating) lasts a week
        SESSION_COOKIE_SECURE=False,  # True (OPSPREP_SESSION_COOKIE_SECURE=true) when served over HTTPS
        STUDY_PAGE_CACHE=True,  # show a study page again while nothing on it changed (web/study_cache.py)
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("OPSPREP")
    else:
        app.config.from_mapping(test_config)
    for notice in instance.notices():
        app.logger.warning(notice)
    if not app.config["SECRET_KEY"] or not app.config["DATABASE"]:
        try:
            instance.path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InstanceUnwritable(instance.path, exc) from None
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = instance_secret(Path(app.instance_path))
    register_areas(app)
    return app


def register_areas(app: Flask) -> None:
    """Every area of the site, in one place: its defaults (``init_app``) and its blueprint."""
    from . import (
        auth,
        browse,
        dashboard,
        db,
        errors,
        exam_views,
        export_views,
        home,
        links,
        question_browser,
        security_headers,
        sessions,
        settings_views,
        sparql,
        study_views,
    )

    sessions.init_app(app)
    errors.init_app(app)
    links.init_app(app)
    security_headers.init_app(app)
    csrf = CSRFProtect(app)  # every POST needs the session's token: a form field or an X-CSRFToken header
    db.init_app(app)
    auth.init_app(app)
    sparql.init_app(app)
    app.register_blueprint(sparql.bp)
    csrf.exempt(sparql.bp)  # the SPARQL endpoint is a read-only public API that other sites may POST to
    app.register_blueprint(export_views.bp)
    app.register_blueprint(browse.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(study_views.bp)
    app.register_blueprint(settings_views.bp)
    app.register_blueprint(exam_views.bp)
    app.register_blueprint(dashboard.bp)
    app.register_blueprint(question_browser.bp)
    app.add_url_rule("/", "index", home.index)


def instance_secret(instance: Path) -> str:
    """The secret key kept in the instance folder, made on first use (readable by its owner only)."""
    path = instance / "secret_key"
    try:
        if not path.exists():
            with os.fdopen(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600), "w") as file:
                file.write(secrets.token_hex(32))
        return path.read_text().strip()
    except FileExistsError:  # made meanwhile by another process
        return path.read_text().strip()
    except OSError as exc:
        raise InstanceUnwritable(instance, exc) from None
