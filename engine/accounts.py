"""Accounts: a learner with a password, for the web app.

The engine stores password *hashes* only; hashing and checking belong to the caller (the web app uses
``werkzeug.security``), so this module needs no crypto library. The login name is the learner's name,
unique regardless of case: "Ada" cannot register when "ada" exists.

>>> store = open_store(":memory:")                                        # doctest: +SKIP
>>> learner = create_account(store, "ada", "scrypt:32768:8:1$...")        # doctest: +SKIP
>>> find_account(store, "ADA").learner_id == learner.id                   # doctest: +SKIP
True
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .clock import from_text, to_text, utc
from .errors import InvalidSettings, NameTaken, UnknownLearner
from .learners import (
    DEFAULT_NEW_LIMIT,
    Learner,
    clean_name,
    find_learner,
    get_learner,
    look_alike,
    name_problem,
    normal_name,
)
from .scheduling import DEFAULT_RETENTION
from .store import Store

__all__ = [
    "Account",
    "LoginState",
    "NameTaken",
    "create_account",
    "find_account",
    "get_account",
    "login_state",
    "record_login",
    "terminal_learners",
]


@dataclass(frozen=True)
class Account:
    """A learner's login: the name, the stored password hash and when it was made and last used."""

    learner_id: int
    name: str
    password_hash: str
    created_at: datetime
    last_login: datetime | None = None
    session_epoch: int = 0  # web sessions carry it; raised at logout and password change to end them all

    @classmethod
    def from_row(cls, row: dict) -> Account:
        """An account from a row of ``accounts`` joined with its learner's name."""
        return cls(
            learner_id=row["learner_id"],
            name=row["name"],
            password_hash=row["password_hash"],
            created_at=from_text(row["created_at"]),
            last_login=from_text(row["last_login"]),
            session_epoch=row.get("session_epoch") or 0,
        )


def create_account(
    store: Store,
    name: str,
    password_hash: str,
    *,
    desired_retention: float = DEFAULT_RETENTION,
    daily_new_limit: int = DEFAULT_NEW_LIMIT,
    now: datetime | None = None,
) -> Learner:
    """Create a learner and its account in one transaction; the new learner.

    Raises :class:`NameTaken` when a learner of that name (in any case) exists, ``InvalidSettings``
    for a bad name or an empty hash.
    """
    name = clean_name(name)
    if not password_hash:
        raise InvalidSettings("An account needs a password hash.")
    stamp = to_text(utc(now))
    with store.transaction() as db:
        other = look_alike(db, name)
        if other is not None:
            if other.casefold() == name.casefold():
                raise NameTaken(f"The name {name!r} is taken. Choose another one, or log in if it is yours.")
            raise NameTaken(f"The name {name!r} looks like {other!r}, which is taken. Choose another one.")
        learner_id = (
            db["learners"]
            .insert(
                {
                    "name": name,
                    "created_at": stamp,
                    "desired_retention": float(desired_retention),
                    "daily_new_limit": int(daily_new_limit),
                }
            )
            .last_pk
        )
        db["accounts"].insert({"learner_id": learner_id, "password_hash": password_hash, "created_at": stamp})
    return get_learner(store, learner_id)


def name_problems(store: Store, name: str) -> list[str]:
    """What stops ``name`` from being registered (too short or long, or taken in any case); empty when free."""
    problem = name_problem(name)
    if problem:
        return [problem]
    cleaned = normal_name(name)
    found = store.row(
        """SELECT l.name, a.learner_id IS NOT NULL AS has_login FROM learners l
           LEFT JOIN accounts a ON a.learner_id = l.id WHERE l.name = ? COLLATE NOCASE""",
        [cleaned],
    )
    if found is None:
        other = look_alike(store.db.conn, cleaned)
        if other is None:
            return []
        return [f"The name {cleaned!r} looks like {other!r}, which is taken. Choose another one."]
    if found["has_login"]:
        return [f"The name {cleaned!r} is taken. Choose another one, or log in if it is yours."]
    return [
        f"The name {cleaned!r} is taken by a learner who studies in the terminal. If that is you, keep your "
        f"progress: give it a password with `opsprep learners password {found['name']}`, then log in."
    ]


_SELECT = "SELECT a.*, l.name FROM accounts a JOIN learners l ON l.id = a.learner_id"


def find_account(store: Store, name: str) -> Account | None:
    """The account whose learner has this name (any case, whitespace collapsed), or None."""
    row = store.row(f"{_SELECT} WHERE l.name = ? COLLATE NOCASE", [normal_name(name)])
    return None if row is None else Account.from_row(row)


def get_account(store: Store, learner_id: int) -> Account | None:
    """The account of a learner, or None (a learner made by the terminal ``opsprep study`` has none)."""
    row = store.row(f"{_SELECT} WHERE a.learner_id = ?", [learner_id])
    return None if row is None else Account.from_row(row)


@dataclass(frozen=True)
class LoginState:
    """What a web request checks its session against: the learner, their account, and their progress version
    (:mod:`.freshness`) at the same moment."""

    learner: Learner
    account: Account
    progress_version: int


def login_state(store: Store, learner_id: int) -> LoginState | None:
    """The learner, their account and progress version, or None when the learner or the account is missing
    (read once while nothing is written to the store)."""
    return store.memo(("login", learner_id), lambda: _read_login(store, learner_id))


def _read_login(store: Store, learner_id: int) -> LoginState | None:
    row = store.row(
        """SELECT l.*, a.password_hash, a.created_at AS account_created_at, a.last_login, a.session_epoch,
                  coalesce(v.version, 0) AS progress_version
           FROM learners l JOIN accounts a ON a.learner_id = l.id
           LEFT JOIN progress_versions v ON v.learner_id = l.id WHERE l.id = ?""",
        [learner_id],
    )
    if row is None:
        return None
    account = Account.from_row({**row, "learner_id": row["id"], "created_at": row["account_created_at"]})
    return LoginState(Learner.from_row(row), account, row["progress_version"])


def record_login(store: Store, learner_id: int, *, now: datetime | None = None) -> None:
    """Note when the learner last logged in."""
    with store.transaction() as db:
        db.execute("UPDATE accounts SET last_login = ? WHERE learner_id = ?", [to_text(utc(now)), learner_id])


def set_password_hash(store: Store, learner_id: int, password_hash: str, *, now: datetime | None = None) -> None:
    """Give a learner a web login, or a new password: store ``password_hash`` for them.

    A learner made by the terminal ``opsprep study`` has no account until this is called. Raises
    ``UnknownLearner`` or ``InvalidSettings`` (empty hash) before anything is written.
    """
    get_learner(store, learner_id)
    if not password_hash:
        raise InvalidSettings("An account needs a password hash.")
    with store.transaction() as db:
        db.execute(
            """INSERT INTO accounts (learner_id, password_hash, created_at) VALUES (?, ?, ?)
               ON CONFLICT (learner_id) DO UPDATE SET password_hash = excluded.password_hash,
                   session_epoch = session_epoch + 1""",
            [learner_id, password_hash, to_text(utc(now))],
        )


def end_sessions(store: Store, learner_id: int) -> None:
    """End every web session of the learner (each carries the account's epoch, which this raises)."""
    with store.transaction() as db:
        db.execute("UPDATE accounts SET session_epoch = session_epoch + 1 WHERE learner_id = ?", [learner_id])


def upgrade_password_hash(store: Store, learner_id: int, old_hash: str, new_hash: str) -> bool:
    """Replace a learner's password hash with one of the same password made with newer settings (at a
    login that checked ``old_hash``); True when replaced. Sessions go on (the password is the same), and
    nothing changes when the hash is no longer ``old_hash`` (the password was changed meanwhile)."""
    if not new_hash:
        raise InvalidSettings("An account needs a password hash.")
    with store.transaction() as db:
        cursor = db.execute(
            "UPDATE accounts SET password_hash = ? WHERE learner_id = ? AND password_hash = ?",
            [new_hash, learner_id, old_hash],
        )
        return cursor.rowcount == 1


def terminal_learners(store: Store, login_name: str) -> list[Learner]:
    """Whom a terminal user called ``login_name`` may be, when no learner was named: the learner with a
    web account of that name (any case) alone; otherwise every learner with a web account (last login
    first) and the learner of that name who studies in the terminal only, if any. Empty when neither exists.

    One learner means the terminal studies as them; several, the user chooses.
    """
    try:
        named = find_learner(store, login_name)
    except UnknownLearner:
        named = None
    if named is not None and get_account(store, named.id) is not None:
        return [named]
    rows = store.rows(
        """SELECT l.* FROM learners l JOIN accounts a ON a.learner_id = l.id
           ORDER BY a.last_login IS NULL, a.last_login DESC, l.name"""
    )
    return [Learner.from_row(row) for row in rows] + ([named] if named is not None else [])
