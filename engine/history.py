"""Replaying the review log to reschedule cards with new FSRS settings."""

from __future__ import annotations

from fsrs import Rating

from .cards import write_card
from .clock import from_text
from .learners import get_learner
from .scheduling import CardState, replay
from .store import Store


def reschedule(store: Store, learner_id: int) -> int:
    """Re-run every card's review log with the learner's current retention and FSRS weights (no fuzz).

    Card state (due, stability, difficulty, state, reps, lapses) is rewritten in one transaction; the
    review log itself is history and stays as it was. Returns the number of cards rescheduled.
    """
    learner = get_learner(store, learner_id)
    scheduler = learner.scheduler(fuzz=False)
    with store.transaction() as db:
        cursor = db.execute("SELECT * FROM cards WHERE learner_id = ?", [learner.id])
        names = [d[0] for d in cursor.description]
        cards = [CardState.from_row(dict(zip(names, row, strict=True))) for row in cursor.fetchall()]
        history: dict[int, list] = {card.id: [] for card in cards}
        for card_id, rating, moment, duration in db.execute(
            "SELECT card_id, rating, reviewed_at, response_ms FROM reviews"
            " WHERE learner_id = ? ORDER BY reviewed_at, id",
            [learner.id],
        ):
            history.setdefault(card_id, []).append((Rating(rating), from_text(moment), duration))
        for card in cards:
            write_card(db, replay(card, history[card.id], scheduler))
    return len(cards)
