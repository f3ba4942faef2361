"""Dashboard figures: reviews per day and the due forecast, per UTC day, scoped to a certification; study
habits (reviews per day over every certification, and streaks)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from opsprep.engine import UnknownCertification, UnknownLearner
from opsprep.engine.stats import CALENDAR_DAYS, MAX_DAYS, study_habits
from opsprep.engine.synthetic import synthetic_bank

NOW = datetime(2025, 3, 10, 15, tzinfo=UTC)


@pytest.fixture(scope="module")
def bank():
    return synthetic_bank(items=40, weights=(50.0, 50.0))


@pytest.fixture
def learner(progress):
    """Registered forty days before this module's ``NOW`` (it overrides the conftest's ``learner``)."""
    return progress.learner(progress.create_learner("ada", now=NOW - timedelta(days=40)).id)


def study(learner, when, *, right=True, domains=()):
    card = learner.next_card("SYN", domains, now=when)
    wrong = next(o.letter for o in card.presentation.options if not o.correct)
    chosen = card.presentation.correct_letters if right else [wrong]
    return learner.submit(card.item.id, card.seed, chosen, 3000, now=when, fuzz=False)


def test_no_reviews_gives_thirty_zero_days_ending_today(learner):
    series = learner.reviews_per_day("SYN", now=NOW)
    assert len(series) == 30
    assert series[-1].day == date(2025, 3, 10) and series[0].day == date(2025, 2, 9)
    assert all(d.count == 0 for d in series)
    forecast = learner.due_forecast("SYN", now=NOW)
    assert [d.day for d in forecast[:2]] == [date(2025, 3, 10), date(2025, 3, 11)] and len(forecast) == 30
    assert sum(d.count for d in forecast) == 0


def test_reviews_are_counted_on_their_utc_day(learner):
    study(learner, NOW - timedelta(days=2, hours=15))  # 8 Mar 00:00
    study(learner, NOW - timedelta(days=2, hours=14), right=False)
    study(learner, NOW - timedelta(hours=1))
    study(learner, NOW - timedelta(days=45))  # too old for the last 30 days
    series = {d.day: (d.count, d.correct) for d in learner.reviews_per_day("SYN", now=NOW)}
    assert series[date(2025, 3, 8)] == (2, 1)
    assert series[date(2025, 3, 10)] == (1, 1)
    assert sum(count for count, _ in series.values()) == 3
    week = learner.reviews_per_day("SYN", days=7, now=NOW)
    assert [d.count for d in week] == [0, 0, 0, 0, 2, 0, 1]
    assert week[-1].to_dict() == {"day": "2025-03-10", "count": 1, "correct": 1}


def test_forecast_puts_overdue_cards_on_today(learner):
    for minute in range(3):
        study(learner, NOW - timedelta(days=20) + timedelta(minutes=minute))
    # Good on a new card: due ten minutes later, so long overdue by now
    forecast = learner.due_forecast("SYN", now=NOW)
    assert [d.count for d in forecast[:2]] == [3, 0] and sum(d.count for d in forecast) == 3


def test_forecast_spreads_cards_over_the_coming_days(learner):
    for minute in range(4):
        result = study(learner, NOW + timedelta(minutes=minute), right=True)
    # answer again later the same day so the cards graduate to days ahead
    later = NOW + timedelta(hours=1)
    for minute in range(4):
        result = study(learner, later + timedelta(minutes=minute), right=True)
    forecast = learner.due_forecast("SYN", now=later)
    assert sum(d.count for d in forecast) == 4
    assert forecast[(result.due.date() - later.date()).days].count >= 1
    assert forecast[0].count < 4  # graduated cards are due on later days


def test_scoped_to_domains_and_certification(bank, learner):
    studied = [study(learner, NOW + timedelta(minutes=m), domains=["1"]).item_id for m in range(8)]
    d2 = bank.catalog.certification("SYN").domain("2").iri
    also_2 = sum(d2 in bank.get(item_id).domains for item_id in studied)
    assert 0 < also_2 < 8  # item 0 serves domains 1 and 2
    later = NOW + timedelta(hours=1)
    assert learner.reviews_per_day("SYN", ["1"], now=later)[-1].count == 8
    assert learner.reviews_per_day("SYN", ["2"], now=later)[-1].count == also_2
    assert learner.reviews_per_day("SYN", now=later)[-1].count == 8
    assert sum(d.count for d in learner.due_forecast("SYN", ["2"], now=later)) == also_2
    with pytest.raises(UnknownCertification):
        learner.reviews_per_day("OTHER", now=NOW)


@pytest.mark.parametrize("days", [0, -1, MAX_DAYS + 1, 1.5, True])
def test_bad_day_counts_are_refused(learner, days):
    with pytest.raises(ValueError, match="days must be"):
        learner.reviews_per_day("SYN", days=days, now=NOW)
    with pytest.raises(ValueError, match="days must be"):
        learner.due_forecast("SYN", days=days, now=NOW)


def test_unknown_learner(progress):
    with pytest.raises(UnknownLearner):
        progress.learner(99)


# Study habits: reviews per day over every certification, and streaks


def on_days(learner, *offsets, hour=12):
    """One right answer on each of these days before ``NOW``'s day (0 = today), at ``hour`` UTC."""
    midnight = NOW.replace(hour=0)
    for offset in offsets:
        study(learner, midnight - timedelta(days=offset) + timedelta(hours=hour))


def test_no_reviews_no_streak(learner):
    habits = learner.study_habits(now=NOW)
    assert len(habits.days) == CALENDAR_DAYS and habits.days[-1].day == date(2025, 3, 10)
    assert (habits.current_streak, habits.longest_streak, habits.studied_today, habits.total) == (0, 0, False, 0)


def test_a_streak_runs_up_to_today(learner):
    on_days(learner, 0, 1, 2, 5, 6)
    habits = learner.study_habits(now=NOW)
    assert (habits.current_streak, habits.longest_streak, habits.studied_today) == (3, 3, True)
    assert (habits.total, habits.active_days) == (5, 5)
    assert [d.count for d in habits.days[-7:]] == [1, 1, 0, 0, 1, 1, 1]


def test_a_streak_is_not_broken_before_the_day_is_over(learner):
    on_days(learner, 1, 2, 3, 4)
    habits = learner.study_habits(now=NOW)
    assert (habits.current_streak, habits.longest_streak, habits.studied_today) == (4, 4, False)
    assert learner.study_habits(now=NOW + timedelta(days=1)).current_streak == 0  # a whole day without a review


def test_the_longest_streak_reaches_back_past_the_calendar(learner):
    on_days(learner, *range(200, 190, -1), 0)  # ten days in a row long ago, then today
    habits = learner.study_habits(days=30, now=NOW)
    assert (habits.current_streak, habits.longest_streak) == (1, 10)
    assert habits.total == 1 and len(habits.days) == 30


def test_days_are_utc_days_and_later_answers_do_not_count(learner):
    on_days(learner, 1, hour=23)  # 23:00 yesterday and 01:00 today: two days
    on_days(learner, 0, hour=1)
    on_days(learner, -1)  # tomorrow (a clock that moved on): not counted now
    habits = learner.study_habits(days=7, now=NOW)
    assert [d.count for d in habits.days[-2:]] == [1, 1] and habits.total == 2
    assert (habits.current_streak, habits.longest_streak) == (2, 2)
    assert habits.to_dict()["days"][-1] == {"day": "2025-03-10", "count": 1, "correct": 1}


def test_habits_refuse_bad_day_counts_and_unknown_learners(progress, learner):
    with pytest.raises(ValueError, match="days must be"):
        learner.study_habits(days=0, now=NOW)
    with pytest.raises(UnknownLearner):
        study_habits(progress.store, 99)
