"""Undo and ending a study session: the study page's ``undo`` and ``end`` POSTs.

Undo (the button, or ``U`` / ``Ctrl+Z``) takes back the session's last answer with its rating: the
engine restores the card and keeps the undone review apart from the log, and the question is asked
again next. Ending the session keeps the default rating of an answer left unrated (saying so) and
shows the session's summary.
"""

from __future__ import annotations

from flask import flash, redirect, request, url_for

from opsprep.engine import LearnerProgress, Scope

from .home import catalogue
from .resources import get_bank
from .study_answer import form_seed, item_in_scope, keep_waiting, short_stem


def undo(me: LearnerProgress, scope: Scope, here: str, mode: str | None):
    """Take back the answer the form names (the session's last), then ask its question again."""
    item = item_in_scope(request.form.get("item_id", ""), scope)
    seed = form_seed()
    undone = me.undo(item.id, seed)
    if undone is None:
        flash("That answer was undone already.", "info")
    else:
        flash(f"Undone: your answer to “{short_stem(item.id, seed)}” ({undone.rating.name}). Answer it again.", "info")
    return redirect(here)


def end(me: LearnerProgress, scope: Scope, here: str, mode: str | None):
    """End the session in this certification and show its summary."""
    wanted = set(catalogue()[scope.cert].domain_iris)
    bank = get_bank()
    keep_waiting(me, [w for w in me.awaiting_rating() if wanted & set(bank.get(w.item_id).domains)])
    me.end_session(scope.cert)
    return redirect(
        url_for(
            "study.summary",
            cert=catalogue()[scope.cert].code,
            domain=request.args.getlist("domain"),
            mode=mode,
        )
    )
