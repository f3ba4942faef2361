"""The SVG bar charts: well-formed, accessible, escaped, and drawn to scale."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opsprep.web.charts import MAX_X_LABELS, Bar, bar_chart, nice_ceiling

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


def test_named_and_described_for_screen_readers():
    svg = parse(bar_chart([Bar("Mon", 3), Bar("Tue", 5)], title="Reviews", description="8 in two days.", chart_id="r"))
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "r-title r-desc"
    assert svg.find(f"{SVG}title").text == "Reviews" and svg.find(f"{SVG}title").get("id") == "r-title"
    assert svg.find(f"{SVG}desc").text == "8 in two days." and svg.find(f"{SVG}desc").get("id") == "r-desc"
    assert svg.get("viewBox") == "0 0 480 200"


def test_every_bar_has_a_tooltip_a_value_and_labels_are_text():
    bars = [Bar("1 Mar", 2, title="1 Mar: 2 reviews"), Bar("2 Mar", 0), Bar("3 Mar", 4)]
    svg = parse(bar_chart(bars, title="t", description="d"))
    groups = svg.findall(f"{SVG}g")
    assert [g.find(f"{SVG}title").text for g in groups] == ["1 Mar: 2 reviews", "2 Mar: 0", "3 Mar: 4"]
    assert [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "chart-value"] == ["2", "4"]
    assert [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "chart-label"] == ["1 Mar", "2 Mar", "3 Mar"]


def test_bars_are_drawn_to_scale_on_a_nice_axis():
    svg = parse(bar_chart([Bar("a", 10), Bar("b", 37)], title="t", description="d"))
    heights = [float(r.get("height")) for r in svg.iter(f"{SVG}rect")]
    assert heights[1] / heights[0] == pytest.approx(3.7, rel=1e-3)
    ticks = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "chart-tick"]
    assert ticks == ["0", "10", "20", "30", "40"]


def test_text_is_escaped():
    hostile = "<script>alert(1)</script>"
    markup = bar_chart([Bar(hostile, 1, title=hostile)], title=hostile, description=hostile, chart_id='x" onload="1')
    assert "<script>" not in markup and "&lt;script&gt;" in markup
    svg = parse(markup)
    assert svg.get("id") == "x-onload-1"
    assert svg.find(f"{SVG}title").text == hostile


def test_an_empty_chart_says_so():
    svg = parse(bar_chart([Bar("a", 0), Bar("b", 0)], title="t", description="d", empty_text="No reviews yet"))
    assert [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "chart-empty"] == ["No reviews yet"]
    assert parse(bar_chart([], title="t", description="d")).find(f"{SVG}title").text == "t"


def test_long_series_keep_a_few_evenly_spaced_labels_and_the_last():
    bars = [Bar(f"d{i}", i % 3) for i in range(30)]
    labels = [t.text for t in parse(bar_chart(bars, title="t", description="d")).iter(f"{SVG}text")]
    shown = [text for text in labels if text and text.startswith("d")]
    assert len(shown) <= MAX_X_LABELS and shown[-1] == "d29"


@pytest.mark.parametrize(
    ("value", "expected"), [(0, (1, 1)), (1, (1, 1)), (5, (5, 1)), (7, (8, 2)), (37, (40, 10)), (101, (150, 50))]
)
def test_nice_ceiling(value, expected):
    assert nice_ceiling(value) == expected


@given(st.lists(st.integers(min_value=0, max_value=10_000), max_size=60))
def test_any_series_gives_well_formed_svg_within_the_plot(values):
    svg = parse(bar_chart([Bar(str(i), v) for i, v in enumerate(values)], title="t", description="d"))
    rects = list(svg.iter(f"{SVG}rect"))
    assert len(rects) == len(values)
    for rect, value in zip(rects, values, strict=True):
        y, height = float(rect.get("y")), float(rect.get("height"))
        assert height >= 0 and y >= 17.9 and y + height <= 200 - 30 + 0.1
        assert (height > 0) == (value > 0)
    top, step = nice_ceiling(max(values, default=0))
    assert top >= max(values, default=0) and top / step <= 5
