"""Charts of the datalab's protected tables as hand-written SVG, inline in the page and the PDF.

Every chart is an image with a text alternative: `<svg role="img" aria-labelledby>` with a
`<title>` and a `<desc>` that says what the data are, a `<title>` per point or bar, and the data
table beneath it on the page. Text stays text (no outlines), numbers are in Dutch notation and
colours are presentation attributes (the Content-Security-Policy forbids inline styles).

A hidden cell is never drawn as zero: a line breaks at it and a bar is left out, and a '.' with the
reason code marks the place, as CBS shows suppressed cells.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from meldwijzer.datalab.disclosure import SUPPRESSED
from meldwijzer.datalab.report import Table

COLOURS = ("#24578f", "#b3261e", "#1e6b3a", "#6b3fa0", "#8a5a00")
"""Series colours: each has a contrast of at least 4.5:1 on white."""
DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2")
"""Series also differ in dash pattern, so colour is never the only difference."""
INK = "#1a1a1a"
GRID = "#767676"
GAP = "#555555"
FONT = "Liberation Sans, DejaVu Sans, Arial, sans-serif"


def dutch_number(value: float, decimals: int = 0) -> str:
    """1234.5 -> '1.234,5' (Dutch notation)."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """Round tick values from 0 up to at least `top`."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    ticks = [0.0]
    while ticks[-1] < top:
        ticks.append(ticks[-1] + step)
    return ticks


def ticks_between(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering low..high and 0 (for bars that may be negative: a change)."""
    low, high = min(low, 0.0), max(high, 0.0)
    if low == 0:
        return nice_ticks(high, count)
    step = nice_ticks(high - low, count)[1]
    first = math.floor(low / step) * step
    ticks = [first]
    while ticks[-1] < high:
        ticks.append(ticks[-1] + step)
    return ticks


def _decimals(ticks: Sequence[float]) -> int:
    return 0 if all(float(t).is_integer() for t in ticks) else 1


def _text(x: float, y: float, content: str, *, anchor: str = "start", size: int = 12) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
        f'fill="{INK}">{escape(content)}</text>'
    )


def _frame(chart_id: str, width: int, height: int, title: str, desc: str, body: str) -> SafeString:
    return mark_safe(  # noqa: S308 - every text in body and here is escaped
        f'<svg xmlns="http://www.w3.org/2000/svg" class="mw-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'font-family="{FONT}" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'id="{chart_id}">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>{body}</svg>'
    )


def _described(table: Table, columns: Sequence[int]) -> str:
    """The data in words, for the `<desc>`: every row with its shown values."""
    parts = []
    for row in table.rows:
        values = ", ".join(
            f"{table.columns[c]} {_shown(row.cells[c].shown, row.cells[c].reason)}"
            for c in columns
            if c < len(row.cells)
        )
        parts.append(f"{row.label}: {values}")
    hidden = any(row.cells[c].value is None for row in table.rows for c in columns)
    note = " Een punt is een verborgen aantal; de lijn of staaf ontbreekt daar." if hidden else ""
    return f"{table.description} " + "; ".join(parts) + "." + note


def _shown(shown: str, reason: str) -> str:
    return f"{SUPPRESSED} ({reason})" if shown == SUPPRESSED and reason else shown


def bar_chart(table: Table, *, chart_id: str) -> SafeString:
    """Horizontal bars, one per row, for the table's first chart column."""
    column = table.chart_columns[0] if table.chart_columns else 0
    label_width, bar_area, row_height, top = 230, 300, 26, 12
    width = label_width + bar_area + 70
    values = [row.cells[column].value if column < len(row.cells) else None for row in table.rows]
    shown_values = [v for v in values if v is not None]
    ticks = ticks_between(min(shown_values, default=0), max(shown_values, default=0))
    scale = bar_area / (ticks[-1] - ticks[0])
    zero = label_width + (0 - ticks[0]) * scale
    decimals = _decimals(ticks)
    height = top + row_height * max(len(table.rows), 1) + 34
    axis_y = top + row_height * len(table.rows)
    body = []
    for tick in ticks:
        x = label_width + (tick - ticks[0]) * scale
        body.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{axis_y}" stroke="{GRID}" '
            f'stroke-width="0.5" stroke-dasharray="2 3"/>'
        )
        body.append(_text(x, axis_y + 16, dutch_number(tick, decimals), anchor="middle", size=11))
    body.append(
        _text(
            label_width + bar_area / 2, axis_y + 31, table.columns[column], anchor="middle", size=11
        )
    )
    for index, (row, value) in enumerate(zip(table.rows, values, strict=True)):
        y = top + index * row_height
        label = row.label if len(row.label) <= 34 else row.label[:33] + "…"
        body.append(_text(label_width - 8, y + 17, label, anchor="end"))
        cell = row.cells[column] if column < len(row.cells) else None
        if value is None:
            reason = cell.reason if cell is not None else ""
            body.append(
                f'<g class="mw-chart__gap"><title>{escape(row.label)}: {SUPPRESSED} '
                f"{escape(reason)} (verborgen)</title>"
                + _text(label_width + 6, y + 17, _shown(SUPPRESSED, reason))
                + "</g>"
            )
            continue
        bar = abs(value) * scale
        start = zero if value >= 0 else zero - bar
        shown = cell.shown if cell is not None else dutch_number(value)
        body.append(
            f'<g class="mw-chart__bar"><title>{escape(row.label)}: {escape(shown)}</title>'
            f'<rect x="{start:.1f}" y="{y + 4}" width="{bar:.1f}" height="{row_height - 8}" '
            f'fill="{COLOURS[0]}"/>' + _text(max(zero, start + bar) + 5, y + 17, shown) + "</g>"
        )
    body.append(f'<line x1="{zero:.1f}" y1="{top}" x2="{zero:.1f}" y2="{axis_y}" stroke="{INK}"/>')
    return _frame(chart_id, width, height, table.title, _described(table, [column]), "".join(body))


def line_chart(table: Table, *, chart_id: str) -> SafeString:
    """One line per chart column across the rows (periods); a hidden cell breaks its line."""
    columns = [c for c in table.chart_columns if c < len(table.columns)] or [0]
    left, right, top, plot_height = 62, 20, 16, 220
    step = 48 if len(table.rows) <= 12 else 30
    plot_width = max(step * max(len(table.rows) - 1, 1), 560)
    legend_height = 22 * len(columns)
    width = left + plot_width + right
    height = top + plot_height + 58 + legend_height
    values = [[r.cells[c].value if c < len(r.cells) else None for r in table.rows] for c in columns]
    ticks = nice_ticks(max((v for series in values for v in series if v is not None), default=0))
    decimals = _decimals(ticks)
    base = top + plot_height

    def x_at(index: int) -> float:
        if len(table.rows) <= 1:
            return left + plot_width / 2
        return left + index * plot_width / (len(table.rows) - 1)

    def y_at(value: float) -> float:
        return base - value / ticks[-1] * plot_height

    body = []
    for tick in ticks:
        y = y_at(tick)
        body.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_width}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="0.5" stroke-dasharray="2 3"/>'
        )
        body.append(_text(left - 6, y + 4, dutch_number(tick, decimals), anchor="end", size=11))
    body.append(
        f'<line x1="{left}" y1="{base}" x2="{left + plot_width}" y2="{base}" stroke="{INK}"/>'
    )
    # Label every n-th row, so the labels (about 6 px a character) never overlap.
    label_width = 6.2 * max((len(row.label) for row in table.rows), default=1) + 10
    every = max(1, math.ceil(len(table.rows) * label_width / (plot_width + label_width)))
    for index, row in enumerate(table.rows):
        if index % every == 0:
            body.append(_text(x_at(index), base + 16, row.label, anchor="middle", size=11))
    for number, (column, series) in enumerate(zip(columns, values, strict=True)):
        colour, dash = COLOURS[number % len(COLOURS)], DASHES[number % len(DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        segments: list[list[tuple[float, float]]] = [[]]
        for index, value in enumerate(series):
            if value is None:
                if segments[-1]:
                    segments.append([])
                continue
            segments[-1].append((x_at(index), y_at(value)))
        for segment in segments:
            if len(segment) > 1:
                points = " ".join(f"{x:.1f},{y:.1f}" for x, y in segment)
                body.append(
                    f'<polyline class="mw-chart__line" points="{points}" fill="none" '
                    f'stroke="{colour}" stroke-width="2.5"{dash_attr}/>'
                )
        name = table.columns[column]
        for index, (row, value) in enumerate(zip(table.rows, series, strict=True)):
            cell = row.cells[column] if column < len(row.cells) else None
            x = x_at(index)
            if value is None:
                reason = cell.reason if cell is not None else ""
                body.append(
                    f'<g class="mw-chart__gap"><title>{escape(name)}, {escape(row.label)}: '
                    f"{SUPPRESSED} {escape(reason)} (verborgen)</title>"
                    + _text(x, base - 6 - 14 * number, _shown(SUPPRESSED, reason), anchor="middle")
                    + "</g>"
                )
                continue
            shown = cell.shown if cell is not None else dutch_number(value)
            body.append(
                f'<circle class="mw-chart__point" cx="{x:.1f}" cy="{y_at(value):.1f}" r="4" '
                f'fill="{colour}"><title>{escape(name)}, {escape(row.label)}: '
                f"{escape(shown)}</title></circle>"
            )
        legend_y = base + 40 + 22 * number
        body.append(
            f'<line x1="{left}" y1="{legend_y - 4}" x2="{left + 28}" y2="{legend_y - 4}" '
            f'stroke="{colour}" stroke-width="2.5"{dash_attr}/>' + _text(left + 36, legend_y, name)
        )
    return _frame(chart_id, width, height, table.title, _described(table, columns), "".join(body))


def chart(table: Table, *, chart_id: str) -> SafeString:
    """The chart the table asks for (`Table.chart`); nothing for a map (see `maps`) or none."""
    if not table.rows:
        return mark_safe("")
    if table.chart == "line":
        return line_chart(table, chart_id=chart_id)
    if table.chart == "bar":
        return bar_chart(table, chart_id=chart_id)
    return mark_safe("")
