"""Storing a study answer: graded, rated, scheduled and written in one transaction.

A second submission of the same showing (same learner, item and seed) is recognised and recorded
once; a seed that is not the item's current showing is refused as stale.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

from opsprep.questions import Presentation, QuestionBank

from .cards import write_card
from .clock import from_text, to_text, utc
from .errors import StaleShowing
from .grading import check_answer, check_response_ms
from .learners import get_learner
from .scheduling import CardState, Rating, State, new_card, preview, rating_for, review
from .store import Store
from .study_model import AnswerResult
from .study_queue import showing_seed

__all__ = ["submit_answer"]


def submit_answer(
    store: Store,
    bank: QuestionBank,
    learner_id: int,
    item_id: str,
    seed: int,
    chosen: str | Iterable[str],
    response_ms: int | None = None,
    rating: Rating | int | str | None = None,
    *,
    now: datetime | None = None,
    fuzz: bool = True,
) -> AnswerResult:
    """Grade, rate, schedule and store one answer, all in one transaction.

    ``seed`` is the :attr:`StudyCard.seed` the question was shown with. The rating is Again for a
    wrong answer and Good for a right one unless ``rating`` says Hard, Easy (or Again). Submitting
    the same showing again stores nothing and returns the first result with ``duplicate=True``.
    Everything is checked before anything is written: raises ``UnknownLearner``, ``UnknownItem``,
    ``InvalidAnswer`` or ``StaleShowing`` (a seed that was never handed out for this item).
    """
    learner = get_learner(store, learner_id)
    presentation, letters, correct = check_answer(bank, item_id, seed, chosen)
    chosen_rating = rating_for(correct, rating)
    response_ms = check_response_ms(response_ms)
    now = utc(now)
    scheduler = learner.scheduler(fuzz=fuzz)
    with store.transaction() as db:
        recorded = db.execute(
            "SELECT * FROM reviews WHERE learner_id = ? AND item_id = ? AND seed = ?", [learner.id, item_id, seed]
        )
        names = [d[0] for d in recorded.description]
        first = recorded.fetchone()
        if first is not None:
            return _recorded_result(dict(zip(names, first, strict=True)), presentation)
        cursor = db.execute("SELECT * FROM cards WHERE learner_id = ? AND item_id = ?", [learner.id, item_id])
        names = [d[0] for d in cursor.description]
        row = cursor.fetchone()
        card = CardState.from_row(dict(zip(names, row, strict=True))) if row else new_card(item_id, learner.id, now=now)
        expected = showing_seed(learner.id, card.reps)
        if seed != expected:
            raise StaleShowing(
                f"Seed {seed} is not the current showing of item {item_id} (expected {expected}); "
                "fetch the next card and answer that."
            )
        before = card.log_state
        options = preview(card, scheduler, now)
        card, _ = review(card, chosen_rating, now, scheduler, response_ms)
        card = write_card(db, card)
        db.execute(
            """INSERT INTO reviews (learner_id, card_id, item_id, seed, showing, options, chosen, correct, rating,
                   state_before, response_ms, reviewed_at, state_after, due_after, stability_after, difficulty_after)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                learner.id, card.id, item_id, seed, card.reps - 1,
                json.dumps([o.key for o in presentation.options]), json.dumps(list(letters)), int(correct),
                int(chosen_rating), before, response_ms, to_text(now),
                int(card.state), to_text(card.due), card.stability, card.difficulty,
            ],
        )  # fmt: skip
    return AnswerResult(
        learner_id=learner.id,
        item_id=item_id,
        seed=seed,
        correct=correct,
        chosen=letters,
        correct_letters=presentation.correct_letters,
        rating=chosen_rating,
        reviewed_at=now,
        due=card.due,
        state=card.state,
        explanation=presentation.explanation,
        sources=presentation.sources,
        preview=options,
    )


def _recorded_result(row: dict, presentation: Presentation) -> AnswerResult:
    """The result of a showing stored earlier, marked as a duplicate."""
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
        duplicate=True,
    )
