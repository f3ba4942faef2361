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
from .errors import InvalidSettings, NameTaken
from .learners import DEFAULT_NEW_LIMIT, Learner, clean_name, get_learner, name_problem, normal_name
from .scheduling import DEFAULT_RETENTION
from .store import Store

__all__ = ["Account", "NameTaken", "create_account", "find_account", "get_account", "record_login"]


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
        if db.execute("SELECT 1 FROM learners WHERE name = ? COLLATE NOCASE", [name]).fetchone():
            raise NameTaken(f"The name {name!r} is taken. Choose another one, or log in if it is yours.")
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
    if store.scalar("SELECT 1 FROM learners WHERE name = ? COLLATE NOCASE", [cleaned]):
        return [f"The name {cleaned!r} is taken. Choose another one, or log in if it is yours."]
    return []


_SELECT = "SELECT a.*, l.name FROM accounts a JOIN learners l ON l.id = a.learner_id"


def find_account(store: Store, name: str) -> Account | None:
    """The account whose learner has this name (any case, whitespace collapsed), or None."""
    row = store.row(f"{_SELECT} WHERE l.name = ? COLLATE NOCASE", [normal_name(name)])
    return None if row is None else Account.from_row(row)


def get_account(store: Store, learner_id: int) -> Account | None:
    """The account of a learner, or None (a learner made by the terminal ``opsprep study`` has none)."""
    row = store.row(f"{_SELECT} WHERE a.learner_id = ?", [learner_id])
    return None if row is None else Account.from_row(row)


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
