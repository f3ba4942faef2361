"""A server-rendered SVG study calendar: one square per day, weeks as columns, darker for more reviews.

>>> from datetime import date
>>> from opsprep.engine.stats import DayCount
>>> svg = study_calendar([DayCount(date(2025, 3, 1), 3), DayCount(date(2025, 3, 2), 0)])
>>> "3 reviews on Sat 1 Mar 2025" in svg
True

Like :mod:`.charts`, the calendar is one ``<svg role="img">`` named by its ``<title>`` and described in
words by its ``<desc>`` (``aria-labelledby``, ``aria-describedby``); each square carries its own
``<title>`` ("3 reviews on Sat 1 Mar 2025", a tooltip on hover) and the legend names the shades, so
nothing depends on telling colours apart. Pages put :func:`day_text` lines beside it as the text
alternative a keyboard or screen reader can walk.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import date, timedelta

from markupsafe import Markup, escape

from opsprep.engine.stats import DayCount

from .charts import TEXT_FILL

__all__ = ["LEVEL_FILLS", "calendar_summary", "day_label", "day_text", "level", "study_calendar"]

#: the fill of each level, none (0) to most (4): attributes, so the calendar looks right without the stylesheet
LEVEL_FILLS = ("#e4e8ec", "#b9d0f5", "#7aa7ec", "#3b78dc", "#0b4aa8")
TODAY_STROKE = "#1f2328"
CELL, GAP = 11, 2
PITCH = CELL + GAP
LEFT, TOP, RIGHT, LEGEND = 30, 16, 6, 24
WEEKDAYS = {0: "Mon", 2: "Wed", 4: "Fri"}


def day_label(day: date) -> str:
    """A day as the calendar writes it: ``Sat 1 Mar 2025``."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def day_text(entry: DayCount) -> str:
    """One day in words: ``3 reviews on Sat 1 Mar 2025``."""
    return f"{entry.count} review{'' if entry.count == 1 else 's'} on {day_label(entry.day)}"


def level(count: int, peak: int) -> int:
    """The shade of a day: 0 without reviews, else 1 to 4 in quarters of the busiest day's count."""
    if count <= 0 or peak <= 0:
        return 0
    return min(4, math.ceil(4 * count / peak))


def calendar_summary(days: Sequence[DayCount]) -> str:
    """What the calendar shows, in a sentence or two."""
    if not days:
        return "No days to show."
    total = sum(d.count for d in days)
    span = f"the last {len(days)} days ({day_label(days[0].day)} to {day_label(days[-1].day)})"
    if not total:
        return f"No reviews in {span}."
    busiest = max(days, key=lambda d: (d.count, d.day))
    active = sum(1 for d in days if d.count)
    return (
        f"{total} review{'' if total == 1 else 's'} on {active} of {span}; "
        f"the most, {busiest.count}, on {day_label(busiest.day)}."
    )


def study_calendar(
    days: Sequence[DayCount], *, title: str = "Reviews per day", chart_id: str = "study-calendar"
) -> Markup:
    """The calendar of ``days`` (one entry per day, oldest first; the last is marked as today) as SVG markup,
    safe to put in a Jinja template. ``chart_id`` must be unique in the page; raises ``ValueError`` when
    ``days`` is empty."""
    if not days:
        raise ValueError("a study calendar needs at least one day")
    chart_id = re.sub(r"[^A-Za-z0-9_-]+", "-", chart_id)
    start = days[0].day - timedelta(days=days[0].day.weekday())  # the Monday of the first week
    columns = (days[-1].day - start).days // 7 + 1
    width = LEFT + columns * PITCH + RIGHT
    height = TOP + 7 * PITCH + LEGEND
    peak = max((d.count for d in days), default=0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart study-calendar" id="{chart_id}" role="img" '
        f'viewBox="0 0 {width} {height}" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc" '
        'font-family="system-ui, sans-serif" font-size="9">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(calendar_summary(days))}</desc>',
    ]
    for row, name in WEEKDAYS.items():
        y = TOP + row * PITCH + CELL - 2
        parts.append(
            f'<text class="calendar-weekday" x="{LEFT - 4}" y="{y}" text-anchor="end" fill="{TEXT_FILL}">{name}</text>'
        )
    parts.extend(_month_labels(days, start))
    for index, entry in enumerate(days):
        offset = (entry.day - start).days
        x, y = LEFT + offset // 7 * PITCH, TOP + entry.day.weekday() * PITCH
        shade = level(entry.count, peak)
        today = index == len(days) - 1
        outline = f' stroke="{TODAY_STROKE}" stroke-width="1.5"' if today else ""
        parts.append(
            f'<rect class="calendar-day level-{shade}{" calendar-today" if today else ""}" x="{x}" y="{y}" '
            f'width="{CELL}" height="{CELL}" rx="2" fill="{LEVEL_FILLS[shade]}"{outline} '
            f'data-day="{entry.day.isoformat()}" data-count="{entry.count}">'
            f"<title>{escape(day_text(entry))}{' (today)' if today else ''}</title></rect>"
        )
    parts.extend(_legend(height - LEGEND + 8, width))
    parts.append("</svg>")
    return Markup("".join(parts))


def _month_labels(days: Sequence[DayCount], start: date) -> list[str]:
    """A month's name above the week its first day falls in (and above the first week, if there is room)."""
    labels: list[tuple[int, date]] = []
    for entry in days:
        column = (entry.day - start).days // 7
        if entry.day.day == 1 or not labels:
            if labels and column - labels[-1][0] < 3:  # too close to the label before: the later month wins
                labels.pop()
            labels.append((column, entry.day))
    return [
        f'<text class="calendar-month" x="{LEFT + column * PITCH}" y="{TOP - 5}" fill="{TEXT_FILL}">{day:%b}</text>'
        for column, day in labels
    ]


def _legend(y: int, width: int) -> list[str]:
    """The legend under the calendar, at the right: "Less", the five shades, "More"."""
    right = width - RIGHT
    first = right - 28 - len(LEVEL_FILLS) * PITCH
    parts = [
        f'<text class="calendar-legend" x="{first - 4}" y="{y + CELL - 2}" text-anchor="end" '
        f'fill="{TEXT_FILL}">Less</text>'
    ]
    for shade, fill in enumerate(LEVEL_FILLS):
        parts.append(
            f'<rect class="calendar-key level-{shade}" x="{first + shade * PITCH}" y="{y}" width="{CELL}" '
            f'height="{CELL}" rx="2" fill="{fill}"/>'
        )
    parts.append(f'<text class="calendar-legend" x="{right - 24}" y="{y + CELL - 2}" fill="{TEXT_FILL}">More</text>')
    return parts
