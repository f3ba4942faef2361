"""The dashboard: every certification at a glance with the learner's study habits (a calendar of reviews
per day over the last 26 weeks and the streaks); per certification, readiness and per-domain mastery
(weakest first, each a link to study just that domain), reviews per day over the last 30 days and the due
forecast for the next 30 days as server-rendered SVG charts, and recent exams.

Counts of questions come from the engine's queue counts, as on the home and study pages: a question
serving two domains counts once.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template, url_for
from markupsafe import Markup

from opsprep.engine.stats import DayCount

from .auth import current_progress, login_required
from .charts import Bar, bar_chart
from .heatmap import day_label, day_text, study_calendar
from .resources import get_bank
from .settings_views import progress_location

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")

DAYS = 30
RECENT_EXAMS = 5


def study_url(code: str, number: int | None = None) -> str:
    """The study page of a certification, or of one of its domains (``/study/<cert>?domain=N``)."""
    return url_for("study.page", cert=code) if number is None else url_for("study.page", cert=code, domain=number)


def _day(day: date) -> str:
    return f"{day.day} {day:%b}"


@bp.get("/")
@login_required
def index() -> str:
    """Every certification at a glance (readiness and what is waiting today), and the study habits."""
    me = current_progress()
    certs = []
    for cert in get_bank().catalog:
        counts = me.counts(cert.iri)
        certs.append(
            {
                "code": cert.code,
                "label": cert.title,
                "recall": me.readiness(cert.iri).recall,
                "seen": counts.total - counts.unseen,
                "counts": counts,
                "default": cert.iri == me.info.default_cert,
                "is_exam": cert.is_exam,
            }
        )
    certs.sort(key=lambda c: not c["default"])
    habits = me.study_habits()
    return render_template(
        "dashboard/index.html",
        certs=certs,
        study_url=study_url,
        habits=habits,
        calendar=study_calendar(habits.days, title=f"Reviews per day, last {len(habits.days) // 7} weeks"),
        day_text=day_text,
        day_label=day_label,
        where=progress_location(me.info.name),
    )


@bp.get("/<cert>")
@login_required
def certification(cert: str) -> str:
    """One certification: readiness, domains weakest first, the two charts and recent exams."""
    me = current_progress()
    plan = get_bank().catalog.certification(cert)
    ready = me.readiness(plan.iri)
    domains = sorted((d for d in ready.domains if d.items), key=lambda d: (d.recall, -d.share, d.number or 0)) + [
        d for d in ready.domains if not d.items
    ]
    reviews = me.reviews_per_day(plan.iri, days=DAYS)
    forecast = me.due_forecast(plan.iri, days=DAYS)
    return render_template(
        "dashboard/certification.html",
        plan=plan,
        ready=ready,
        domains=domains,
        counts=me.counts(plan.iri),
        reviews=reviews,
        forecast=forecast,
        reviews_chart=reviews_chart(reviews),
        forecast_chart=forecast_chart(forecast),
        exams=me.attempts(plan.iri)[:RECENT_EXAMS],
        study_url=study_url,
        day=_day,
    )


def reviews_chart(series: list[DayCount]) -> Markup:
    """Answers per day, with a summary in words for screen readers."""
    total = sum(d.count for d in series)
    if total:
        busiest = max(series, key=lambda d: (d.count, d.day))
        active = sum(1 for d in series if d.count)
        summary = (
            f"{total} answers in the last {len(series)} days ({sum(d.correct for d in series)} right), "
            f"on {active} of the {len(series)} days; {series[-1].count} today; "
            f"most on {_day(busiest.day)}: {busiest.count}."
        )
    else:
        summary = f"No answers in the last {len(series)} days."
    bars = [Bar(_day(d.day), d.count, f"{_day(d.day)}: {d.count} answers, {d.correct} right") for d in series]
    return bar_chart(
        bars,
        title=f"Answers per day, last {len(series)} days",
        description=summary,
        chart_id="reviews-chart",
        empty_text="No answers yet",
    )


def forecast_chart(series: list[DayCount]) -> Markup:
    """Cards coming due per day (overdue ones on today), with a summary in words."""
    total = sum(d.count for d in series)
    week = sum(d.count for d in series[:7])
    summary = (
        f"{series[0].count} due today (overdue included), {week} in the next 7 days, "
        f"{total} in the next {len(series)} days."
        if total
        else f"Nothing falls due in the next {len(series)} days."
    )
    bars = [Bar(_day(d.day), d.count, f"{_day(d.day)}: {d.count} due") for d in series]
    return bar_chart(
        bars,
        title=f"Reviews due per day, next {len(series)} days",
        description=summary,
        chart_id="forecast-chart",
        empty_text="Nothing due yet: study some questions first",
    )
