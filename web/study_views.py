"""The study blueprint: one question at a time, answered, explained, then rated.

``GET /study/<cert>`` (``?domain=N``, repeatable, narrows it; ``?mode=wrong|bookmarked|cram`` picks
another queue) shows the next card of the learner's queue. Answering (``POST action=answer``) grades
the answer and stores it at once with the default rating (Good when right, Again when wrong); the page
then shows the feedback and the four ratings with the interval each would give, through reloads, until
the learner rates it (``POST action=rate``), which amends the stored answer. An answer left for another
certification or domain keeps its default rating, and the page says so. ``POST action=undo`` takes back
the session's last answer and asks its question again; ``POST action=end`` ends the session and
``GET /study/<cert>/summary`` shows what it did (as does the page when the queue is done). Every POST
redirects back (POST, redirect, GET). ``POST /study/report`` stores a problem report about a question.

A question answered by typing (a command, a value, a manifest, a configuration) shows a text field or a
code editor instead of options (:mod:`.study_typed`); its answer posts through the same form.

This module holds the routes; :mod:`.study_question` the question page, :mod:`.study_answer` the answer
POST and answers left unrated, :mod:`.study_feedback` the feedback page and the rating,
:mod:`.study_session` undo and ending a session.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for

from opsprep.engine import format_interval
from opsprep.engine.clock import utc
from opsprep.engine.grading import check_mode

from .auth import current_progress, current_version, login_required, safe_next
from .home import catalogue
from .resources import get_bank
from .study_answer import answer, answer_waiting_here, retry_card
from .study_cache import kept_page, personal
from .study_feedback import feedback, rate
from .study_question import page_context, question_page, scope_view
from .study_session import end, undo
from .study_typed import code_class, is_command_item

bp = Blueprint("study", __name__, url_prefix="/study")
bp.add_app_template_filter(code_class, "code_class")  # the exam pages show code and typed answers too
bp.add_app_template_global(is_command_item, "is_command_item")

ACTIONS = {"answer": answer, "rate": rate, "undo": undo, "end": end}


@bp.route("/<cert>", methods=["GET", "POST"])
@login_required
def page(cert: str):
    """The next question (GET), or an answer, rating, undo or end of session (POST) for ``cert``."""
    me = current_progress()
    asked = request.args
    scope = me.progress.scope(cert, asked.getlist("domain"))
    mode = check_mode(asked.get("mode"))
    own = personal()  # a message to show or a question to ask again: this page is the session's own
    if request.method == "GET" and not own:
        kept = kept_page(me, scope, mode, current_version())
        if kept is not None:  # nothing it shows has changed since it was made
            return Response(kept, content_type="text/html; charset=utf-8")
    code = catalogue()[scope.cert].code
    here = url_for("study.page", cert=code, domain=request.args.getlist("domain"), mode=mode)
    if request.method == "POST":
        handler = ACTIONS.get(request.form.get("action", ""))
        if handler is None:
            abort(400, description="Unknown action: answer or rate a question, undo, or end the session.")
        return handler(me, scope, here, mode)
    waiting = answer_waiting_here(me, scope)
    if waiting is not None:
        return feedback(me, waiting, here, page_context(me, scope, mode))
    if me.info.default_cert != scope.cert:
        me.update_settings(default_cert=scope.cert)
    stamp = None if own else me.stamp()  # read before the page's data: a write meanwhile leaves the page older
    context = page_context(me, scope, mode)
    card = (
        retry_card(me, scope)
        or me.undone_card(scope.cert, scope.domains)
        or me.next_card(scope.cert, scope.domains, mode=mode)
    )
    if card is None:
        counts, modes = me.study_counts(scope.cert, scope.domains, mode=mode)
        wait = format_interval(counts.next_due - utc()) if counts.next_due else None
        summary = me.session_summary(scope.cert)
        return render_template(
            "study/done.html", **context, counts=counts, modes=modes, wait=wait, summary=summary, action=here
        )
    return question_page(context, me, scope, card, here, text=card.undone_text, stamp=stamp)


@bp.get("/<cert>/summary")
@login_required
def summary(cert: str):
    """The summary of the study session the learner ended last in ``cert``."""
    me = current_progress()
    scope = me.progress.scope(cert, request.args.getlist("domain"))
    mode = check_mode(request.args.get("mode"))
    code = catalogue()[scope.cert].code
    again = url_for("study.page", cert=code, domain=request.args.getlist("domain"), mode=mode)
    ended = me.ended_session(scope.cert)
    if ended is None:
        return redirect(again)
    context = {"cert": catalogue()[scope.cert], "scope": scope_view(scope), "mode": mode}
    return render_template("study/summary.html", **context, summary=ended, again=again)


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
