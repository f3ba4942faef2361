"""The answer waiting for its rating: graded on the study page's answer POST and kept in the session.

The session holds at most one waiting answer (under :data:`PENDING`): learner, certification, item,
seed, chosen letters, whether they are right and the response time. The rating POST stores it
(:func:`store_pending`); leaving it for another certification, or logging out, stores it with the
default rating (:func:`settle_pending`).
"""

from __future__ import annotations

import math

from flask import abort, flash, redirect, request, session
from flask_login import user_logged_out

from opsprep.engine import LearnerProgress, Rating, Scope
from opsprep.engine.grading import MAX_RESPONSE_MS
from opsprep.questions import Presentation, QuestionItem, present

from .db import learner_progress
from .home import catalogue
from .resources import get_bank

PENDING = "study_pending"  # session key of the answer waiting for its rating


def answer(me: LearnerProgress, scope: Scope, here: str):
    """Grade the answer, keep it in the session until it is rated, show the feedback (after a redirect)."""
    item = _item_in_scope(request.form.get("item_id", ""), scope)
    try:
        seed = int(request.form.get("seed", ""))
    except ValueError:
        abort(400, description="The answer does not say which showing of the question it is for.")
    pending = session.get(PENDING)
    if pending and pending["learner"] == me.id and (pending["item"], pending["seed"]) == (item.id, seed):
        return redirect(here)  # sent twice: the first one counts
    if seed != me.current_seed(item.id):
        flash("That question was answered already (in another tab?). Here is the next one.", "info")
        return redirect(here)
    letters = _letters(request.form.getlist("choice"), present(item, seed))
    if len(letters) != item.answer_count:
        flash("Choose one option." if item.answer_count == 1 else f"Choose {item.answer_count} options.", "error")
        return redirect(here)
    _, letters, correct = me.progress.check_answer(item.id, seed, letters)
    if pending:
        settle_pending(me)
    session.permanent = True  # a waiting answer survives closing the browser (PERMANENT_SESSION_LIFETIME)
    session[PENDING] = {
        "learner": me.id,
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


def _letters(chosen: list[str], shown: Presentation) -> tuple[str, ...]:
    """The option letters picked that the showing has, upper-cased, each once."""
    letters = {o.letter for o in shown.options}
    return tuple(dict.fromkeys(c.strip().upper() for c in chosen if c.strip().upper() in letters))


def _response_ms(raw: str | None) -> int | None:
    """The response time the page measured, when it is a plausible one (anything else: unknown)."""
    try:
        value = float(raw or "")
    except ValueError:
        return None
    return int(value) if math.isfinite(value) and 0 <= value <= MAX_RESPONSE_MS else None


def store_pending(me: LearnerProgress, pending: dict, rating: Rating | None):
    """Submit a waiting answer through the engine and forget it; None when it could no longer be stored."""
    session.pop(PENDING, None)
    if pending["item"] not in get_bank().by_id or pending["seed"] != me.current_seed(pending["item"]):
        flash("That answer was stored already (in another tab?).", "info")
        return None
    return me.submit(pending["item"], pending["seed"], pending["chosen"], pending["ms"], rating)


def settle_pending(me: LearnerProgress) -> None:
    """Store the learner's waiting answer, if any, with the default rating (Good when right, Again when wrong)."""
    pending = session.get(PENDING)
    if not pending:
        return
    if pending["learner"] != me.id:
        session.pop(PENDING, None)
        return
    store_pending(me, pending, None)


@user_logged_out.connect
def _settle_at_logout(_app, user=None, **_extra) -> None:
    """Logging out stores a waiting answer rather than dropping it (which would let it be asked again)."""
    if user is not None and getattr(user, "learner", None) is not None:
        settle_pending(learner_progress(user.learner.id))
