"""Reading and writing card state (the ``cards`` table)."""

from __future__ import annotations

from dataclasses import replace

from sqlite_utils import Database

from .scheduling import CardState
from .store import Store


def load_card(store: Store, learner_id: int, item_id: str) -> CardState | None:
    """The learner's card for an item, or None if they never answered it."""
    row = store.row("SELECT * FROM cards WHERE learner_id = ? AND item_id = ?", [learner_id, item_id])
    return None if row is None else CardState.from_row(row)


def save_card(store: Store, card: CardState) -> CardState:
    """Store a card's state in its own transaction; the card with its row id."""
    with store.transaction() as db:
        return write_card(db, card)


def write_card(db: Database, card: CardState) -> CardState:
    """Insert or update a card's row inside the caller's transaction; the card with its row id."""
    row = card.to_row()
    if card.id is None:
        del row["id"]
        cursor = db.execute(
            f"INSERT INTO cards ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values())
        )
        return replace(card, id=cursor.lastrowid)
    card_id = row.pop("id")
    db.execute(f"UPDATE cards SET {', '.join(f'{k} = ?' for k in row)} WHERE id = ?", [*row.values(), card_id])
    return card
