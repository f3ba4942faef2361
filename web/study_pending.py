"""The answer waiting for its rating: graded on the study page's answer POST and kept in the session.

The session holds at most one waiting answer (under :data:`PENDING`): learner, certification, item,
seed, chosen letters, whether they are right and the response time. The rating POST stores it
(:func:`store_pending`); leaving it for another certification, or logging out, stores it with the
default rating (:func:`settle_pending`).
"""

from __future__ import annotations

from flask import abort, flash, redirect, request, session
from flask_login import user_logged_out

from opsprep.engine import InvalidAnswer, Learner, Rating, Scope, StaleShowing, Store, check_answer, submit_answer
from opsprep.engine.cards import load_card
from opsprep.engine.study import showing_seed
from opsprep.questions import QuestionItem

from .db import get_synced_store
from .home import catalogue
from .resources import get_bank

PENDING = "study_pending"  # session key of the answer waiting for its rating
MAX_RESPONSE_MS = 24 * 3600 * 1000


def answer(store: Store, learner: Learner, scope: Scope, here: str):
    """Grade the answer, keep it in the session until it is rated, show the feedback (after a redirect)."""
    item = _item_in_scope(request.form.get("item_id", ""), scope)
    try:
        seed = int(request.form.get("seed", ""))
    except ValueError:
        abort(400, description="The answer does not say which showing of the question it is for.")
    pending = session.get(PENDING)
    if pending and pending["learner"] == learner.id and (pending["item"], pending["seed"]) == (item.id, seed):
        return redirect(here)  # sent twice: the first one counts
    card = load_card(store, learner.id, item.id)
    if seed != showing_seed(learner.id, card.reps if card else 0):
        flash("That question was answered already (in another tab?). Here is the next one.", "info")
        return redirect(here)
    chosen = request.form.getlist("choice")
    try:
        _, letters, correct = check_answer(get_bank(), item.id, seed, chosen)
    except InvalidAnswer:
        letters, correct = (), False
    if len(letters) != item.answer_count:
        flash("Choose one option." if item.answer_count == 1 else f"Choose {item.answer_count} options.", "error")
        return redirect(here)
    if pending:
        settle_pending(store, learner)
    session.permanent = True  # a waiting answer survives closing the browser (PERMANENT_SESSION_LIFETIME)
    session[PENDING] = {
        "learner": learner.id,
        "cert": scope.cert,
        "item": item.id,
        "seed": seed,
        "chosen": list(letters),
        "correct": correct,
        "ms": _response_ms(request.form.get("response_ms")),
    }
    return redirect(here)


def _item_in_scope(item_id: str, scope: Scope) -> QuestionItem:
    """The bank's item, which must serve the certification being studied (else 400)."""
    item = get_bank().by_id.get(item_id)
    if item is None or not set(item.domains) & set(catalogue()[scope.cert].domain_iris):
        abort(400, description="That question is not part of this certification.")
    return item


def _response_ms(raw: str | None) -> int | None:
    try:
        value = int(float(raw or ""))
    except ValueError:
        return None
    return value if 0 <= value <= MAX_RESPONSE_MS else None


def store_pending(store: Store, learner: Learner, pending: dict, rating: Rating | None):
    """Submit a waiting answer through the engine and forget it; None when it could no longer be stored."""
    session.pop(PENDING, None)
    try:
        return submit_answer(
            store, get_bank(), learner.id, pending["item"], pending["seed"], pending["chosen"], pending["ms"], rating
        )
    except (StaleShowing, InvalidAnswer, LookupError):
        flash("That answer was stored already (in another tab?).", "info")
        return None


def settle_pending(store: Store, learner: Learner) -> None:
    """Store the learner's waiting answer, if any, with the default rating (Good when right, Again when wrong)."""
    pending = session.get(PENDING)
    if not pending:
        return
    if pending["learner"] != learner.id:
        session.pop(PENDING, None)
        return
    store_pending(store, learner, pending, None)


@user_logged_out.connect
def _settle_at_logout(_app, user=None, **_extra) -> None:
    """Logging out stores a waiting answer rather than dropping it (which would let it be asked again)."""
    if user is not None and getattr(user, "learner", None) is not None:
        settle_pending(get_synced_store(), user.learner)
