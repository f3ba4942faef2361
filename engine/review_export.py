"""The review log as CSV in the layout the FSRS optimizer reads.

Columns (see the fsrs-optimizer README, "Review Logs Schema"): ``card_id`` (the card row id: one per
learner and item), ``review_time`` (UTC, milliseconds since the epoch), ``review_rating`` (1 Again –
4 Easy), ``review_state`` (0 New, 1 Learning, 2 Review, 3 Relearning: the state *before* the review)
and ``review_duration`` (milliseconds; empty when unknown). Rows come oldest first.

Answers given in cram mode are in it too: they left the card's schedule alone, but they are real
recalls at a real time, which is what the optimizer learns memory from. Undone answers are not: they
left the review log.
"""

from __future__ import annotations

import csv
from typing import TextIO

from .clock import from_text, to_millis
from .learners import get_learner
from .store import Store

COLUMNS = ("card_id", "review_time", "review_rating", "review_state", "review_duration")


def export_reviews_csv(store: Store, learner_id: int, out: TextIO) -> int:
    """Write the learner's review log to ``out`` as CSV; return the number of reviews written."""
    get_learner(store, learner_id)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    rows = store.tuples(
        """SELECT card_id, reviewed_at, rating, state_before, response_ms FROM reviews
           WHERE learner_id = ? ORDER BY reviewed_at, id""",
        [learner_id],
    )
    for card_id, reviewed_at, rating, state, duration in rows:
        millis = to_millis(from_text(reviewed_at))
        writer.writerow((card_id, millis, rating, state, "" if duration is None else duration))
    return len(rows)
