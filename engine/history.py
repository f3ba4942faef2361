"""Replaying the review log to reschedule cards with new FSRS settings."""

from __future__ import annotations

from dataclasses import replace

from fsrs import Rating

from .cards import write_card
from .clock import from_text
from .learners import get_learner
from .scheduling import CardState, replay
from .store import Store
from .study_model import keeps_schedule


def reschedule(store: Store, learner_id: int) -> int:
    """Re-run every card's review log with the learner's current retention and FSRS weights (no fuzz).

    Card state (due, stability, difficulty, state, reps, lapses) is rewritten in one transaction; the
    review log itself is history and stays as it was. Answers that left the schedule alone (cram
    answers, see :func:`.study_model.keeps_schedule`) are skipped by the replay but still count as
    showings (``reps``), so the next showing keeps its own presentation seed. Returns the number of
    cards rescheduled.
    """
    learner = get_learner(store, learner_id)
    scheduler = learner.scheduler(fuzz=False)
    with store.transaction() as db:
        cursor = db.execute("SELECT * FROM cards WHERE learner_id = ?", [learner.id])
        names = [d[0] for d in cursor.description]
        cards = [CardState.from_row(dict(zip(names, row, strict=True))) for row in cursor.fetchall()]
        history: dict[int, list] = {card.id: [] for card in cards}
        showings: dict[int, int] = dict.fromkeys(history, 0)
        for card_id, rating, moment, duration, mode, state_before in db.execute(
            "SELECT card_id, rating, reviewed_at, response_ms, mode, state_before FROM reviews"
            " WHERE learner_id = ? ORDER BY reviewed_at, id",
            [learner.id],
        ):
            showings[card_id] = showings.get(card_id, 0) + 1
            if not keeps_schedule(mode, state_before):
                history.setdefault(card_id, []).append((Rating(rating), from_text(moment), duration))
        for card in cards:
            write_card(db, replace(replay(card, history[card.id], scheduler), reps=showings[card.id]))
    return len(cards)
