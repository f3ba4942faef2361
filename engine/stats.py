"""Figures for dashboards: reviews per day over the last days, cards coming due over the next days, and
study habits (reviews per day over every certification, and streaks of days studied in a row).

Days are UTC days, as for the daily new-item limit (:func:`opsprep.engine.clock.day_start`). The two
series are scoped to a certification (and optionally some of its domains); every series has one entry
per day, zeros included, oldest first, so a chart can draw it as it is.

>>> from opsprep.engine.stats import reviews_per_day, due_forecast, study_habits
>>> reviews_per_day(store, bank, learner.id, "CKA", days=30)                 # doctest: +SKIP
[DayCount(day=datetime.date(2025, 2, 1), count=0, correct=0), ...]
>>> study_habits(store, learner.id).current_streak                          # doctest: +SKIP
3
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

__all__ = ["CALENDAR_DAYS", "MAX_DAYS", "DayCount", "StudyHabits", "due_forecast", "reviews_per_day", "study_habits"]

#: the longest series a function here returns
MAX_DAYS = 366
#: the days a study calendar covers by default: 26 weeks, about six months
CALENDAR_DAYS = 182


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
    return _series(found, first, days)


def _series(found: dict[str, tuple[int, int]], first: datetime, days: int) -> list[DayCount]:
    """One :class:`DayCount` per day from ``first`` on, from (count, correct) by ISO date (zero when missing)."""
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


@dataclass(frozen=True)
class StudyHabits:
    """When a learner studies: answers per day over every certification (oldest first, today last), and
    streaks, runs of days in a row with at least one answer. The current streak is the run that ends today,
    or yesterday while today has no answer yet (it is not broken before the day is over)."""

    days: tuple[DayCount, ...]
    current_streak: int
    longest_streak: int  # the longest run ever, not only within ``days``
    studied_today: bool

    @property
    def total(self) -> int:
        """Answers over the days of the series."""
        return sum(d.count for d in self.days)

    @property
    def active_days(self) -> int:
        """Days of the series with at least one answer."""
        return sum(1 for d in self.days if d.count)

    def to_dict(self) -> dict:
        """JSON-ready dict."""
        return {
            "days": [d.to_dict() for d in self.days],
            "current_streak": self.current_streak,
            "longest_streak": self.longest_streak,
            "studied_today": self.studied_today,
        }


def study_habits(
    store: Store, learner_id: int, *, days: int = CALENDAR_DAYS, now: datetime | None = None
) -> StudyHabits:
    """The learner's answers per day over the last ``days`` days in every certification, and their streaks.

    Exam answers do not count (they are not reviews), nor answers stamped after ``now``. Needs no
    question bank. Raises ``UnknownLearner``, or ``ValueError`` for a bad ``days``.
    """
    learner = get_learner(store, learner_id)
    _check_days(days)
    today = day_start(utc(now))
    first = today - timedelta(days=days - 1)
    end = to_text(today + timedelta(days=1))
    found = {
        day: (count, correct)
        for day, count, correct in store.tuples(
            """SELECT substr(reviewed_at, 1, 10) AS day, count(*), coalesce(sum(correct), 0) FROM reviews
               WHERE learner_id = ? AND reviewed_at >= ? AND reviewed_at < ? GROUP BY day""",
            [learner.id, to_text(first), end],
        )
    }
    # every day with a review, newest first, for the streaks: one index seek per day (the day before the
    # last one found), not a scan of the whole review log
    studied = [
        date.fromisoformat(day)
        for (day,) in store.tuples(
            """WITH RECURSIVE studied(day) AS (
                   SELECT substr(max(reviewed_at), 1, 10) FROM reviews WHERE learner_id = ? AND reviewed_at < ?
                   UNION ALL
                   SELECT (SELECT substr(max(r.reviewed_at), 1, 10) FROM reviews r
                           WHERE r.learner_id = ? AND r.reviewed_at < studied.day)
                   FROM studied WHERE studied.day IS NOT NULL)
               SELECT day FROM studied WHERE day IS NOT NULL""",
            [learner.id, end, learner.id],
        )
    ][::-1]
    current, longest = _streaks(studied, today.date())
    studied_today = bool(studied) and studied[-1] == today.date()
    return StudyHabits(tuple(_series(found, first, days)), current, longest, studied_today)


def _streaks(studied: list[date], today: date) -> tuple[int, int]:
    """The current and the longest run of consecutive days among ``studied`` (ascending, none after today)."""
    longest = run = 0
    previous: date | None = None
    for day in studied:
        run = run + 1 if previous is not None and (day - previous).days == 1 else 1
        longest = max(longest, run)
        previous = day
    current = run if previous is not None and (today - previous).days <= 1 else 0
    return current, longest
