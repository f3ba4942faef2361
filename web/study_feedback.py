"""The feedback page of a waiting answer, and the rating POST that stores it.

The feedback shows right or wrong, every option marked, the explanation, sources, links to the graph
things involved and the four ratings with the interval each would give (only Again when wrong).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, session

from opsprep.engine import LearnerProgress, Rating, format_interval
from opsprep.engine.reports import REASONS
from opsprep.graph.namespaces import ID
from opsprep.questions import QuestionItem

from .links import is_web_url
from .resources import get_bank
from .study_pending import PENDING, store_pending

RATINGS = (Rating.Again, Rating.Hard, Rating.Good, Rating.Easy)


def feedback(me: LearnerProgress, pending: dict, here: str, heading: dict):
    """Right or wrong, every option marked, the explanation, sources, graph links and the four ratings.

    ``heading`` holds the page heading's ``cert`` and ``scope`` (as the question page has them).
    """
    bank = get_bank()
    item = bank.by_id.get(pending["item"])
    if item is None:  # the graph changed under a waiting answer
        session.pop(PENDING, None)
        return redirect(here)
    presentation, letters, correct = me.progress.check_answer(item.id, pending["seed"], pending["chosen"])
    intervals = me.preview(item.id)
    ratings = [
        {
            "value": r.name.lower(),
            "label": r.name,
            "key": i,
            "interval": format_interval(intervals[r]),
            "enabled": correct or r == Rating.Again,
        }
        for i, r in enumerate(RATINGS, 1)
    ]
    return render_template(
        "study/feedback.html",
        **heading,
        item=item,
        presentation=presentation,
        chosen=set(letters),
        correct=correct,
        ratings=ratings,
        default_rating="good" if correct else "again",
        sources=[s for s in presentation.sources if is_web_url(s)],
        things=_things_involved(item, presentation),
        reasons=REASONS,
        action=here,
    )


def _things_involved(item: QuestionItem, presentation) -> list:
    """The graph things the question is about and those its options name, each once, for links."""
    things = get_bank().facts.things
    iris = [*item.about, *(o.iri for o in presentation.options if o.iri)]
    seen = dict.fromkeys(iri for iri in iris if iri.startswith(str(ID)) and iri in things)
    return [things[iri] for iri in seen]


def rate(me: LearnerProgress, here: str):
    """Store the waiting answer with the learner's rating, then on to the next question."""
    pending = session.get(PENDING)
    sent = (request.form.get("item_id"), request.form.get("seed"))
    if not pending or pending["learner"] != me.id or sent != (pending["item"], str(pending["seed"])):
        return redirect(here)  # rated already (a second key press, another tab): nothing is waiting
    choice = request.form.get("rating", "good").lower()
    rating = next((r for r in RATINGS if r.name.lower() == choice), None)
    if rating is None:
        abort(400, description="Rate with again, hard, good or easy.")
    result = store_pending(me, pending, rating if pending["correct"] else Rating.Again)
    if result is not None:
        flash(f"Saved: next review in {format_interval(result.interval)} (rated {result.rating.name}).", "info")
    return redirect(here)
