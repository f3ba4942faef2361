"""Server-rendered SVG bar and line charts: no JavaScript, readable by screen readers, scaled to any width.

>>> from opsprep.web.charts import Bar, bar_chart
>>> svg = bar_chart([Bar("Mon", 3), Bar("Tue", 5)], title="Reviews", description="8 reviews in two days.")
>>> svg.startswith("<svg")
True

The chart is one ``<svg role="img">`` named by its ``<title>`` and described by its ``<desc>`` (say what
the chart shows in words there: assistive technology reads that, not the bars). Each bar also carries
its own ``<title>`` (a tooltip on hover), values stand above the bars and the axis is labelled with
text, so the figures can be read without telling colours or heights apart.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

__all__ = ["Bar", "Point", "bar_chart", "line_chart", "nice_ceiling"]

#: colours as SVG attributes, so the chart looks right even outside the site's stylesheet
BAR_FILL = "#0b57d0"
TEXT_FILL = "#4f5862"
GRID_STROKE = "#d3d9df"
REFERENCE_STROKE = "#a3400e"
MAX_X_LABELS = 6


@dataclass(frozen=True)
class Bar:
    """One bar: the label under it, its value, and the words a tooltip says (default: label and value)."""

    label: str
    value: float
    title: str = ""


def nice_ceiling(value: float, *, whole: bool = True) -> tuple[float, float]:
    """The top of an axis that holds ``value``, and its tick step (1, 2 or 5 times a power of ten).

    At most five steps; with ``whole`` (counts) the step is at least 1.

    >>> nice_ceiling(37)
    (40.0, 10.0)
    >>> nice_ceiling(0)
    (1.0, 1.0)
    """
    if value <= 0:
        return 1.0, 1.0
    magnitude = 10.0 ** math.floor(math.log10(value / 5))
    step = 10 * magnitude
    for factor in (1, 2, 5):
        if math.ceil(value / (factor * magnitude) - 1e-9) <= 5:
            step = factor * magnitude
            break
    if whole:
        step = max(step, 1.0)
    return round(math.ceil(value / step - 1e-9) * step, 10), round(step, 10)


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _safe_id(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-") or "chart"


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    description: str,
    chart_id: str = "chart",
    width: int = 480,
    height: int = 200,
    empty_text: str = "Nothing to show yet",
) -> Markup:
    """An SVG bar chart of ``bars`` as markup, safe to put in a Jinja template.

    ``title`` names the chart and ``description`` says what it shows in words (both required: they are
    what a screen reader announces). ``chart_id`` must be unique in the page. At most
    :data:`MAX_X_LABELS` labels are written under the bars (evenly spaced, the last one always); every
    bar keeps its own tooltip. When every value is zero the chart says ``empty_text``.
    """
    uid = _safe_id(chart_id)
    left, right, top_margin, bottom = 44, 24, 18, 30
    plot_w, plot_h = width - left - right, height - top_margin - bottom
    peak = max((b.value for b in bars), default=0)
    axis_top, step = nice_ceiling(peak)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{uid}" role="img" '
        f'viewBox="0 0 {width} {height}" preserveAspectRatio="xMidYMid meet" '
        f'aria-labelledby="{uid}-title {uid}-desc" font-family="system-ui, sans-serif" font-size="12">',
        f'<title id="{uid}-title">{escape(title)}</title>',
        f'<desc id="{uid}-desc">{escape(description)}</desc>',
    ]
    ticks = round(axis_top / step)
    for i in range(ticks + 1):
        value = i * step
        y = top_margin + plot_h - plot_h * value / axis_top
        parts.append(
            f'<line class="chart-grid" x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{GRID_STROKE}" stroke-width="1"/>'
            f'<text class="chart-tick" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{TEXT_FILL}">'
            f"{_number(value)}</text>"
        )
    if bars:
        slot = plot_w / len(bars)
        bar_w = max(slot * 0.72, 1.0)
        every = math.ceil(len(bars) / MAX_X_LABELS)
        for i, bar in enumerate(bars):
            x = left + i * slot + (slot - bar_w) / 2
            h = max(plot_h * bar.value / axis_top, 1.5) if bar.value > 0 else 0.0  # a non-zero bar stays visible
            y = top_margin + plot_h - h
            tip = bar.title or f"{bar.label}: {_number(bar.value)}"
            parts.append(
                f'<g class="chart-bar"><title>{escape(tip)}</title>'
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{BAR_FILL}" rx="1.5"/>'
            )
            if bar.value > 0 and slot >= 12:
                size = 11 if slot >= 18 else 9
                parts.append(
                    f'<text class="chart-value" x="{x + bar_w / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" '
                    f'font-size="{size}" fill="{TEXT_FILL}">{_number(bar.value)}</text>'
                )
            parts.append("</g>")
            if bar.label and ((len(bars) - 1 - i) % every == 0):
                parts.append(
                    f'<text class="chart-label" x="{x + bar_w / 2:.1f}" y="{height - bottom + 18}" '
                    f'text-anchor="middle" fill="{TEXT_FILL}">{escape(bar.label)}</text>'
                )
    if peak <= 0:
        parts.append(
            f'<text class="chart-empty" x="{left + plot_w / 2:.1f}" y="{top_margin + plot_h / 2:.1f}" '
            f'text-anchor="middle" font-size="14" fill="{TEXT_FILL}">{escape(empty_text)}</text>'
        )
    parts.append(
        f'<line class="chart-axis" x1="{left}" x2="{width - right}" y1="{top_margin + plot_h}" '
        f'y2="{top_margin + plot_h}" stroke="{TEXT_FILL}" stroke-width="1"/></svg>'
    )
    return Markup("".join(parts))


@dataclass(frozen=True)
class Point:
    """One point of a line chart: the label under it, its value, the words its tooltip says (default: label
    and value), and whether it is drawn filled (``marked``, e.g. a passing score) or hollow."""

    label: str
    value: float
    title: str = ""
    marked: bool = False


def line_chart(
    points: Sequence[Point],
    *,
    title: str,
    description: str,
    chart_id: str = "chart",
    width: int = 480,
    height: int = 200,
    top: float | None = None,
    unit: str = "",
    reference: float | None = None,
    reference_label: str = "",
    empty_text: str = "Nothing to show yet",
) -> Markup:
    """An SVG line chart of ``points`` (left to right, evenly spaced) as markup, safe to put in a template.

    ``title`` and ``description`` are what a screen reader announces, as for :func:`bar_chart`. The axis
    runs from 0 to ``top`` (default: a nice ceiling of the largest value); ``unit`` follows each value
    written over its point. ``reference`` draws a dashed level line (a pass mark) labelled
    ``reference_label``. Filled points are ``marked``, hollow ones not, so the two read apart without
    colour. Without points the chart says ``empty_text``.
    """
    uid = _safe_id(chart_id)
    left, right, top_margin, bottom = 44, 24, 18, 30
    plot_w, plot_h = width - left - right, height - top_margin - bottom
    peak = max([p.value for p in points] + [reference or 0.0], default=0.0)
    axis_top, step = nice_ceiling(top if top is not None else peak)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart line-chart" id="{uid}" role="img" '
        f'viewBox="0 0 {width} {height}" preserveAspectRatio="xMidYMid meet" '
        f'aria-labelledby="{uid}-title {uid}-desc" font-family="system-ui, sans-serif" font-size="12">',
        f'<title id="{uid}-title">{escape(title)}</title>',
        f'<desc id="{uid}-desc">{escape(description)}</desc>',
    ]

    def y_of(value: float) -> float:
        return top_margin + plot_h - plot_h * min(max(value, 0.0), axis_top) / axis_top

    for i in range(round(axis_top / step) + 1):
        value = i * step
        y = y_of(value)
        parts.append(
            f'<line class="chart-grid" x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{GRID_STROKE}" stroke-width="1"/>'
            f'<text class="chart-tick" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{TEXT_FILL}">'
            f"{_number(value)}{escape(unit)}</text>"
        )
    if reference is not None:
        y = y_of(reference)
        parts.append(
            f'<line class="chart-reference" x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{REFERENCE_STROKE}" stroke-width="1.5" stroke-dasharray="6 4"/>'
        )
        if reference_label:
            parts.append(
                f'<text class="chart-reference-label" x="{width - right}" y="{y - 5:.1f}" text-anchor="end" '
                f'fill="{REFERENCE_STROKE}">{escape(reference_label)}</text>'
            )
    slot = plot_w / max(len(points), 1)
    xs = [left + slot * (i + 0.5) for i in range(len(points))]
    if len(points) > 1:
        path = " ".join(f"{x:.1f},{y_of(p.value):.1f}" for x, p in zip(xs, points, strict=True))
        parts.append(f'<polyline class="chart-line" points="{path}" fill="none" stroke="{BAR_FILL}" stroke-width="2"/>')
    every = math.ceil(len(points) / MAX_X_LABELS) if points else 1
    for i, (x, point) in enumerate(zip(xs, points, strict=True)):
        y = y_of(point.value)
        tip = point.title or f"{point.label}: {_number(point.value)}{unit}"
        fill = BAR_FILL if point.marked else "#ffffff"
        parts.append(
            f'<g class="chart-point{" marked" if point.marked else ""}"><title>{escape(tip)}</title>'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{fill}" stroke="{BAR_FILL}" stroke-width="2"/>'
        )
        if slot >= 28:
            parts.append(
                f'<text class="chart-value" x="{x:.1f}" y="{y - 9:.1f}" text-anchor="middle" font-size="11" '
                f'fill="{TEXT_FILL}">{_number(point.value)}{escape(unit)}</text>'
            )
        parts.append("</g>")
        if point.label and (len(points) - 1 - i) % every == 0:
            parts.append(
                f'<text class="chart-label" x="{x:.1f}" y="{height - bottom + 18}" text-anchor="middle" '
                f'fill="{TEXT_FILL}">{escape(point.label)}</text>'
            )
    if not points:
        parts.append(
            f'<text class="chart-empty" x="{left + plot_w / 2:.1f}" y="{top_margin + plot_h / 2:.1f}" '
            f'text-anchor="middle" font-size="14" fill="{TEXT_FILL}">{escape(empty_text)}</text>'
        )
    parts.append(
        f'<line class="chart-axis" x1="{left}" x2="{width - right}" y1="{top_margin + plot_h}" '
        f'y2="{top_margin + plot_h}" stroke="{TEXT_FILL}" stroke-width="1"/></svg>'
    )
    return Markup("".join(parts))
