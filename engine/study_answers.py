"""Storing a study answer: graded, rated, scheduled and written in one transaction.

A question with options is answered with the letters chosen; one answered by typing (a command, a
value, a manifest or a configuration) with the text typed, which is kept with its verdict
(``reviews.response`` and ``reviews.verdict``) so that the feedback, a later rating and an undo all
show what was written and how it was graded.

A second submission of the same showing (same learner, item and seed) is recognised and recorded
once; a seed that is not the item's current showing is refused as stale. An answer may be stored
before the learner rates it (``rate_later``): it counts with the default rating until
:func:`opsprep.engine.study_ratings.rate_answer` amends it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from opsprep.questions import Presentation, QuestionBank
from opsprep.questions.responses import Verdict

from .answer_log import intervals, review_row, to_result
from .cards import write_card
from .clock import to_text, utc
from .errors import StaleShowing
from .grading import check_answer, check_mode, check_response_ms, check_text, check_typed
from .learners import get_learner
from .scheduling import CardState, Rating, new_card, rating_for, review
from .store import Store
from .study_model import AnswerResult, keeps_schedule
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
    mode: str | None = None,
    rate_later: bool = False,
    cert: str | None = None,
) -> AnswerResult:
    """Grade, rate, schedule and store one answer, all in one transaction.

    ``seed`` is the :attr:`StudyCard.seed` the question was shown with. The rating is Again for a
    wrong answer and Good for a right one unless ``rating`` says Hard, Easy (or Again). With
    ``rate_later`` the answer is stored with that rating as a default that awaits the learner's own
    (:attr:`AnswerResult.awaiting_rating`). In ``mode="cram"`` the answer is logged but the card keeps
    its schedule (state, due, stability, difficulty); a question never answered before has no schedule
    to keep, so its first answer starts one. Submitting the same showing again stores nothing and
    returns the first result with ``duplicate=True``. Everything is checked before anything is
    written: raises ``UnknownLearner``, ``UnknownItem``, ``InvalidAnswer`` or ``StaleShowing`` (a seed
    that is not the item's current showing).

    ``cert`` (exam code or IRI) is the certification being studied: the answer belongs to its study
    session (a question two certifications share is in both). Without it the answer belongs to every
    certification the question serves. Raises ``UnknownCertification`` for one that is not in the bank.

    For a question answered by typing (:attr:`Presentation.typed <opsprep.questions.Presentation.typed>`),
    ``chosen`` is the learner's text (at most 20,000 characters; an empty one raises
    ``InvalidAnswer("Type an answer.")``); the result carries it as ``response`` with its ``verdict``,
    and is right when the verdict is.
    """
    learner = get_learner(store, learner_id)
    presentation, letters, correct, text, verdict = _grade(bank, item_id, seed, chosen)
    chosen_rating = rating_for(correct, rating)
    response_ms = check_response_ms(response_ms)
    mode = check_mode(mode)
    studied = None if cert is None else bank.catalog.certification(cert).iri
    now = utc(now)
    scheduler = learner.scheduler(fuzz=fuzz)
    with store.transaction() as db:
        first = review_row(db, learner.id, item_id, seed)
        if first is not None:
            return to_result(first, presentation, learner, duplicate=True)
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
        if card.id is not None:  # only a card's latest answer may still await its rating
            db.execute(
                "UPDATE reviews SET rated_at = ? WHERE card_id = ? AND rated_at IS NULL", [to_text(now), card.id]
            )
        before = card
        options = intervals(before, mode, learner.scheduler(fuzz=False), now)
        if keeps_schedule(mode, before.log_state):
            card = replace(before, reps=before.reps + 1)  # a new showing, the same schedule
        else:
            card, _ = review(before, chosen_rating, now, scheduler, response_ms)
        card = write_card(db, card)
        db.execute(
            """INSERT INTO reviews (learner_id, card_id, item_id, seed, showing, options, chosen, correct, rating,
                   state_before, response_ms, reviewed_at, state_after, due_after, stability_after, difficulty_after,
                   rated_at, card_before, mode, response, verdict, cert)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                learner.id, card.id, item_id, seed, card.reps - 1,
                json.dumps([o.key for o in presentation.options]), json.dumps(list(letters)), int(correct),
                int(chosen_rating), before.log_state, response_ms, to_text(now),
                int(card.state), to_text(card.due), card.stability, card.difficulty,
                None if rate_later else to_text(now), json.dumps(before.to_dict()), mode,
                text, None if verdict is None else json.dumps(verdict.to_dict()), studied,
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
        awaiting_rating=rate_later,
        mode=mode,
        response=text,
        verdict=verdict,
    )


def _grade(
    bank: QuestionBank, item_id: str, seed: int, chosen: str | Iterable[str]
) -> tuple[Presentation, tuple[str, ...], bool, str | None, Verdict | None]:
    """The presentation, the letters chosen, whether the answer is right, the typed text and its verdict."""
    item = bank.by_id.get(item_id)
    if item is not None and item.response is not None:
        text = check_text(chosen)
        presentation, verdict = check_typed(bank, item_id, seed, text)
        return presentation, (), verdict.correct, text, verdict
    presentation, letters, correct = check_answer(bank, item_id, seed, chosen)
    return presentation, letters, correct, None, None
