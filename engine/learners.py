"""Learners and their settings: desired retention, daily new-item limit, default certification."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime

from fsrs import Scheduler

from .clock import from_text, to_text, utc
from .errors import InvalidSettings, NameTaken, UnknownLearner
from .lookalikes import invisible, script_mix, skeleton
from .scheduling import DEFAULT_RETENTION, parameters_from_text, parameters_to_text, scheduler_for
from .store import Store

#: the range of desired retention a learner may choose (FSRS's usual advice)
RETENTION_RANGE = (0.70, 0.99)
DEFAULT_NEW_LIMIT = 20
NEW_LIMIT_RANGE = (0, 9999)
MAX_NAME_LENGTH = 64


@dataclass(frozen=True)
class Learner:
    """Someone studying, with their settings."""

    id: int
    name: str
    created_at: datetime
    desired_retention: float = DEFAULT_RETENTION
    daily_new_limit: int = DEFAULT_NEW_LIMIT
    default_cert: str | None = None  # certification IRI
    fsrs_parameters: tuple[float, ...] | None = None  # None: FSRS-6's default weights

    def scheduler(self, *, fuzz: bool = True) -> Scheduler:
        """The FSRS scheduler for this learner's retention and weights."""
        return scheduler_for(self.desired_retention, self.fsrs_parameters, fuzz=fuzz)

    def to_dict(self) -> dict:
        """JSON-ready dict."""
        return {
            "id": self.id,
            "name": self.name,
            "created_at": to_text(self.created_at),
            "desired_retention": self.desired_retention,
            "daily_new_limit": self.daily_new_limit,
            "default_cert": self.default_cert,
            "fsrs_parameters": None if self.fsrs_parameters is None else list(self.fsrs_parameters),
        }

    @classmethod
    def from_dict(cls, data: dict) -> Learner:
        """Inverse of :meth:`to_dict`."""
        params = data.get("fsrs_parameters")
        return cls(
            id=data["id"],
            name=data["name"],
            created_at=from_text(data["created_at"]),
            desired_retention=data["desired_retention"],
            daily_new_limit=data["daily_new_limit"],
            default_cert=data.get("default_cert"),
            fsrs_parameters=None if params is None else tuple(params),
        )

    @classmethod
    def from_row(cls, row: dict) -> Learner:
        """A learner from its ``learners`` row."""
        return cls.from_dict({**row, "fsrs_parameters": parameters_from_text(row["fsrs_parameters"])})


def normal_name(name: str) -> str:
    """A name as stored and compared: Unicode NFKC (full-width letters become plain ones), runs of
    whitespace made single spaces, ends trimmed."""
    return " ".join(unicodedata.normalize("NFKC", str(name)).split())


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a learner's name (empty, too long, or holding control or invisible
    characters that would make it look like another name); None when it can."""
    cleaned = normal_name(name)
    if not cleaned or len(cleaned) > MAX_NAME_LENGTH:
        return f"Choose a name of 1 to {MAX_NAME_LENGTH} characters."
    if any(unicodedata.category(c) in ("Cc", "Cf", "Co", "Cs", "Cn") for c in cleaned) or invisible(cleaned):
        return "Choose a name without control or invisible characters."
    scripts = script_mix(cleaned)
    if scripts:
        return (
            f"Choose a name in one script: this one mixes {' and '.join(s.title() for s in scripts)} letters, "
            "which can make it look like another name."
        )
    return None


def look_alike(db, name: str) -> str | None:
    """The name of an existing learner that ``name`` looks like (the same, in any case, or the same
    :func:`~.lookalikes.skeleton`), or None. ``db`` is the open transaction that will insert it."""
    row = db.execute("SELECT name FROM learners WHERE name = ? COLLATE NOCASE", [name]).fetchone()
    if row:
        return row[0]
    wanted = skeleton(name)
    return next((other for (other,) in db.execute("SELECT name FROM learners") if skeleton(other) == wanted), None)


def clean_name(name: str) -> str:
    """The name as stored (:func:`normal_name`); raises ``InvalidSettings`` when :func:`name_problem` objects."""
    problem = name_problem(name)
    if problem:
        raise InvalidSettings(f"{problem} ({name!r} cannot be used.)")
    return normal_name(name)


def create_learner(
    store: Store,
    name: str,
    *,
    desired_retention: float = DEFAULT_RETENTION,
    daily_new_limit: int = DEFAULT_NEW_LIMIT,
    default_cert: str | None = None,
    now: datetime | None = None,
) -> Learner:
    """Add a learner; raises :class:`InvalidSettings` for a bad value or a name already taken (in any
    case, as for web accounts: "Ada" in the terminal and "ada" in the browser are one learner)."""
    name = clean_name(name)
    _check_settings(desired_retention, daily_new_limit, None)
    with store.transaction() as db:
        other = look_alike(db, name)
        if other is not None:
            same = "already exists" if other.casefold() == name.casefold() else f"looks like {other!r}, who exists"
            raise NameTaken(f"A learner called {name!r} {same}; choose another name.")
        learner_id = (
            db["learners"]
            .insert(
                {
                    "name": name,
                    "created_at": to_text(utc(now)),
                    "desired_retention": float(desired_retention),
                    "daily_new_limit": int(daily_new_limit),
                    "default_cert": default_cert,
                }
            )
            .last_pk
        )
    return get_learner(store, learner_id)


def get_learner(store: Store, learner_id: int) -> Learner:
    """The learner with this id; raises :class:`UnknownLearner`. (Read once while nothing is written to the
    store: every verb checks its learner, and a study page asks several.)"""
    learner = store.memo(("learner", learner_id), lambda: _read_learner(store, learner_id))
    if learner is None:
        raise UnknownLearner(f"No learner with id {learner_id!r}.")
    return learner


def _read_learner(store: Store, learner_id: int) -> Learner | None:
    row = store.row("SELECT * FROM learners WHERE id = ?", [learner_id])
    return None if row is None else Learner.from_row(row)


def find_learner(store: Store, name: str) -> Learner:
    """The learner with this name, in any case (as web logins match); raises :class:`UnknownLearner`.

    Should a store from an earlier version hold names that differ only in case, the exact one wins.
    """
    name = normal_name(name)
    row = store.row(
        "SELECT * FROM learners WHERE name = ? COLLATE NOCASE ORDER BY name = ? DESC, id LIMIT 1", [name, name]
    )
    if row is None:
        raise UnknownLearner(f"No learner called {name!r}.")
    return Learner.from_row(row)


def learner_named(store: Store, name: str, *, now: datetime | None = None) -> tuple[Learner, bool]:
    """The learner with this name, created with default settings if there is none; and whether it was created."""
    try:
        return find_learner(store, name), False
    except UnknownLearner:
        try:
            return create_learner(store, name, now=now), True
        except InvalidSettings:  # created meanwhile by another connection
            return find_learner(store, name), False


def list_learners(store: Store) -> list[Learner]:
    """Every learner, by name."""
    return [Learner.from_row(row) for row in store.rows("SELECT * FROM learners ORDER BY name")]


def _check_settings(retention: float | None, new_limit: int | None, parameters) -> None:
    problems = []
    low, high = RETENTION_RANGE
    if retention is not None and not (isinstance(retention, int | float) and low <= retention <= high):
        problems.append(f"desired retention must be between {low} and {high}, not {retention!r}")
    low_n, high_n = NEW_LIMIT_RANGE
    if new_limit is not None and not (
        isinstance(new_limit, int) and not isinstance(new_limit, bool) and low_n <= new_limit <= high_n
    ):
        problems.append(f"daily new-item limit must be a whole number from {low_n} to {high_n}, not {new_limit!r}")
    if parameters is not None:
        try:
            scheduler_for(DEFAULT_RETENTION, parameters)
        except (ValueError, TypeError) as exc:
            problems.append(f"FSRS parameters rejected: {exc}")
    if problems:
        raise InvalidSettings("; ".join(problems).capitalize() + ".")


_UNSET = object()


def update_settings(
    store: Store,
    learner_id: int,
    *,
    desired_retention: float | None = None,
    daily_new_limit: int | None = None,
    default_cert: str | None | object = _UNSET,
    fsrs_parameters: tuple[float, ...] | None | object = _UNSET,
) -> Learner:
    """Change some of a learner's settings (the others stay); every value is checked before any is written.

    ``default_cert`` is a certification IRI (resolve an exam code with ``Catalog.certification``)
    or None to clear it; ``fsrs_parameters`` are 21 FSRS-6 weights or None for the defaults. A new
    retention or new weights apply to future reviews; :func:`opsprep.engine.history.reschedule` re-runs
    the past ones.
    """
    get_learner(store, learner_id)
    params = None if fsrs_parameters is _UNSET else fsrs_parameters
    _check_settings(desired_retention, daily_new_limit, params)
    changes: dict = {}
    if desired_retention is not None:
        changes["desired_retention"] = float(desired_retention)
    if daily_new_limit is not None:
        changes["daily_new_limit"] = daily_new_limit
    if default_cert is not _UNSET:
        changes["default_cert"] = default_cert
    if fsrs_parameters is not _UNSET:
        changes["fsrs_parameters"] = parameters_to_text(fsrs_parameters)
    if changes:
        with store.transaction() as db:
            db["learners"].update(learner_id, changes)
    return get_learner(store, learner_id)
