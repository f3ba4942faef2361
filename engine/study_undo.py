"""Undo, as Anki's: take back an answer and its rating, and ask the question again.

Undoing a review restores the card to its state from before that review (a card answered for the
first time becomes new again, and no longer counts against the day's new questions) and moves the
review out of the review log into ``undone_reviews``, with the time it was undone: the log, the
schedule, the dashboards and the export for the FSRS optimizer see only what stands, and what was
undone is still kept. The same showing (the same options) is then due to be answered again, and
:func:`undone_card` hands it out before the rest of the queue.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from opsprep.questions import QuestionBank, present

from .answer_log import card_before, review_row, to_result
from .card_flags import get_flags
from .cards import load_card, write_card
from .clock import to_text, utc
from .errors import StaleShowing
from .items import resolve_scope
from .learners import get_learner
from .scheduling import new_card
from .store import Store
from .study_model import AnswerResult, StudyCard
from .study_queue import study_card
from .study_sessions import SESSION_BREAK

__all__ = ["undo_answer", "undone_card"]


def undo_answer(
    store: Store, bank: QuestionBank, learner_id: int, item_id: str, seed: int, *, now: datetime | None = None
) -> AnswerResult | None:
    """Take back the answer to one showing: the card as it was before, the review moved to ``undone_reviews``.

    Returns the answer as it stood before the undo, or None when there is no such answer (undone
    already). Raises ``StaleShowing`` when the question was answered again since (undo that first).
    """
    learner = get_learner(store, learner_id)
    now = utc(now)
    with store.transaction() as db:
        row = review_row(db, learner.id, item_id, seed)
        if row is None:
            return None
        if db.execute("SELECT 1 FROM reviews WHERE card_id = ? AND id > ?", [row["card_id"], row["id"]]).fetchone():
            raise StaleShowing("That question was answered again since: undo the newer answer first.")
        before = card_before(db, row, learner.scheduler(fuzz=False))
        own = {"id", "review_id", "undone_at"}
        kept = [c[1] for c in db.execute("PRAGMA table_info(undone_reviews)").fetchall() if c[1] not in own]
        columns = ", ".join(kept)
        db.execute(
            f"""INSERT INTO undone_reviews (review_id, {columns}, undone_at)
                SELECT id, {columns}, ? FROM reviews WHERE id = ?""",
            [to_text(now), row["id"]],
        )
        db.execute("DELETE FROM reviews WHERE id = ?", [row["id"]])
        if before.is_new:
            db.execute("DELETE FROM cards WHERE id = ?", [row["card_id"]])
        else:
            write_card(db, before)
    if item_id not in bank.by_id:
        return None
    return to_result(row, present(bank.get(item_id), seed), learner)


def undone_card(
    store: Store,
    bank: QuestionBank,
    learner_id: int,
    cert: str,
    domains: Iterable[str] = (),
    *,
    now: datetime | None = None,
) -> StudyCard | None:
    """The question of the answer undone last in the scope (within :data:`SESSION_BREAK`), to be asked again.

    None when nothing was undone lately, when the undone showing was answered again since, or when the
    learner has suspended or buried the question since.
    """
    learner = get_learner(store, learner_id)
    scope = resolve_scope(bank, cert, domains)
    now = utc(now)
    recent = store.rows(
        """SELECT item_id, showing, response FROM undone_reviews WHERE learner_id = ? AND undone_at >= ?
           ORDER BY undone_at DESC, id DESC LIMIT 20""",
        [learner.id, to_text(now - SESSION_BREAK)],
    )
    wanted = set(scope.domains)
    for undone in recent:
        item = bank.by_id.get(undone["item_id"])
        if item is None or not wanted & set(item.domains) or get_flags(store, learner.id, item.id).hidden(now):
            continue  # not in this scope, or suspended or buried since: the queue leaves it out
        card = load_card(store, learner.id, item.id) or new_card(item.id, learner.id, now=now)
        if card.reps != undone["showing"]:
            continue  # answered again since
        found = study_card(bank, learner, card, scope.cert, now)
        return replace(found, undone_text=undone["response"]) if undone["response"] is not None else found
    return None
