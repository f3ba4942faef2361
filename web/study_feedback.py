"""The feedback page of a stored answer awaiting its rating, and the rating POST that amends it.

The feedback shows right or wrong, every option marked (a typed answer: each requirement met or not, the
problems found, the learner's text, the model answer or the accepted forms), the explanation, sources,
links to the graph things involved and the four ratings with the interval each would give (only Again
when wrong, or when a task met only some of its requirements). The
rating amends the stored answer through the engine, which re-runs its schedule; a rating sent again
(a second key press, another tab) changes nothing and says which rating stands.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request

from opsprep.engine import AnswerResult, LearnerProgress, Rating, Scope, StudyCard, format_interval
from opsprep.engine.reports import REASONS
from opsprep.engine.scheduling import new_card
from opsprep.graph.namespaces import ID
from opsprep.questions import QuestionItem, present

from .links import is_web_url
from .resources import get_bank
from .study_answer import form_seed
from .study_typed import typed_verdict

RATINGS = (Rating.Again, Rating.Hard, Rating.Good, Rating.Easy)


def feedback(me: LearnerProgress, result: AnswerResult, here: str, context: dict):
    """Right or wrong, every option marked, the explanation, sources, graph links and the four ratings.

    ``context`` holds the page heading's ``cert`` and ``scope`` and the session's ``last`` answer.
    """
    item = get_bank().get(result.item_id)
    presentation = present(item, result.seed)
    ratings = [
        {
            "value": r.name.lower(),
            "label": r.name,
            "key": i,
            "interval": format_interval(result.preview[r]) if r in result.preview else "",
            "enabled": result.correct or r == Rating.Again,
        }
        for i, r in enumerate(RATINGS, 1)
    ]
    card = StudyCard(
        learner_id=me.id,
        item=item,
        seed=result.seed,
        kind="answered",
        presentation=presentation,
        card=me.card(item.id) or new_card(item.id, me.id),
        preview=result.preview,
    )
    typed = None
    if presentation.response is not None and result.verdict is not None:
        typed = typed_verdict(presentation.response, result.verdict, result.response)
    return render_template(
        "study/feedback.html",
        **context,
        card=card,
        item=item,
        presentation=presentation,
        chosen=set(result.chosen),
        correct=result.correct,
        typed=typed,
        result=result,
        ratings=ratings,
        default_rating="good" if result.correct else "again",
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


def rate(me: LearnerProgress, scope: Scope, here: str, mode: str | None):
    """Amend the stored answer with the learner's rating (none sent: the default), then on to the next question."""
    item_id, seed = request.form.get("item_id", ""), form_seed()
    choice = request.form.get("rating")
    rating = None if choice is None else next((r for r in RATINGS if r.name.lower() == choice.lower()), "")
    if rating == "":
        abort(400, description="Rate with again, hard, good or easy.")
    if item_id not in get_bank().by_id or me.answer(item_id, seed) is None:
        flash("Nothing waits for that rating any more (the answer was undone?).", "info")
        return redirect(here)
    result = me.rate(item_id, seed, rating)
    if result is None:
        flash("Nothing waits for that rating any more (the answer was undone?).", "info")
    elif result.duplicate:
        flash(
            f"That answer was rated already (in another tab?): it stays {result.rating.name}, "
            f"next review in {format_interval(result.interval)}.",
            "info",
        )
    else:
        flash(f"Saved: next review in {format_interval(result.interval)} (rated {result.rating.name}).", "info")
    return redirect(here)
