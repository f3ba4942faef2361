"""Rating an answer that is already stored: the learner's rating amends its review, or the default is kept.

An answer stored with ``rate_later`` counts with its default rating (Good when right, Again when wrong)
from the moment it is graded, so closing the page, losing the session or a crash loses nothing. The
learner's rating then amends that review in the log and the engine re-runs its schedule from the card's
state before it (:func:`rate_answer`); leaving without a rating keeps the default (:func:`keep_rating`).
A rating is given once: a second one for the same answer changes nothing and says what was kept.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from opsprep.questions import QuestionBank, present

from .answer_log import card_before, review_row, to_result
from .cards import write_card
from .clock import from_text, to_text, utc
from .errors import StaleShowing, UnknownItem
from .learners import get_learner
from .scheduling import Rating, parse_rating, rating_for, review
from .store import Store
from .study_model import AnswerResult, keeps_schedule

__all__ = ["awaiting_answers", "keep_rating", "rate_answer", "stored_answer"]


def _presentation(bank: QuestionBank, item_id: str, seed: int):
    if item_id not in bank.by_id:
        raise UnknownItem(f"The question bank has no item {item_id!r} (was the graph changed?).")
    return present(bank.get(item_id), seed)


def rate_answer(
    store: Store,
    bank: QuestionBank,
    learner_id: int,
    item_id: str,
    seed: int,
    rating: Rating | int | str | None,
    *,
    now: datetime | None = None,
    fuzz: bool = True,
) -> AnswerResult | None:
    """Amend a stored answer awaiting its rating with the learner's ``rating`` (None: the default).

    The review keeps its time; its card is re-run from its state before the review with the new
    rating (in cram mode the schedule stays as it was). Returns the stored result, with
    ``duplicate=True`` and nothing changed when the answer was rated already, or None when there is
    no such answer (it was undone). Raises ``InvalidAnswer`` for a rating the answer cannot have
    (above Again for a wrong one) and ``StaleShowing`` when the card was answered again since.
    """
    learner = get_learner(store, learner_id)
    presentation = _presentation(bank, item_id, seed)
    requested = parse_rating(rating)
    now = utc(now)
    with store.transaction() as db:
        row = review_row(db, learner.id, item_id, seed)
        if row is None:
            return None
        chosen = rating_for(bool(row["correct"]), requested)
        if row["rated_at"] is not None:
            return to_result(row, presentation, learner, duplicate=True)
        later = db.execute("SELECT 1 FROM reviews WHERE card_id = ? AND id > ?", [row["card_id"], row["id"]])
        if later.fetchone():
            raise StaleShowing("That question was answered again since: rate the newer answer.")
        before = card_before(db, row, learner.scheduler(fuzz=False))
        if keeps_schedule(row["mode"], row["state_before"]):
            card = replace(before, reps=before.reps + 1)
        else:
            card, _ = review(
                before, chosen, from_text(row["reviewed_at"]), learner.scheduler(fuzz=fuzz), row["response_ms"]
            )
        card = write_card(db, replace(card, id=row["card_id"], learner_id=learner.id))
        changes = {
            "rating": int(chosen),
            "rated_at": to_text(now),
            "state_after": int(card.state),
            "due_after": to_text(card.due),
            "stability_after": card.stability,
            "difficulty_after": card.difficulty,
        }
        db.execute(
            f"UPDATE reviews SET {', '.join(f'{k} = ?' for k in changes)} WHERE id = ?", [*changes.values(), row["id"]]
        )
        row.update(changes)
    return to_result(row, presentation, learner)


def keep_rating(
    store: Store, bank: QuestionBank, learner_id: int, item_id: str, seed: int, *, now: datetime | None = None
) -> AnswerResult | None:
    """Keep the default rating of an answer awaiting its rating (the learner left without rating it).

    Returns the stored result (``duplicate=True`` when it was rated already), or None when there is no
    such answer.
    """
    learner = get_learner(store, learner_id)
    presentation = _presentation(bank, item_id, seed)
    with store.transaction() as db:
        row = review_row(db, learner.id, item_id, seed)
        if row is None:
            return None
        if row["rated_at"] is not None:
            return to_result(row, presentation, learner, duplicate=True)
        row["rated_at"] = to_text(utc(now))
        db.execute("UPDATE reviews SET rated_at = ? WHERE id = ?", [row["rated_at"], row["id"]])
    return to_result(row, presentation, learner)


def stored_answer(store: Store, bank: QuestionBank, learner_id: int, item_id: str, seed: int) -> AnswerResult | None:
    """The stored answer to one showing, or None (never answered, undone, or no longer in the bank)."""
    learner = get_learner(store, learner_id)
    row = store.row(
        "SELECT * FROM reviews WHERE learner_id = ? AND item_id = ? AND seed = ?", [learner.id, item_id, seed]
    )
    if row is None or item_id not in bank.by_id:
        return None
    return to_result(row, present(bank.get(item_id), seed), learner)


def awaiting_answers(store: Store, bank: QuestionBank, learner_id: int) -> list[AnswerResult]:
    """The learner's answers awaiting a rating, newest first (those whose question left the bank are skipped)."""
    learner = get_learner(store, learner_id)
    rows = store.rows(
        "SELECT * FROM reviews WHERE learner_id = ? AND rated_at IS NULL ORDER BY reviewed_at DESC, id DESC",
        [learner.id],
    )
    return [
        to_result(r, present(bank.get(r["item_id"]), r["seed"]), learner) for r in rows if r["item_id"] in bank.by_id
    ]
