"""The study calendar (web/heatmap.py): squares by weekday and week, shades, and its words."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest

from opsprep.engine.stats import DayCount
from opsprep.web.heatmap import LEVEL_FILLS, calendar_summary, day_text, level, study_calendar

SVG = "{http://www.w3.org/2000/svg}"


def days_from(first: date, counts: list[int]) -> list[DayCount]:
    return [DayCount(first + timedelta(days=i), count) for i, count in enumerate(counts)]


@pytest.mark.parametrize(
    ("count", "peak", "shade"), [(0, 0, 0), (0, 8, 0), (1, 8, 1), (2, 8, 1), (3, 8, 2), (6, 8, 3), (7, 8, 4), (8, 8, 4)]
)
def test_shades_are_quarters_of_the_busiest_day(count, peak, shade):
    assert level(count, peak) == shade


def test_squares_sit_by_weekday_and_week_with_a_tooltip_each():
    days = days_from(date(2025, 2, 26), [0, 1, 8, 0, 0, 2, 0])  # Wednesday 26 Feb to Tuesday 4 Mar
    svg = ET.fromstring(study_calendar(days, chart_id="cal <x>"))
    assert svg.get("id") == "cal-x-" and svg.get("aria-labelledby") == "cal-x--title"
    assert svg.find(f"{SVG}desc").text == (
        "11 reviews on 3 of the last 7 days (Wed 26 Feb 2025 to Tue 4 Mar 2025); the most, 8, on Fri 28 Feb 2025."
    )
    cells = [r for r in svg.iter(f"{SVG}rect") if "calendar-day" in r.get("class")]
    assert [c.get("data-day") for c in cells] == [d.day.isoformat() for d in days]
    rows = {c.get("data-day"): (float(c.get("x")), float(c.get("y"))) for c in cells}
    assert rows["2025-03-03"][0] > rows["2025-03-02"][0]  # Monday starts a new column
    assert rows["2025-03-03"][1] < rows["2025-02-26"][1]  # Monday's row above Wednesday's
    assert cells[2].get("fill") == LEVEL_FILLS[4] and cells[0].get("fill") == LEVEL_FILLS[0]
    assert [c.find(f"{SVG}title").text for c in cells[1:3]] == [
        "1 review on Thu 27 Feb 2025",
        "8 reviews on Fri 28 Feb 2025",
    ]
    assert cells[-1].find(f"{SVG}title").text == "0 reviews on Tue 4 Mar 2025 (today)"
    months = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "calendar-month"]
    assert months == ["Mar"]  # February's label would crowd March's


def test_words_without_reviews_and_no_days():
    days = days_from(date(2025, 3, 1), [0, 0])
    assert calendar_summary(days) == "No reviews in the last 2 days (Sat 1 Mar 2025 to Sun 2 Mar 2025)."
    assert day_text(DayCount(date(2025, 3, 1), 1)) == "1 review on Sat 1 Mar 2025"
    with pytest.raises(ValueError, match="at least one day"):
        study_calendar([])
