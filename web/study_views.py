"""The study blueprint: one question at a time, answered, explained, then rated.

``GET /study/<cert>`` (``?domain=N``, repeatable, narrows it) shows the next card of the learner's
queue. Answering (``POST action=answer``) grades the answer without storing it yet: the answer waits
in the session, and the page shows the feedback and the four ratings with the interval each would
give. Rating it (``POST action=rate``) stores answer and rating in one transaction through the
engine. While an answer waits for its rating, every study page shows its feedback again (a reload
cannot re-draw the question); one left for another certification is stored with the default rating
(Good when right, Again when wrong), as is one left at logout. Both POSTs redirect back (POST,
redirect, GET). ``POST /study/report`` stores a problem report about a question.

This module holds the routes and the question page; :mod:`.study_pending` the waiting answer kept in
the session, :mod:`.study_feedback` the feedback page and the rating.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for

from opsprep.engine import Scope, format_interval
from opsprep.engine.clock import utc

from .auth import current_progress, login_required, safe_next
from .home import catalogue
from .resources import get_bank
from .study_feedback import feedback, rate
from .study_pending import PENDING, answer, settle_pending

bp = Blueprint("study", __name__, url_prefix="/study")


@bp.route("/<cert>", methods=["GET", "POST"])
@login_required
def page(cert: str):
    """The next question (GET), or an answer or rating (POST) for the certification ``cert``."""
    me = current_progress()
    scope = me.progress.scope(cert, request.args.getlist("domain"))
    here = url_for("study.page", cert=catalogue()[scope.cert].code, domain=request.args.getlist("domain"))
    if request.method == "POST":
        action = request.form.get("action")
        if action == "answer":
            return answer(me, scope, here)
        if action == "rate":
            return rate(me, here)
        abort(400, description="Unknown action: answer or rate a question.")
    heading = {"cert": catalogue()[scope.cert], "scope": _scope_view(scope)}
    pending = session.get(PENDING)
    if pending and pending["learner"] == me.id and pending["cert"] == scope.cert:
        return feedback(me, pending, here, heading)
    if pending:
        settle_pending(me)
    if me.info.default_cert != scope.cert:
        me.update_settings(default_cert=scope.cert)
    card = me.next_card(scope.cert, scope.domains)
    counts = me.counts(scope.cert, scope.domains)
    if card is None:
        wait = format_interval(counts.next_due - utc()) if counts.next_due else None
        return render_template("study/done.html", **heading, counts=counts, wait=wait)
    return render_template("study/question.html", **heading, counts=counts, card=card, action=here)


def _scope_view(scope: Scope) -> list:
    """The domains studied, when only some of the certification's are (for the page heading)."""
    cert = catalogue()[scope.cert]
    if len(scope.domains) == len(cert.domains):
        return []
    return [cert.domain(d) for d in scope.domains]


@bp.post("/report")
@login_required
def report():
    """Store a problem report about a question, then back to where the learner was."""
    item_id = request.form.get("item_id", "")
    if item_id not in get_bank().by_id:
        abort(400, description="The report does not name a question of the bank.")
    try:
        seed = int(request.form.get("seed", ""))
    except ValueError:
        seed = None
    me, reason, comment = current_progress(), request.form.get("reason", ""), request.form.get("comment", "")
    problems = me.progress.report_problems(item_id, reason, comment)
    if problems:
        flash("The report was not saved: " + "; ".join(problems) + ".", "error")
    else:
        me.report_problem(item_id, reason, comment, seed=seed)
        flash("Thank you: your report was saved for review.", "success")
    return redirect(safe_next(request.form.get("next")) or url_for("index"))
