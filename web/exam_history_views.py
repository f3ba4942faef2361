"""Exam history: per certification, the score of every finished attempt as a server-drawn trend chart
against the passing mark, and a table with pass or fail, the time taken and the time per question.

The views are routes of the exam blueprint (``/exam/history`` and ``/exam/history/<cert>``, registered in
:mod:`.exam_views`). Retakes of missed questions are listed but left out of the trend (see
:class:`opsprep.engine.CertHistory`).
"""

from __future__ import annotations

from flask import abort, render_template
from markupsafe import Markup

from opsprep.engine import CertHistory, ExamAttempt
from opsprep.engine.exam_shape import exam_shape

from .auth import current_progress, login_required
from .charts import Point, line_chart
from .resources import get_bank


@login_required
def history() -> str:
    """Every certification the learner has finished an exam in: its trend chart and its attempts."""
    histories = current_progress().exam_history()
    return render_template("exam/history.html", histories=[_shown(h) for h in histories], one=None)


@login_required
def history_cert(cert: str) -> str:
    """One certification's trend chart and attempts (``UnknownCertification``, a 404, for an unknown code)."""
    plan = get_bank().catalog.certification(cert)
    if not plan.is_exam:
        abort(404, description=f"{plan.title} is a study deck with no exam, so it has no exam history.")
    (found,) = current_progress().exam_history(plan.iri)
    return render_template("exam/history.html", histories=[_shown(found)], one=found.code)


def points_text(value: float) -> str:
    """A score in questions, whole when it is whole (``14``), else to at most two decimals (``12.5``,
    ``1.75``): a task scores the share of its requirements met."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _percent(fraction: float) -> int:
    return round(fraction * 100)


def _when(attempt: ExamAttempt) -> str:
    return f"{attempt.started_at:%Y-%m-%d %H:%M} UTC"


def _against(fraction: float, passing: float, passed: bool) -> str:
    """How far a score is from the pass mark, in percentage points."""
    mark = _percent(passing)
    points = round(abs(fraction - passing) * 100)
    if passed:
        return f"at the {mark}% mark" if points == 0 else f"{points} point{'s' if points != 1 else ''} over {mark}%"
    if points == 0:
        return f"less than a point short of {mark}%"
    return f"{points} point{'s' if points != 1 else ''} short of {mark}%"


def _shown(found: CertHistory) -> dict:
    """What the template needs of one certification's history: the chart and a row per attempt."""
    plan = get_bank().catalog.certification(found.cert)
    mark = _percent(exam_shape(plan).pass_mark)
    rows = []
    for attempt in reversed(found.attempts):  # newest first in the table
        r = attempt.result
        rows.append(
            {
                "attempt": attempt,
                "r": r,
                "percent": _percent(r.fraction),
                "against": _against(r.fraction, r.passing_fraction, r.passed),
                "kind": "Retake of missed questions" if attempt.retake_of else "Exam",
            }
        )
    return {"h": found, "plan": plan, "mark": mark, "rows": rows, "chart": _trend_chart(found, mark)}


def _trend_chart(found: CertHistory, mark: int) -> Markup:
    points = []
    for attempt in found.trend:
        r = attempt.result
        verdict = "passed" if r.passed else "not passed"
        late = ", time ran out" if r.timed_out else ""
        score = f"{_percent(r.fraction)}% ({points_text(r.score)} of {r.total})"
        points.append(
            Point(
                f"{attempt.started_at.day} {attempt.started_at:%b}",
                _percent(r.fraction),
                title=f"{_when(attempt)}: {score}, {verdict}{late}",
                marked=r.passed,
            )
        )
    scores = ", ".join(f"{p.value:g}%" for p in points)
    description = (
        f"Scores of your {len(points)} {found.code} exam{'' if len(points) == 1 else 's'}, oldest first: {scores}. "
        f"The pass mark is {mark}%; {found.passed} passed. Filled points passed, hollow ones did not."
        if points
        else f"No finished {found.code} exams yet."
    )
    return line_chart(
        points,
        title=f"{found.code} exam scores",
        description=description,
        chart_id=f"trend-{found.code}",
        top=100,
        unit="%",
        reference=mark,
        reference_label=f"Pass mark {mark}%",
        empty_text="No exams yet",
    )
