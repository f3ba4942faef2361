"""What a learner sets on a question, seen or not (the ``card_flags`` table), as Anki does on cards:

- **suspended**: never shown until unsuspended;
- **buried**: hidden until the learner's next day begins (:func:`opsprep.engine.clock.day_start`);
- **bookmarked**: kept for later, across sessions (the "bookmarked" study mode and the question browser).

Flags never touch the schedule: a suspended card keeps its state and due date, and comes back as it was.

>>> from opsprep.engine.synthetic import synthetic_bank
>>> from opsprep.engine.store import open_store
>>> from opsprep.engine.learners import create_learner
>>> store, bank = open_store(), synthetic_bank(items=3)
>>> ada = create_learner(store, "ada")
>>> item = bank.items[0].id
>>> set_flag(store, bank, ada.id, item, "bookmark").bookmarked
True
>>> get_flags(store, ada.id, item).hidden(utc())
False
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from opsprep.questions import QuestionBank

from .clock import day_start, from_text, to_text, utc
from .errors import EngineError, UnknownItem
from .learners import get_learner
from .store import Store

__all__ = ["ACTIONS", "CardFlags", "InvalidFlag", "flags_for", "get_flags", "hidden_sql", "set_flag"]

#: what a learner can do to a question: the column it sets, and to what (``None``: bury until tomorrow)
ACTIONS: dict[str, tuple[str, int | None]] = {
    "suspend": ("suspended", 1),
    "unsuspend": ("suspended", 0),
    "bury": ("buried_until", None),
    "unbury": ("buried_until", 0),
    "bookmark": ("bookmarked", 1),
    "unbookmark": ("bookmarked", 0),
}


class InvalidFlag(EngineError, ValueError):
    """Not something a learner can do to a question, or not a state a question can be found in."""


@dataclass(frozen=True)
class CardFlags:
    """A learner's flags on one question (all off when the learner never set one)."""

    item_id: str
    suspended: bool = False
    buried_until: datetime | None = None
    bookmarked: bool = False

    def buried(self, now: datetime) -> bool:
        """True while the question is buried."""
        return self.buried_until is not None and self.buried_until > utc(now)

    def hidden(self, now: datetime) -> bool:
        """True when the study queue leaves the question out: suspended, or buried."""
        return self.suspended or self.buried(now)

    def to_dict(self) -> dict:
        """JSON-ready dict."""
        return {
            "item_id": self.item_id,
            "suspended": self.suspended,
            "buried_until": to_text(self.buried_until),
            "bookmarked": self.bookmarked,
        }

    @classmethod
    def from_row(cls, row: dict) -> CardFlags:
        """The flags of a ``card_flags`` row."""
        return cls(row["item_id"], bool(row["suspended"]), from_text(row["buried_until"]), bool(row["bookmarked"]))


def hidden_sql(alias: str) -> str:
    """An SQL condition that the learner has hidden the question ``{alias}.item_id`` (suspended or buried);
    its two parameters are the learner's id and the present time (as stored text)."""
    return (
        f"EXISTS (SELECT 1 FROM card_flags f WHERE f.learner_id = ? AND f.item_id = {alias}.item_id"
        " AND (f.suspended = 1 OR f.buried_until > ?))"
    )


def get_flags(store: Store, learner_id: int, item_id: str) -> CardFlags:
    """The learner's flags on one question."""
    row = store.row("SELECT * FROM card_flags WHERE learner_id = ? AND item_id = ?", [learner_id, item_id])
    return CardFlags(item_id) if row is None else CardFlags.from_row(row)


def flags_for(store: Store, learner_id: int, item_ids: Iterable[str] | None = None) -> dict[str, CardFlags]:
    """The learner's flags by item id: on the given questions, or on every question that has one set."""
    rows = store.rows("SELECT * FROM card_flags WHERE learner_id = ?", [learner_id])
    wanted = None if item_ids is None else set(item_ids)
    return {row["item_id"]: CardFlags.from_row(row) for row in rows if wanted is None or row["item_id"] in wanted}


def set_flag(
    store: Store, bank: QuestionBank, learner_id: int, item_id: str, action: str, *, now: datetime | None = None
) -> CardFlags:
    """Suspend, unsuspend, bury, unbury, bookmark or unbookmark a question (see :data:`ACTIONS`); the flags after.

    Burying hides the question until the start of the learner's next day. Doing what is already done
    leaves the flags as they are. Raises ``UnknownLearner``, ``UnknownItem`` or :class:`InvalidFlag` before
    anything is written.
    """
    learner = get_learner(store, learner_id)
    if item_id not in bank.by_id:
        raise UnknownItem(f"The question bank has no question {item_id!r}.")
    if action not in ACTIONS:
        raise InvalidFlag(f"Cannot {action!r} a question: choose one of {', '.join(ACTIONS)}.")
    now = utc(now)
    column, value = ACTIONS[action]
    if column == "buried_until":
        value = to_text(day_start(now) + timedelta(days=1)) if value is None else None
    with store.transaction() as db:
        db.execute(
            f"""INSERT INTO card_flags (learner_id, item_id, {column}, changed_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (learner_id, item_id) DO UPDATE SET {column} = excluded.{column},
                changed_at = excluded.changed_at""",
            [learner.id, item_id, value, to_text(now)],
        )
    return get_flags(store, learner.id, item_id)
