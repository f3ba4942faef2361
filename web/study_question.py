"""The question page of a study session: a question with its options, or with the field its answer is typed in.

The study page's GET shows it for the next card; an answer POST that is refused (a blank or overlong typed
answer) shows it again at once with the message and the text the learner sent, so nothing typed is lost
(:mod:`.study_answer`).
"""

from __future__ import annotations

from flask import render_template
from werkzeug.wrappers import Response

from opsprep.engine import LearnerProgress, ProgressStamp, Scope, StudyCard

from .home import catalogue
from .study_cache import render_kept
from .study_typed import typed_field


def page_context(me: LearnerProgress, scope: Scope, mode: str | None) -> dict:
    """What every study page's heading needs: the certification, the domains studied, the mode, the last
    answer of the session (for undo)."""
    return {
        "cert": catalogue()[scope.cert],
        "scope": scope_view(scope),
        "mode": mode,
        "last": me.last_answer(scope.cert),
    }


def scope_view(scope: Scope) -> list:
    """The domains studied, when only some of the certification's are (for the page heading)."""
    cert = catalogue()[scope.cert]
    if len(scope.domains) == len(cert.domains):
        return []
    return [cert.domain(d) for d in scope.domains]


def question_page(
    context: dict,
    me: LearnerProgress,
    scope: Scope,
    card: StudyCard,
    here: str,
    *,
    text: str | None = None,
    error: str | None = None,
    status: int = 200,
    stamp: ProgressStamp | None = None,
) -> Response:
    """The page of one question; ``text`` is what a typed answer's field holds (else its starter), ``error``
    why the answer sent was refused. With the ``stamp`` read before the page's data, the page is kept to be
    shown again while the stamp holds (:mod:`.study_cache`)."""
    counts, modes = me.study_counts(scope.cert, scope.domains, mode=context["mode"])
    values = {
        **context,
        "counts": counts,
        "modes": modes,
        "card": card,
        "field": typed_field(card.presentation, text),
        "error": error,
        "action": here,
    }
    if stamp is None:
        page = render_template("study/question.html", **values)
    else:
        page = render_kept(me, scope, context["mode"], stamp, "study/question.html", **values)
    return Response(page, status=status, content_type="text/html; charset=utf-8")
