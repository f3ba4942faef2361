"""The dashboard: per certification, readiness and per-domain mastery (weakest first, each a link to study
just that domain), reviews per day over the last 30 days and the due forecast for the next 30 days as
server-rendered SVG charts, and recent exams.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, render_template, url_for
from markupsafe import Markup

from opsprep.engine import UnknownCertification, blueprint, list_attempts, queue_counts, readiness
from opsprep.engine.stats import DayCount, due_forecast, reviews_per_day
from opsprep.questions import QuestionBank

from .auth import current_learner, login_required
from .charts import Bar, bar_chart
from .db import get_synced_store
from .resources import get_bank

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")

DAYS = 30
RECENT_EXAMS = 5


def domain_number(bank: QuestionBank, domain_iri: str) -> int | None:
    """An exam domain's number in its blueprint (None when the graph gives none)."""
    thing = bank.facts.things.get(domain_iri)
    values = thing.values("domainNumber") if thing else ()
    return int(values[0]) if values and str(values[0]).isdigit() else None


def study_url(code: str, number: int | None = None) -> str:
    """The study page of a certification, or of one of its domains (``/study/<cert>?domain=N``)."""
    return url_for("study.page", cert=code) if number is None else url_for("study.page", cert=code, domain=number)


def _day(day: date) -> str:
    return f"{day.day} {day:%b}"


@bp.get("/")
@login_required
def index() -> str:
    """Every certification at a glance: readiness and what is waiting today."""
    store, bank, learner = get_synced_store(), get_bank(), current_learner()
    certs = []
    for code in bank.certification_codes():
        ready = readiness(store, bank, learner.id, code)
        certs.append(
            {
                "code": code,
                "label": bank.facts.things[ready.cert].label,
                "recall": ready.recall,
                "seen": sum(d.seen for d in ready.domains),
                "counts": queue_counts(store, bank, learner.id, code),
                "default": ready.cert == learner.default_cert,
            }
        )
    certs.sort(key=lambda c: not c["default"])
    return render_template("dashboard/index.html", certs=certs, study_url=study_url)


@bp.get("/<cert>")
@login_required
def certification(cert: str) -> str:
    """One certification: readiness, domains weakest first, the two charts and recent exams."""
    store, bank, learner = get_synced_store(), get_bank(), current_learner()
    try:
        plan = blueprint(bank, cert)
    except UnknownCertification as exc:
        abort(404, description=str(exc))
    ready = readiness(store, bank, learner.id, plan.cert)
    domains = sorted((d for d in ready.domains if d.items), key=lambda d: (d.recall, -d.share, d.number or 0)) + [
        d for d in ready.domains if not d.items
    ]
    reviews = reviews_per_day(store, bank, learner.id, plan.cert, days=DAYS)
    forecast = due_forecast(store, bank, learner.id, plan.cert, days=DAYS)
    return render_template(
        "dashboard/certification.html",
        plan=plan,
        ready=ready,
        domains=domains,
        counts=queue_counts(store, bank, learner.id, plan.cert),
        reviews=reviews,
        forecast=forecast,
        reviews_chart=reviews_chart(reviews),
        forecast_chart=forecast_chart(forecast),
        exams=list_attempts(store, bank, learner.id, plan.cert)[:RECENT_EXAMS],
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
