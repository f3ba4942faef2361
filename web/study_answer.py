"""The answer POST of the study page, and answers left without a rating.

An answer is graded and stored at once through the engine (``rate_later``): it counts with the default
rating (Good when right, Again when wrong) until the learner rates it on the feedback page, so nothing
depends on the browser session. Leaving it for another certification or domain keeps that default, and
the page says so (:func:`answer_waiting_here`).

A typed answer (the form field ``response``) that is blank or too long is refused before anything is
stored: the question page comes back at once (status 400) with the message and the text as sent.
"""

from __future__ import annotations

import math

from flask import abort, flash, redirect, request, session

from opsprep.engine import AnswerResult, LearnerProgress, Scope, format_interval
from opsprep.engine.clock import utc
from opsprep.engine.grading import MAX_RESPONSE_MS, MAX_TYPED_CHARS, TYPE_AN_ANSWER
from opsprep.questions import Presentation, QuestionItem, present

from .home import catalogue
from .resources import get_bank
from .study_cache import RETRY
from .study_question import page_context, question_page
from .study_typed import posted_text


def retry_card(me: LearnerProgress, scope: Scope):
    """The question whose answer came back incomplete, if it is still unanswered and in ``scope`` (once)."""
    wanted = session.pop(RETRY, None)
    if not isinstance(wanted, list) or len(wanted) != 2:
        return None
    item = get_bank().by_id.get(str(wanted[0]))
    if item is None or not set(item.domains) & set(scope.domains) or wanted[1] != me.current_seed(item.id):
        return None
    if me.question_flags(item.id).hidden(utc()):
        return None
    return me.current_showing(item.id, scope.cert)


def answer(me: LearnerProgress, scope: Scope, here: str, mode: str | None):
    """Grade and store the answer (awaiting its rating), then show the feedback (after a redirect)."""
    item = item_in_scope(request.form.get("item_id", ""), scope)
    seed = form_seed()
    stored = me.answer(item.id, seed)
    if stored is not None:  # sent twice, or from another tab: the first answer counts
        if stored.awaiting_rating:
            flash("That question was answered already (in another tab?): here is that answer.", "info")
        else:
            flash("That question was answered already (in another tab?). Here is the next one.", "info")
        return redirect(here)
    if seed != me.current_seed(item.id):
        flash("That question was answered already (in another tab?). Here is the next one.", "info")
        return redirect(here)
    response_ms = _response_ms(request.form.get("response_ms"))
    if item.response is not None:
        return _typed_answer(me, scope, here, mode, item, seed, response_ms)
    letters = _letters(request.form.getlist("choice"), present(item, seed))
    if len(letters) != item.answer_count:
        flash("Choose one option." if item.answer_count == 1 else f"Choose {item.answer_count} options.", "error")
        session[RETRY] = [item.id, seed]  # the same question comes back, not the next one of the queue
        return redirect(here)
    me.submit(item.id, seed, letters, response_ms, mode=mode, rate_later=True, cert=scope.cert)
    return redirect(here)


def _typed_answer(
    me: LearnerProgress, scope: Scope, here: str, mode: str | None, item: QuestionItem, seed: int, ms: int | None
):
    """Grade and store a typed answer; a blank or overlong one shows the question again with the text sent."""
    text = posted_text(request)
    problem = typed_problem(text)
    if problem:
        session[RETRY] = [item.id, seed]  # a later visit of the study page asks this question again, too
        card = me.current_showing(item.id, scope.cert)
        context = page_context(me, scope, mode)
        return question_page(context, me, scope, card, here, text=text, error=problem, status=400)
    me.submit(item.id, seed, text, ms, mode=mode, rate_later=True, cert=scope.cert)
    return redirect(here)


def typed_problem(text: str) -> str | None:
    """Why a typed answer cannot be taken (blank, or longer than the engine stores), or None."""
    if not text.strip():
        return f"{TYPE_AN_ANSWER} The question is still unanswered."
    if len(text) > MAX_TYPED_CHARS:
        return (
            f"That answer is {len(text):,} characters long; at most {MAX_TYPED_CHARS:,} are accepted. "
            "Shorten it and send it again: nothing was saved."
        )
    return None


def item_in_scope(item_id: str, scope: Scope) -> QuestionItem:
    """The bank's item, which must serve the certification being studied (else 400)."""
    item = get_bank().by_id.get(item_id)
    if item is None or not set(item.domains) & set(catalogue()[scope.cert].domain_iris):
        abort(400, description="That question is not part of this certification.")
    return item


def form_seed() -> int:
    """The showing a form is about (400 when it does not say)."""
    try:
        return int(request.form.get("seed", ""))
    except ValueError:
        abort(400, description="The form does not say which showing of the question it is for.")


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


def short_stem(item_id: str, seed: int, limit: int = 70) -> str:
    """The beginning of a question's stem, to name it in a message."""
    stem = present(get_bank().get(item_id), seed).stem
    return stem if len(stem) <= limit else stem[: limit - 1].rstrip() + "…"


def say_kept(kept: AnswerResult) -> None:
    """Tell the learner that an answer they left without a rating keeps its default."""
    flash(
        f"You left “{short_stem(kept.item_id, kept.seed)}” without rating it: your answer is kept, "
        f"rated {kept.rating.name} (the default), and comes back in {format_interval(kept.interval)}.",
        "info",
    )


def keep_waiting(me: LearnerProgress, answers: list[AnswerResult]) -> None:
    """Keep the default rating of answers the learner leaves, saying so."""
    for waiting in answers:
        kept = me.keep_rating(waiting.item_id, waiting.seed)
        if kept is not None and not kept.duplicate:
            say_kept(kept)


def answer_waiting_here(me: LearnerProgress, scope: Scope) -> AnswerResult | None:
    """The newest answer awaiting its rating in the scope, after keeping the default of those left elsewhere."""
    bank = get_bank()
    wanted = set(scope.domains)
    waiting = me.awaiting_rating()
    here = [w for w in waiting if wanted & set(bank.get(w.item_id).domains)]
    keep_waiting(me, [w for w in waiting if w not in here])
    return here[0] if here else None
