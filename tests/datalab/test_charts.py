"""The SVG charts: valid XML, text kept as text, hidden cells drawn as gaps (never as 0), every
text escaped, and the data described for screen readers."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from meldwijzer.datalab import charts
from meldwijzer.datalab.disclosure import Cell
from meldwijzer.datalab.report import Derived, Row, Table
from tests.datalab.sample_report import HIDDEN_QUARTER, TRICKY_LABEL, sample_report

SVG = "{http://www.w3.org/2000/svg}"


def _table(key: str) -> Table:
    return next(t for a in sample_report().analyses for t in a.tables if t.key == key)


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314


def test_line_chart_is_an_accessible_image_with_text():
    root = _parse(charts.line_chart(_table("kwartalen"), chart_id="g"))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "g-title g-desc"
    assert root.find(f"{SVG}title").text == "Meldingen per kwartaal"
    desc = root.find(f"{SVG}desc").text
    assert "2021-K1: Meldingen 115" in desc and f"{HIDDEN_QUARTER}: Meldingen . (P)" in desc
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "2022-K2" in texts and "Meldingen" in texts
    assert not root.findall(f".//{SVG}path"), "text is never drawn as outlines"


def test_line_chart_leaves_a_gap_for_hidden_cells():
    table = _table("kwartalen")
    root = _parse(charts.line_chart(table, chart_id="g"))
    points = root.findall(f".//{SVG}circle")
    shown = [r for r in table.rows if r.cells[0].value is not None]
    assert len(points) == len(shown), "a hidden cell gets no point"
    titles = [p.find(f"{SVG}title").text for p in points]
    assert not any(HIDDEN_QUARTER in t for t in titles)
    # The line breaks at the hidden quarters: two pieces, none passing the hidden x.
    lines = root.findall(f".//{SVG}polyline")
    assert len(lines) == 2
    # Nothing is drawn on the zero line: the lowest point is a shown count.
    base = max(float(p.get("cy")) for p in points)
    zero_y = max(
        float(line.get("y1"))
        for line in root.iter(f"{SVG}line")
        if line.get("stroke") == charts.INK and line.get("y1") == line.get("y2")
    )
    assert base < zero_y
    gaps = [g for g in root.iter(f"{SVG}g") if g.get("class") == "mw-chart__gap"]
    assert len(gaps) == 2
    assert [g.find(f"{SVG}text").text for g in gaps] == [". (P)", ". (S)"]


def test_bar_chart_leaves_out_hidden_bars_and_escapes():
    table = _table("sectoren")
    svg = str(charts.bar_chart(table, chart_id="s"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    root = _parse(svg)
    bars = root.findall(f".//{SVG}rect")
    assert len(bars) == 2, "the hidden sector has no bar (not even a bar of width 0)"
    assert all(float(b.get("width")) > 0 for b in bars)
    gap = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "mw-chart__gap")
    assert TRICKY_LABEL in gap.find(f"{SVG}title").text
    assert gap.find(f"{SVG}text").text == ". (S)"


def test_axis_labels_in_dutch_notation():
    table = Table(
        key="groot",
        title="Groot",
        description="",
        row_heading="Jaar",
        columns=("Meldingen",),
        rows=(Row("a", "2021", (Cell(12_345),)), Row("b", "2022", (Cell(9_870),))),
        chart="line",
    )
    root = _parse(charts.line_chart(table, chart_id="n"))
    texts = [t.text or "" for t in root.iter(f"{SVG}text")]
    assert "10.000" in texts
    assert not any(re.fullmatch(r"\d+,\d{3}", t) for t in texts)
    assert charts.dutch_number(1234.5, 1) == "1.234,5"


def test_no_inline_styles():
    for key in ("kwartalen", "sectoren"):
        svg = str(charts.chart(_table(key), chart_id="c"))
        assert "style=" not in svg and "<style" not in svg


def test_bar_chart_draws_a_negative_change_left_of_zero():
    table = Table(
        key="verandering",
        title="Verandering",
        description="",
        row_heading="Jaar",
        columns=("Verandering",),
        rows=(
            Row("a", "2021", (Derived(12.5, "12,5%"),)),
            Row("b", "2022", (Derived(-20.0, "-20,0%"),)),
        ),
        chart="bar",
    )
    root = _parse(charts.bar_chart(table, chart_id="v"))
    up, down = root.findall(f".//{SVG}rect")
    assert float(up.get("width")) > 0 and float(down.get("width")) > 0
    assert float(down.get("x")) + float(down.get("width")) == pytest.approx(float(up.get("x")))
    assert charts.ticks_between(-20, 12.5)[0] == -20
