"""Figures for dashboards: reviews per day over the last days, and cards coming due over the next days.

Days are UTC days, as for the daily new-item limit (:func:`opsprep.engine.clock.day_start`). Both series
are scoped to a certification (and optionally some of its domains) and have one entry per day, zeros
included, oldest first, so a chart can draw them as they are.

>>> from opsprep.engine.stats import reviews_per_day, due_forecast
>>> reviews_per_day(store, bank, learner.id, "CKA", days=30)                 # doctest: +SKIP
[DayCount(day=datetime.date(2025, 2, 1), count=0, correct=0), ...]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from opsprep.questions import QuestionBank

from .clock import day_start, to_text, utc
from .items import resolve_scope, sync_items
from .learners import get_learner
from .store import Store

__all__ = ["MAX_DAYS", "DayCount", "due_forecast", "reviews_per_day"]

#: the longest series either function returns
MAX_DAYS = 366


@dataclass(frozen=True)
class DayCount:
    """How many of something fell on one UTC day (``correct``: how many of those reviews were right)."""

    day: date
    count: int
    correct: int = 0

    def to_dict(self) -> dict:
        """JSON-ready dict."""
        return {"day": self.day.isoformat(), "count": self.count, "correct": self.correct}


def _check_days(days: int) -> int:
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise ValueError(f"days must be a whole number from 1 to {MAX_DAYS}, not {days!r}")
    return days


def _window(store: Store, bank: QuestionBank, learner_id: int, cert: str, domains: Iterable[str], days: int, now):
    """Check the arguments of a per-day series; return the learner, the scope and the start of today."""
    learner = get_learner(store, learner_id)
    scope = resolve_scope(bank, cert, domains)
    _check_days(days)
    sync_items(store, bank)
    return learner, scope, day_start(utc(now))


def reviews_per_day(
    store: Store,
    bank: QuestionBank,
    learner_id: int,
    cert: str,
    domains: Iterable[str] = (),
    *,
    days: int = 30,
    now: datetime | None = None,
) -> list[DayCount]:
    """The learner's study answers per day over the last ``days`` days, today last.

    Exam answers do not count (they are not reviews). Raises ``UnknownLearner``,
    ``UnknownCertification`` or ``UnknownDomain``.
    """
    learner, scope, today = _window(store, bank, learner_id, cert, domains, days, now)
    first = today - timedelta(days=days - 1)
    condition, params = scope.sql("r")
    found = {
        day: (count, correct)
        for day, count, correct in store.tuples(
            f"""SELECT substr(r.reviewed_at, 1, 10) AS day, count(*), coalesce(sum(r.correct), 0)
                FROM reviews r WHERE r.learner_id = ? AND r.reviewed_at >= ? AND r.reviewed_at < ? AND {condition}
                GROUP BY day""",
            [learner.id, to_text(first), to_text(today + timedelta(days=1)), *params],
        )
    }
    series = []
    for offset in range(days):
        day = (first + timedelta(days=offset)).date()
        count, correct = found.get(day.isoformat(), (0, 0))
        series.append(DayCount(day, count, correct))
    return series


def due_forecast(
    store: Store,
    bank: QuestionBank,
    learner_id: int,
    cert: str,
    domains: Iterable[str] = (),
    *,
    days: int = 30,
    now: datetime | None = None,
) -> list[DayCount]:
    """How many of the learner's cards fall due on each of the next ``days`` days, today first.

    Cards already overdue count on today. New items (never answered) are not in the forecast.
    Raises ``UnknownLearner``, ``UnknownCertification`` or ``UnknownDomain``.
    """
    learner, scope, today = _window(store, bank, learner_id, cert, domains, days, now)
    condition, params = scope.sql("c")
    counts = [0] * days
    for day, count in store.tuples(
        f"""SELECT substr(c.due, 1, 10) AS day, count(*) FROM cards c
            WHERE c.learner_id = ? AND c.due < ? AND {condition} GROUP BY day""",
        [learner.id, to_text(today + timedelta(days=days)), *params],
    ):
        counts[max(0, (date.fromisoformat(day) - today.date()).days)] += count
    return [DayCount((today + timedelta(days=offset)).date(), count) for offset, count in enumerate(counts)]
