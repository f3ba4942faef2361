"""Exam mode: the engine's timed simulation, one page per question, a countdown, flags and the results.

The server owns the clock: an attempt's deadline is stored when it starts, the page only displays the
time left (``static/exam.js``), and an attempt whose time has run out is scored the next time any page
of it is asked for. Answers are saved as they are given (each form post, and in the background by the
script), so a reload, a closed tab or a lost connection resumes where the learner was. Which options
are right is sent to the browser only once the attempt is finished.

Each question page carries the server's time it was shown (``shown_at``); the next post from it adds the
time since then to the question's time on screen. A finished attempt's result offers a retake of exactly
the questions it missed; the history pages (:mod:`.exam_history_views`) chart the scores.

A typed or task question posts its text in the field :data:`.study_typed.FIELD` instead of option letters;
it is graded as it is saved, and the result shows each task's requirements met and the model answer. The
length, time and pass mark of an exam are its certification's :class:`opsprep.engine.exam_shape.ExamShape`.
"""

from __future__ import annotations

import math
from datetime import datetime

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from opsprep.engine import ExamAttempt
from opsprep.engine.clock import to_text, utc
from opsprep.engine.exam_retake import retake_minutes
from opsprep.engine.exam_shape import ExamShape, exam_shape
from opsprep.graph.namespaces import ID
from opsprep.questions import present

from .auth import current_progress, login_required
from .dashboard import study_url
from .exam_history_views import history, history_cert, points_text
from .resources import get_bank
from .study_typed import FIELD, posted_text, typed_field

bp = Blueprint("exam", __name__, url_prefix="/exam")
bp.add_url_rule("/history", view_func=history)
bp.add_url_rule("/history/<cert>", view_func=history_cert)
bp.add_app_template_filter(points_text, "points")  # a score in questions: 14, or 12.5 with partial credit

#: questions in a short practice exam (``EXAM_SHORT_QUESTIONS`` in the config overrides it)
SHORT_QUESTIONS = 10
RECENT_ATTEMPTS = 10


@bp.app_template_filter("clock")
def clock_filter(seconds: float) -> str:
    """Jinja filter: a number of seconds as ``m:ss`` or ``h:mm:ss``."""
    whole = max(0, math.floor(seconds))
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def _attempt(attempt_id: int) -> ExamAttempt:
    """The logged-in learner's attempt (``UnknownAttempt``, a 404, also for someone else's)."""
    return current_progress().attempt(attempt_id)


def _closed(attempt: ExamAttempt) -> Response | None:
    """A redirect to the results when the attempt is finished; scores it first when its time ran out."""
    if not attempt.finished and attempt.remaining().total_seconds() > 0:
        return None
    if not attempt.finished:
        current_progress().finish_exam(attempt.id)
        flash("Time ran out: the exam was submitted with the answers you had given.", "info")
    return redirect(url_for("exam.result", attempt_id=attempt.id))


def _code(cert_iri: str) -> str:
    return get_bank().catalog.certification(cert_iri).code


def _short_length(shape: ExamShape) -> tuple[int, int]:
    """Questions and minutes of a short practice exam, at the real exam's pace."""
    count = min(int(current_app.config.get("EXAM_SHORT_QUESTIONS", SHORT_QUESTIONS)), shape.count)
    return count, max(1, math.ceil(shape.minutes * count / shape.count))


@bp.get("/")
@login_required
def index() -> str:
    """Every certification with its exam's length, an exam to resume, and past attempts."""
    me = current_progress()
    certs = []
    for plan in (p for p in get_bank().catalog if p.is_exam):
        shape = exam_shape(plan)
        certs.append(
            {
                "code": plan.code,
                "plan": plan,
                "shape": shape,
                "short": _short_length(shape),
                "open": me.resume_exam(plan.iri),  # scores attempts whose time ran out
                "default": plan.iri == me.info.default_cert,
            }
        )
    certs.sort(key=lambda c: not c["default"])
    attempts = me.attempts()[:RECENT_ATTEMPTS]
    return render_template("exam/index.html", certs=certs, attempts=attempts, code_of=_code)


@bp.post("/start")
@login_required
def start() -> Response:
    """Start a full or a short exam for a certification (or carry on with the one in progress)."""
    me = current_progress()
    plan = get_bank().catalog.certification(request.form.get("cert", ""))
    running = me.resume_exam(plan.iri)
    if running is not None:
        flash(f"You have a {plan.code} exam in progress: carry on, or finish it to start another.", "info")
        return redirect(url_for("exam.attempt", attempt_id=running.id))
    count, minutes = _short_length(exam_shape(plan)) if request.form.get("length") == "short" else (None, None)
    attempt = me.start_exam(plan.iri, count=count, minutes=minutes)
    return redirect(url_for("exam.question", attempt_id=attempt.id, position=1))


@bp.get("/<int:attempt_id>/")
@login_required
def attempt(attempt_id: int) -> Response:
    """Back into an attempt: its first unanswered question (or its results once finished)."""
    found = _attempt(attempt_id)
    closed = _closed(found)
    if closed is not None:
        return closed
    position = next((q.position for q in found.questions if not q.answered), 1)
    return redirect(url_for("exam.question", attempt_id=attempt_id, position=position))


@bp.get("/<int:attempt_id>/<int:position>")
@login_required
def question(attempt_id: int, position: int) -> Response | str:
    """One question: its options (never which are right), the countdown, the palette and the flag."""
    found = _attempt(attempt_id)
    closed = _closed(found)
    if closed is not None:
        return closed
    if not 1 <= position <= len(found.questions):
        abort(404, description=f"This exam has questions 1 to {len(found.questions)}.")
    return _question_page(found, position)


def _question_page(
    found: ExamAttempt,
    position: int,
    *,
    chosen: list[str] | None = None,
    text: str | None = None,
    error: str | None = None,
    shown_at: str | None = None,
) -> str:
    """The page of one question: with the answer stored, or (after a refused post) the one sent and why.

    ``q.field`` is the answer field of a typed or task question (:func:`.study_typed.typed_field`, holding
    the saved text, or the text a refused post sent), None for a choice question; ``q.code`` and
    ``q.code_language`` what the question shows with its stem. Nothing here says what is right.
    """
    asked, presentation = current_progress().exam_question(found.id, position)
    letters = {o.letter for o in presentation.options}
    shown = {
        "position": position,
        "stem": presentation.stem,
        "answer_count": get_bank().get(asked.item_id).answer_count,
        "options": [{"letter": o.letter, "text": o.text} for o in presentation.options],  # no correctness here
        "chosen": set(asked.chosen) if chosen is None else {c.strip().upper() for c in chosen} & letters,
        "flagged": asked.flagged,
        "type": str(presentation.type),
        "code": presentation.code,
        "code_language": presentation.code_language,
        "field": typed_field(presentation, asked.response if text is None else text),
    }
    return render_template(
        "exam/question.html",
        attempt=found,
        q=shown,
        code=_code(found.cert),
        remaining=_seconds_left(found),
        shown_at=shown_at or to_text(utc()),
        error=error,
        saved=asked.chosen,
    )


def _seconds_left(found: ExamAttempt) -> int:
    return max(0, math.floor(found.remaining().total_seconds()))


@bp.post("/<int:attempt_id>/<int:position>")
@login_required
def save(attempt_id: int, position: int) -> Response:
    """Save the answer shown, then go where the button pressed says (``action``).

    ``next``, ``prev``, ``goto-N``, ``flag``, ``unflag``, ``review``, ``finish``, or ``save`` (stay; the
    script's background save, which asks for JSON).
    """
    found = _attempt(attempt_id)
    wants_json = request.accept_mimetypes.best == "application/json"
    if not 1 <= position <= len(found.questions):
        abort(404)
    closed = _closed(found)
    if closed is not None:
        if wants_json:
            return jsonify(closed=True, location=closed.location), 409
        return closed
    me = current_progress()
    asked = found.question(position)
    typed = _is_typed(asked.item_id)
    action = request.form.get("action", "next")
    if typed:
        text = posted_text(request) if FIELD in request.form else None  # no field (a flag-only post): unchanged
        answer: str | list[str] = text if text is not None else (asked.response or "")
        changed = text is not None and (text if text.strip() else None) != asked.response
    else:
        answer = request.form.getlist("choice")
        changed = set(answer) != set(asked.chosen)
    problem = me.exam_answer_problem(attempt_id, position, answer)  # InvalidAnswer (400): letters not options
    if problem:  # "Choose TWO" with one ticked, a typed answer too long: refused, nothing stored, the page keeps it
        if wants_json:
            return jsonify(error="invalid", message=problem), 400
        kept = {"text": answer} if typed else {"chosen": answer}
        page = _question_page(found, position, **kept, error=problem, shown_at=request.form.get("shown_at"))
        return Response(page, status=400, content_type="text/html; charset=utf-8")
    if changed:
        asked = me.answer_exam(attempt_id, position, answer)  # a typed answer is graded (again) as it is stored
    if action in ("flag", "unflag"):
        asked = me.flag(attempt_id, position, action == "flag")
    _record_time(found, position)
    if wants_json:
        found = _attempt(attempt_id)
        return jsonify(
            answered=found.answered, chosen=list(asked.chosen), flagged=asked.flagged, shown_at=to_text(utc())
        )
    return redirect(_destination(found, position, action))


def _is_typed(item_id: str) -> bool:
    """Whether a question is answered by typing (its item has a response and no options)."""
    return get_bank().get(item_id).response is not None


def _record_time(found: ExamAttempt, position: int) -> None:
    """Add the time since the page said it was shown (``shown_at``) to the question's time on screen.

    A missing, malformed or implausible time (before the attempt started, in the future) is not counted.
    """
    try:
        shown_at = utc(datetime.fromisoformat(request.form.get("shown_at", "")))
    except (ValueError, OverflowError):  # OverflowError: year 1 or 9999 moved out of range by its offset
        return
    now = utc()
    if not found.started_at <= shown_at <= now:
        return
    spent = min(round((now - shown_at).total_seconds() * 1000), found.minutes * 60_000)
    current_progress().record_exam_time(found.id, position, spent, now=now)


def _position(text: str) -> int | None:
    """A question number a form sent (ASCII digits, not "²" nor thousands of them), or None."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None


def _destination(found: ExamAttempt, position: int, action: str) -> str:
    last = len(found.questions)
    if action == "finish":
        return url_for("exam.review", attempt_id=found.id)
    if action == "review" or (action == "next" and position == last):
        return url_for("exam.review", attempt_id=found.id)
    wanted = _position(action[5:]) if action.startswith("goto-") else None
    if wanted is not None:
        position = min(max(wanted, 1), last)
    elif action == "next":
        position += 1
    elif action == "prev":
        position = max(position - 1, 1)
    return url_for("exam.question", attempt_id=found.id, position=position)


@bp.get("/<int:attempt_id>/review")
@login_required
def review(attempt_id: int) -> Response | str:
    """Before finishing: which questions are unanswered or flagged, and the button that submits."""
    found = _attempt(attempt_id)
    closed = _closed(found)
    if closed is not None:
        return closed
    return render_template("exam/review.html", attempt=found, code=_code(found.cert), remaining=_seconds_left(found))


@bp.post("/<int:attempt_id>/finish")
@login_required
def finish(attempt_id: int) -> Response:
    """Submit the attempt for scoring (also what the countdown does when it reaches zero).

    The countdown's own submission says ``reason=time-up`` (and which question was on screen, whose time
    it adds); the page's clock may end a moment before the server's, so close to the deadline that counts
    as time running out (:data:`opsprep.engine.exam.TIME_UP_GRACE`; the result says so) rather than as an
    early finish.
    """
    found = _attempt(attempt_id)
    if _closed(found) is None:
        position = _position(request.form.get("position", ""))
        if position is not None and 1 <= position <= len(found.questions):
            _record_time(found, position)  # the countdown's submission: the question on screen
        current_progress().finish_exam(attempt_id, time_up=request.form.get("reason") == "time-up")
    return redirect(url_for("exam.result", attempt_id=attempt_id))


@bp.post("/<int:attempt_id>/retake")
@login_required
def retake(attempt_id: int) -> Response:
    """Start a new attempt of exactly the questions a finished attempt got wrong or left unanswered."""
    me = current_progress()
    found = _attempt(attempt_id)
    running = me.resume_exam(found.cert)
    if running is not None:
        flash(f"You have a {_code(found.cert)} exam in progress: carry on, or finish it to start another.", "info")
        return redirect(url_for("exam.attempt", attempt_id=running.id))
    again = me.retake_exam(attempt_id)  # ExamClosed (409) while open, NoQuestions (404) when nothing was missed
    return redirect(url_for("exam.question", attempt_id=again.id, position=1))


@bp.get("/<int:attempt_id>/result")
@login_required
def result(attempt_id: int) -> Response | str:
    """The score overall and per domain (with where the outline was read, and its notes), pass or fail,
    and every question with its answer explained."""
    found = _attempt(attempt_id)
    if not found.finished:
        closed = _closed(found)
        if closed is None:
            return redirect(url_for("exam.review", attempt_id=attempt_id))
        found = _attempt(attempt_id)
    bank = get_bank()
    questions = []
    for asked in found.questions:
        item = bank.get(asked.item_id)
        presentation = present(item, asked.seed)  # as exam_question shows it, without reloading the attempt
        iris = dict.fromkeys([*item.about, *(o.iri for o in presentation.options if o.iri)])
        things = [(iri[len(str(ID)) :], bank.facts.labels.get(iri, iri)) for iri in iris if iri.startswith(str(ID))]
        questions.append({"asked": asked, "p": presentation, "things": things})
    cert = bank.catalog.certification(found.cert)
    code = cert.code
    domains = []
    for score in found.result.domains:
        number = bank.catalog.domain(score.domain).number
        domains.append({**score.to_dict(), "number": number, "study_url": number and study_url(code, number)})
    source = current_progress().attempt(found.retake_of) if found.retake_of is not None else None
    to_retake = sum(q.item_id in bank.by_id for q in found.missed)
    return render_template(
        "exam/result.html",
        attempt=found,
        r=found.result,
        domains=domains,
        questions=questions,
        code=code,
        cert=cert,  # where its outline was read, shown with the scores per domain
        to_retake=to_retake,
        retake_minutes=retake_minutes(found, to_retake),
        source=source,
        by_points=any(q["p"].typed for q in questions) or found.result.partial,
    )
