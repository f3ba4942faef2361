"""The study blueprint: one question at a time, answered, explained, then rated.

``GET /study/<cert>`` (``?domain=N``, repeatable, narrows it) shows the next card of the learner's
queue. Answering (``POST action=answer``) grades the answer without storing it yet: the answer waits
in the session, and the page shows the feedback and the four ratings with the interval each would
give. Rating it (``POST action=rate``) stores answer and rating in one transaction through the
engine. While an answer waits for its rating, every study page shows its feedback again (a reload
cannot re-draw the question); one left for another certification is stored with the default rating
(Good when right, Again when wrong), as is one left at logout. Both POSTs redirect back (POST,
redirect, GET). ``POST /study/report`` stores a problem report about a question.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import user_logged_out

from opsprep.engine import (
    InvalidAnswer,
    InvalidSettings,
    Learner,
    Rating,
    Scope,
    StaleShowing,
    Store,
    UnknownCertification,
    UnknownDomain,
    check_answer,
    format_interval,
    next_card,
    queue_counts,
    resolve_scope,
    submit_answer,
    update_settings,
)
from opsprep.engine.cards import load_card
from opsprep.engine.clock import utc
from opsprep.engine.reports import REASONS, report_problem
from opsprep.engine.scheduling import new_card, preview
from opsprep.engine.study import showing_seed
from opsprep.graph.namespaces import ID
from opsprep.questions import QuestionItem

from .auth import current_learner, login_required, safe_next
from .db import get_synced_store
from .home import catalogue
from .resources import get_bank

bp = Blueprint("study", __name__, url_prefix="/study")

PENDING = "study_pending"  # session key of the answer waiting for its rating
RATINGS = (Rating.Again, Rating.Hard, Rating.Good, Rating.Easy)
MAX_RESPONSE_MS = 24 * 3600 * 1000


@bp.route("/<cert>", methods=["GET", "POST"])
@login_required
def page(cert: str):
    """The next question (GET), or an answer or rating (POST) for the certification ``cert``."""
    bank = get_bank()
    try:
        scope = resolve_scope(bank, cert, request.args.getlist("domain"))
    except (UnknownCertification, UnknownDomain) as exc:
        abort(404, description=str(exc))
    learner = current_learner()
    store = get_synced_store()
    here = url_for("study.page", cert=catalogue()[scope.cert].code, domain=request.args.getlist("domain"))
    if request.method == "POST":
        action = request.form.get("action")
        if action == "answer":
            return _answer(store, learner, scope, here)
        if action == "rate":
            return _rate(store, learner, here)
        abort(400, description="Unknown action: answer or rate a question.")
    pending = session.get(PENDING)
    if pending and pending["learner"] == learner.id and pending["cert"] == scope.cert:
        return _feedback(store, learner, scope, pending, here)
    if pending:
        settle_pending(store, learner)
    if learner.default_cert != scope.cert:
        learner = update_settings(store, learner.id, default_cert=scope.cert)
    card = next_card(store, bank, learner.id, scope.cert, scope.domains)
    counts = queue_counts(store, bank, learner.id, scope.cert, scope.domains)
    cert_info = catalogue()[scope.cert]
    if card is None:
        wait = format_interval(counts.next_due - utc()) if counts.next_due else None
        return render_template("study/done.html", cert=cert_info, scope=_scope_view(scope), counts=counts, wait=wait)
    return render_template(
        "study/question.html",
        cert=cert_info,
        scope=_scope_view(scope),
        counts=counts,
        card=card,
        action=here,
    )


def _scope_view(scope: Scope) -> list:
    """The domains studied, when only some of the certification's are (for the page heading)."""
    cert = catalogue()[scope.cert]
    if len(scope.domains) == len(cert.domains):
        return []
    return [cert.domain(d) for d in scope.domains]


def _answer(store: Store, learner: Learner, scope: Scope, here: str):
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


def _rate(store: Store, learner: Learner, here: str):
    """Store the waiting answer with the learner's rating, then on to the next question."""
    pending = session.get(PENDING)
    sent = (request.form.get("item_id"), request.form.get("seed"))
    if not pending or pending["learner"] != learner.id or sent != (pending["item"], str(pending["seed"])):
        return redirect(here)  # rated already (a second key press, another tab): nothing is waiting
    choice = request.form.get("rating", "good").lower()
    rating = next((r for r in RATINGS if r.name.lower() == choice), None)
    if rating is None:
        abort(400, description="Rate with again, hard, good or easy.")
    result = _store_pending(store, learner, pending, rating if pending["correct"] else Rating.Again)
    if result is not None:
        flash(f"Saved: next review in {format_interval(result.interval)} (rated {result.rating.name}).", "info")
    return redirect(here)


def _store_pending(store: Store, learner: Learner, pending: dict, rating: Rating | None):
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
    _store_pending(store, learner, pending, None)


@user_logged_out.connect
def _settle_at_logout(_app, user=None, **_extra) -> None:
    """Logging out stores a waiting answer rather than dropping it (which would let it be asked again)."""
    if user is not None and getattr(user, "learner", None) is not None:
        settle_pending(get_synced_store(), user.learner)


def _feedback(store: Store, learner: Learner, scope: Scope, pending: dict, here: str):
    """Right or wrong, every option marked, the explanation, sources, graph links and the four ratings."""
    bank = get_bank()
    item = bank.by_id.get(pending["item"])
    if item is None:  # the graph changed under a waiting answer
        session.pop(PENDING, None)
        return redirect(here)
    presentation, letters, correct = check_answer(bank, item.id, pending["seed"], pending["chosen"])
    now = utc()
    card = load_card(store, learner.id, item.id) or new_card(item.id, learner.id, now=now)
    intervals = preview(card, learner.scheduler(fuzz=False), now)
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
        cert=catalogue()[scope.cert],
        scope=_scope_view(scope),
        item=item,
        presentation=presentation,
        chosen=set(letters),
        correct=correct,
        ratings=ratings,
        default_rating="good" if correct else "again",
        sources=[s for s in presentation.sources if s.startswith(("https://", "http://"))],
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


@bp.post("/report")
@login_required
def report():
    """Store a problem report about a question, then back to where the learner was."""
    learner = current_learner()
    item_id = request.form.get("item_id", "")
    if item_id not in get_bank().by_id:
        abort(400, description="The report does not name a question of the bank.")
    try:
        seed = int(request.form.get("seed", ""))
    except ValueError:
        seed = None
    try:
        report_problem(
            get_synced_store(),
            learner.id,
            item_id,
            request.form.get("reason", ""),
            request.form.get("comment", ""),
            seed=seed,
        )
    except InvalidSettings as exc:
        flash(f"The report was not saved: {exc}", "error")
    else:
        flash("Thank you: your report was saved for review.", "success")
    return redirect(safe_next(request.form.get("next")) or url_for("index"))
