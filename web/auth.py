"""Accounts: register, log in, log out (Flask-Login), and who is studying.

Passwords follow the rules of :mod:`opsprep.engine.passwords` and are hashed there (scrypt at OWASP's
minimum by default; ``PASSWORD_HASH_METHOD`` in the config picks other settings or another
``werkzeug.security`` method). The engine keeps only the hash (:mod:`opsprep.engine.accounts`); a
login whose stored hash was made with other settings stores a new one, made with the current ones.
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
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, UserMixin, current_user, login_required, login_user, logout_user

from opsprep.engine import Learner, LearnerProgress, Progress
from opsprep.engine.accounts import Account, upgrade_password_hash
from opsprep.engine.learners import normal_name
from opsprep.engine.passwords import (
    DEFAULT_METHOD,
    MAX_PASSWORD,
    check_password,
    hash_password,
    hash_settings,
    password_problems,
)

from .db import get_progress

__all__ = ["bp", "current_learner", "current_progress", "current_version", "init_app", "login_required"]

bp = Blueprint("auth", __name__)
login_manager = LoginManager()


class User(UserMixin):
    """Flask-Login's view of a learner. Its id pairs the learner's id and name, so a session made for
    one progress database does not log its holder in as someone else after the file is replaced."""

    def __init__(self, learner: Learner, epoch: int, progress_version: int | None = None) -> None:
        self.learner = learner
        self.epoch = epoch  # the account's session epoch when the session began
        self.progress_version = progress_version  # the learner's, read with the login this request (None: not read)

    def get_id(self) -> str:
        return f"{self.learner.id}:{self.epoch}:{self.learner.name}"


def init_app(app: Flask) -> None:
    """Set up Flask-Login: sessions name a learner, and pages that need one send visitors to log in."""
    app.config.setdefault("PASSWORD_HASH_METHOD", DEFAULT_METHOD)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Log in to see that page."
    login_manager.login_message_category = "info"
    login_manager.user_loader(_load_user)
    _throttle_logins(app)


#: failed logins allowed before a 429: per address (one client trying many names) and per account (many
#: clients trying one name); a right password within the limit always logs in
LOGIN_LIMITS = {"LOGIN_LIMIT_PER_ADDRESS": "30 per 10 minutes", "LOGIN_LIMIT_PER_ACCOUNT": "10 per 10 minutes"}


def _throttle_logins(app: Flask) -> None:
    """Count failed logins with Flask-Limiter (in memory, one limiter per app) and refuse past the limits.

    Only this blueprint's login POST can count, so the limiter's request hooks run for this blueprint's
    requests alone (Flask-Limiter registers them for every request of the app)."""
    for key, value in LOGIN_LIMITS.items():
        app.config.setdefault(key, value)
    hooks = (app.before_request_funcs, app.after_request_funcs, app.teardown_request_funcs)
    before = [list(funcs.get(None, ())) for funcs in hooks]
    limiter = Limiter(get_remote_address, app=app, storage_uri="memory://", headers_enabled=True)
    for funcs, kept in zip(hooks, before, strict=True):
        added = [f for f in funcs.get(None, ()) if f not in kept]
        funcs[None] = kept
        funcs.setdefault(bp.name, []).extend(added)
    failed_logins = {
        "methods": ["POST"],
        "deduct_when": lambda response: response.status_code == 401,
        "exempt_when": lambda: request.endpoint != "auth.login",
        "error_message": "Too many failed logins. Wait a few minutes before trying again.",
    }
    limiter.limit(lambda: app.config["LOGIN_LIMIT_PER_ADDRESS"], scope="login-address", **failed_logins)(bp)
    limiter.limit(
        lambda: app.config["LOGIN_LIMIT_PER_ACCOUNT"], key_func=_login_name, scope="login-account", **failed_logins
    )(bp)


def _login_name() -> str:
    """The account a login tries, as names are compared (so "Ada" and "ada " count as one)."""
    return normal_name(request.form.get("name", "")).casefold()


def _load_user(user_id: str) -> User | None:
    learner_id, epoch, name = (user_id.split(":", 2) + ["", ""])[:3]
    if not (learner_id.isdigit() and epoch.isdigit()):
        return None  # a session from before sessions carried an epoch, or a forged one
    found = get_progress().login_state(int(learner_id))
    if found is None:  # the session outlived its learner or login (another database, a deleted learner)
        return None
    learner, account = found.learner, found.account
    if learner.name != name or account.session_epoch != int(epoch):
        return None  # logged out (or the password changed) since this session began
    return User(learner, account.session_epoch, found.progress_version)


def current_progress() -> LearnerProgress:
    """The verbs of whoever is logged in, on this request's progress (use it behind ``login_required``)."""
    return LearnerProgress(get_progress(), current_learner())


def current_version() -> int | None:
    """The progress version of whoever is logged in, read with their login at the start of this request."""
    user = current_user._get_current_object()
    return user.progress_version if user.is_authenticated else None


def current_learner() -> Learner:
    """The engine ``Learner`` of whoever is logged in (401 when nobody is: use it behind ``login_required``)."""
    user = current_user._get_current_object()
    if not user.is_authenticated:
        abort(401)
    return user.learner


def _hash(password: str) -> str:
    return hash_password(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def safe_next(target: str | None) -> str | None:
    """``target`` as a path on this site, or None when it points elsewhere or is no URL at all (no open
    redirects)."""
    if not target:
        return None
    try:
        parts = urlsplit(target.replace("\\", "/"))
    except ValueError:  # "http://[": an unclosed IPv6 address
        return None
    if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", request.host):
        return None
    if not parts.path.startswith("/") or parts.path.startswith("//"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


@bp.route("/register", methods=["GET", "POST"])
def register():
    """A new account: a name and a password typed twice."""
    if request.method == "GET":
        return render_template("auth/register.html", name="", errors=[])
    name = request.form.get("name", "")
    password = request.form.get("password", "")
    progress = get_progress()
    errors = progress.name_problems(name) + password_problems(password, request.form.get("confirm", ""))
    if errors:
        return render_template("auth/register.html", name=name, errors=errors), 400
    learner = progress.create_account(name, _hash(password))  # NameTaken only in a race: the error page
    epoch = progress.account(learner.id).session_epoch
    session.clear()
    login_user(User(learner, epoch))
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
    progress = get_progress()
    account = progress.find_account(name)
    if account is None:
        check_password(_dummy_hash(), password)  # take as long as a real check: names stay private
    elif check_password(account.password_hash, password):
        _upgrade_hash(progress, account, password)
        learner = progress.learner(account.learner_id).info
        progress.record_login(learner.id)
        session.clear()
        login_user(User(learner, account.session_epoch))
        return redirect(target or url_for("index"))
    error = "Wrong name or password."
    return render_template("auth/login.html", name=name, next=target, error=error), 401


@bp.route("/logout", methods=["GET", "POST"])
def logout():
    """POST logs out (GET asks first, so a link elsewhere cannot log anyone out)."""
    if request.method == "GET":
        return render_template("auth/logout.html")
    if current_user.is_authenticated:
        get_progress().end_sessions(current_user.learner.id)  # a copy of this session's cookie stops working too
    logout_user()
    session.clear()
    flash("You are logged out.", "info")
    return redirect(url_for("index"))


def _upgrade_hash(progress: Progress, account: Account, password: str) -> None:
    """Hash the password again when its stored hash was made with other settings than new hashes get
    (the dummy hash is made with the current ones)."""
    if hash_settings(account.password_hash) != hash_settings(_dummy_hash()):
        upgrade_password_hash(progress.store, account.learner_id, account.password_hash, _hash(password))


def _dummy_hash() -> str:
    app = current_app._get_current_object()
    method = app.config["PASSWORD_HASH_METHOD"]
    cached = app.extensions.get("opsprep.dummy_hash")
    if cached is None or cached[0] != method:
        cached = app.extensions["opsprep.dummy_hash"] = (method, hash_password("not a password", method))
    return cached[1]
