"""The SVG line chart of exam scores: well-formed, accessible, escaped, drawn to scale, pass and fail apart."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opsprep.web.charts import MAX_X_LABELS, Point, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup) -> ET.Element:
    return ET.fromstring(str(markup))


def scores(*values, passing=75.0):
    return [Point(f"{n} Mar", v, title=f"{n} Mar: {v}%", marked=v >= passing) for n, v in enumerate(values, 1)]


def chart(points, **options):
    options = {"title": "Scores", "description": "Two exams.", "chart_id": "s", "top": 100, "unit": "%"} | options
    return parse(line_chart(points, reference=75, reference_label="Pass mark 75%", **options))


def by_class(svg, name):
    return [e for e in svg.iter() if (e.get("class") or "").split()[:1] == [name]]


def test_named_and_described_for_screen_readers():
    svg = chart(scores(60, 80))
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "s-title s-desc"
    assert svg.find(f"{SVG}title").text == "Scores" and svg.find(f"{SVG}desc").text == "Two exams."


def test_every_point_has_a_tooltip_and_passing_ones_are_filled():
    svg = chart(scores(60, 80, 75))
    points = by_class(svg, "chart-point")
    assert [g.find(f"{SVG}title").text for g in points] == ["1 Mar: 60%", "2 Mar: 80%", "3 Mar: 75%"]
    assert [g.get("class") for g in points] == ["chart-point", "chart-point marked", "chart-point marked"]
    fills = [g.find(f"{SVG}circle").get("fill") for g in points]
    assert fills[0] == "#ffffff" and fills[1] == fills[2] != "#ffffff"  # hollow and filled read apart
    assert [t.text for t in by_class(svg, "chart-value")] == ["60%", "80%", "75%"]
    assert len(by_class(svg, "chart-line")) == 1


def test_points_and_the_pass_mark_are_drawn_to_scale():
    svg = chart(scores(0, 50, 100))
    ys = [float(g.find(f"{SVG}circle").get("cy")) for g in by_class(svg, "chart-point")]
    (reference,) = by_class(svg, "chart-reference")
    bottom, top = ys[0], ys[2]
    assert ys[1] == pytest.approx((bottom + top) / 2)
    assert float(reference.get("y1")) == pytest.approx(bottom - (bottom - top) * 0.75)
    assert [t.text for t in by_class(svg, "chart-tick")] == ["0%", "20%", "40%", "60%", "80%", "100%"]
    assert [t.text for t in by_class(svg, "chart-reference-label")] == ["Pass mark 75%"]


@given(st.lists(st.floats(0, 100), min_size=1, max_size=40))
def test_at_most_a_few_labels_and_the_last_one_always(values):
    points = [Point(f"d{i}", v) for i, v in enumerate(values)]
    labels = [t.text for t in by_class(chart(points), "chart-label")]
    assert 1 <= len(labels) <= MAX_X_LABELS and labels[-1] == f"d{len(values) - 1}"


def test_text_is_escaped():
    hostile = "<script>alert(1)</script>"
    markup = line_chart(
        [Point(hostile, 50, title=hostile)],
        title=hostile,
        description=hostile,
        chart_id='x" onload="1',
        reference=10,
        reference_label=hostile,
    )
    assert "<script>" not in markup and "&lt;script&gt;" in markup
    assert parse(markup).get("id") == "x-onload-1"


def test_an_empty_chart_says_so():
    svg = chart([], empty_text="No exams yet")
    assert [t.text for t in by_class(svg, "chart-empty")] == ["No exams yet"]
    assert by_class(svg, "chart-point") == [] and by_class(svg, "chart-line") == []
