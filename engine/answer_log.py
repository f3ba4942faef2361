"""The review log's rows read back as answers: the stored result, the card's state before it, its rating intervals.

Every review row keeps the card's state from before it (``card_before``, JSON), so a rating given later
re-runs that one review, and an undo restores the card exactly. Rows stored before that column existed
get the state by replaying the card's earlier reviews.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta

from fsrs import Scheduler
from sqlite_utils import Database

from opsprep.questions import Presentation
from opsprep.questions.responses import Verdict

from .clock import from_text
from .learners import Learner
from .scheduling import CardState, Rating, State, new_card, preview, replay
from .study_model import AnswerResult, keeps_schedule

__all__ = ["card_before", "intervals", "review_row", "to_result"]


def review_row(db: Database, learner_id: int, item_id: str, seed: int) -> dict | None:
    """The review-log row of one showing (inside the caller's transaction), or None."""
    cursor = db.execute(
        "SELECT * FROM reviews WHERE learner_id = ? AND item_id = ? AND seed = ?", [learner_id, item_id, seed]
    )
    found = cursor.fetchone()
    return None if found is None else dict(zip([d[0] for d in cursor.description], found, strict=True))


def card_before(db: Database, row: dict, scheduler: Scheduler) -> CardState:
    """The card as it was just before the review ``row``, with its row id."""
    if row["card_before"] is not None:
        data = json.loads(row["card_before"])
        return CardState.from_dict({**data, "id": row["card_id"], "learner_id": row["learner_id"]})
    earlier = db.execute(
        """SELECT rating, reviewed_at, response_ms, mode, state_before FROM reviews
           WHERE card_id = ? AND id < ? ORDER BY id""",
        [row["card_id"], row["id"]],
    ).fetchall()
    start = new_card(row["item_id"], row["learner_id"], now=from_text(row["reviewed_at"]))
    history = [(Rating(r), from_text(at), ms) for r, at, ms, mode, state in earlier if not keeps_schedule(mode, state)]
    return replace(replay(replace(start, id=row["card_id"]), history, scheduler), reps=len(earlier))


def intervals(before: CardState, mode: str | None, scheduler: Scheduler, at: datetime) -> dict[Rating, timedelta]:
    """What each rating gives the card when it is reviewed at ``at``: its schedule kept in cram mode."""
    if keeps_schedule(mode, before.log_state):
        return dict.fromkeys(Rating, before.due - at)
    return preview(before, scheduler, at)


def to_result(row: dict, presentation: Presentation, learner: Learner, *, duplicate: bool = False) -> AnswerResult:
    """The stored answer of a review-log row; an answer awaiting its rating carries the intervals on offer,
    a typed one its text and verdict."""
    awaiting = row["rated_at"] is None
    offered: dict[Rating, timedelta] = {}
    if awaiting and row["card_before"] is not None:
        before = CardState.from_dict(json.loads(row["card_before"]))
        offered = intervals(before, row["mode"], learner.scheduler(fuzz=False), from_text(row["reviewed_at"]))
    return AnswerResult(
        learner_id=row["learner_id"],
        item_id=row["item_id"],
        seed=row["seed"],
        correct=bool(row["correct"]),
        chosen=tuple(json.loads(row["chosen"])),
        correct_letters=presentation.correct_letters,
        rating=Rating(row["rating"]),
        reviewed_at=from_text(row["reviewed_at"]),
        due=from_text(row["due_after"]),
        state=State(row["state_after"]),
        explanation=presentation.explanation,
        sources=presentation.sources,
        duplicate=duplicate,
        preview=offered,
        awaiting_rating=awaiting,
        mode=row["mode"],
        response=row.get("response"),
        verdict=None if row.get("verdict") is None else Verdict.from_dict(json.loads(row["verdict"])),
    )
