"""Accounts: register, log in, log out (Flask-Login), and who is studying.

Passwords are hashed with ``werkzeug.security`` (scrypt by default; ``PASSWORD_HASH_METHOD`` in the
config picks another of its methods). The engine keeps only the hash (:mod:`opsprep.engine.accounts`).
Views that need a learner use :func:`login_required` and :func:`current_learner`.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import LoginManager, UserMixin, current_user, login_required, login_user, logout_user
from flask_wtf.csrf import CSRFError
from werkzeug.security import check_password_hash, generate_password_hash

from opsprep.engine import InvalidSettings, Learner, UnknownLearner, get_learner
from opsprep.engine.accounts import create_account, find_account, record_login

from .db import get_store

__all__ = ["bp", "current_learner", "init_app", "login_required"]

bp = Blueprint("auth", __name__)
login_manager = LoginManager()

MIN_PASSWORD = 8
MAX_PASSWORD = 1024  # hashing a megabyte of "password" would be a cheap way to keep the server busy


class User(UserMixin):
    """Flask-Login's view of a learner. Its id pairs the learner's id and name, so a session made for
    one progress database does not log its holder in as someone else after the file is replaced."""

    def __init__(self, learner: Learner) -> None:
        self.learner = learner

    def get_id(self) -> str:
        return f"{self.learner.id}:{self.learner.name}"


def init_app(app: Flask) -> None:
    """Set up Flask-Login: sessions name a learner, and pages that need one send visitors to log in."""
    app.config.setdefault("PASSWORD_HASH_METHOD", "scrypt")
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Log in to see that page."
    login_manager.login_message_category = "info"
    login_manager.user_loader(_load_user)
    app.register_error_handler(CSRFError, _csrf_failed)


def _csrf_failed(error: CSRFError):
    """A POST without a valid CSRF token: 400, as JSON for scripts and as a page for people."""
    if request.accept_mimetypes.best == "application/json" or request.is_json:
        return jsonify(error="csrf", message=error.description), 400
    return render_template("auth/csrf.html", reason=error.description), 400


def _load_user(user_id: str) -> User | None:
    learner_id, _, name = user_id.partition(":")
    try:
        learner = get_learner(get_store(), int(learner_id))
    except (ValueError, UnknownLearner):
        return None
    return User(learner) if learner.name == name else None


def current_learner() -> Learner:
    """The engine ``Learner`` of whoever is logged in (401 when nobody is: use it behind ``login_required``)."""
    if not current_user.is_authenticated:
        abort(401)
    return current_user.learner


def hash_password(password: str) -> str:
    """The stored form of a password."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def safe_next(target: str | None) -> str | None:
    """``target`` as a path on this site, or None when it points elsewhere (no open redirects)."""
    if not target:
        return None
    parts = urlsplit(target.replace("\\", "/"))
    if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", request.host):
        return None
    if not parts.path.startswith("/") or parts.path.startswith("//"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _password_problems(password: str, confirm: str) -> list[str]:
    problems = []
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        problems.append(f"Choose a password of at least {MIN_PASSWORD} characters.")
    elif password != confirm:
        problems.append("The two passwords differ; type the same one twice.")
    return problems


@bp.route("/register", methods=["GET", "POST"])
def register():
    """A new account: a name and a password typed twice."""
    if request.method == "GET":
        return render_template("auth/register.html", name="", errors=[])
    name = request.form.get("name", "")
    password = request.form.get("password", "")
    errors = _password_problems(password, request.form.get("confirm", ""))
    learner = None
    if not errors:
        try:
            learner = create_account(get_store(), name, hash_password(password))
        except InvalidSettings as exc:  # NameTaken among them
            errors.append(str(exc))
    if learner is None:
        return render_template("auth/register.html", name=name, errors=errors), 400
    session.clear()
    login_user(User(learner))
    flash(f"Welcome, {learner.name}. Pick a certification to start studying.", "success")
    return redirect(url_for("index"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log in with name and password; then back to the page that asked for it (``next``), else home."""
    target = safe_next(request.values.get("next"))
    if request.method == "GET":
        return render_template("auth/login.html", name="", next=target, error=None)
    name = request.form.get("name", "")
    password = request.form.get("password", "")[:MAX_PASSWORD]
    store = get_store()
    account = find_account(store, name)
    if account is None:
        check_password_hash(_dummy_hash(), password)  # take as long as a real check: names stay private
    elif check_password_hash(account.password_hash, password):
        learner = get_learner(store, account.learner_id)
        record_login(store, learner.id)
        session.clear()
        login_user(User(learner))
        return redirect(target or url_for("index"))
    error = "Wrong name or password."
    return render_template("auth/login.html", name=name, next=target, error=error), 401


@bp.route("/logout", methods=["GET", "POST"])
def logout():
    """POST logs out (GET asks first, so a link elsewhere cannot log anyone out)."""
    if request.method == "GET":
        return render_template("auth/logout.html")
    logout_user()
    session.clear()
    flash("You are logged out.", "info")
    return redirect(url_for("index"))


def _dummy_hash() -> str:
    app = current_app._get_current_object()
    method = app.config["PASSWORD_HASH_METHOD"]
    cached = app.extensions.get("opsprep.dummy_hash")
    if cached is None or cached[0] != method:
        cached = app.extensions["opsprep.dummy_hash"] = (method, generate_password_hash("not a password", method))
    return cached[1]
