"""A choropleth of the municipality's 4-digit postcode areas, shaded by reports per 100,000.

The polygons are CBS's 4-digit postcode areas of Noordoostpolder (source: CBS, "Kerncijfers per
postcode", PC4 boundaries 2021, in RD New — EPSG:28992, metres; copied from the project's shared
`data/cbs-pc4/noordoostpolder_pc4_rd.geojson`, see `data/BRON.md`). They are projected to SVG by
scaling and flipping y (RD's y grows northwards), once per process (`functools.cache`).

An area's shade comes from the `wijken` table of the protected report: its rate per 100,000, in
five classes with their bounds in the legend. An area whose count is hidden or that has no row is
grey with a '.', never the lightest class; every area has a `<title>` with postcode, place, count
and rate. Colours are presentation attributes (the Content-Security-Policy forbids inline styles).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from meldwijzer.datalab.charts import FONT, INK, dutch_number
from meldwijzer.datalab.disclosure import SUPPRESSED
from meldwijzer.datalab.report import Derived, Row, Table

GEOJSON = Path(__file__).parent / "data" / "noordoostpolder_pc4_rd.geojson"

PLACES: dict[str, str] = {
    "8301": "Emmeloord-Noord",
    "8302": "Emmeloord-Centrum",
    "8303": "Emmeloord-Espelervaart en Revelsant",
    "8304": "Emmeloord-Zuid",
    "8305": "Emmeloord-Oost",
    "8307": "Ens",
    "8308": "Nagele",
    "8309": "Tollebeek",
    "8311": "Espel",
    "8312": "Creil",
    "8313": "Rutten",
    "8314": "Bant",
    "8315": "Luttelgeest",
    "8316": "Marknesse",
    "8317": "Kraggenburg",
    "8319": "Schokland",
}
"""The place (or part of Emmeloord) of each postcode area, as the regional report names them."""

SHADES = ("#deebf7", "#9ecae1", "#4292c6", "#2171b5", "#08306b")
"""Five classes, light to dark (ColorBrewer Blues); labels on the two darkest are white."""
MISSING = "#c6c6c6"
WIDTH = 640
MARGIN = 10
LABEL_MIN = 34.0
"""An area gets a place label only when its box is at least this wide (px)."""


@dataclass(frozen=True)
class Area:
    postcode: str
    path: str
    label_x: float
    label_y: float
    width: float


@functools.cache
def areas() -> tuple[tuple[Area, ...], int]:
    """The projected postcode areas and the map's height in px (read and projected once)."""
    features = json.loads(GEOJSON.read_text(encoding="utf-8"))["features"]
    xs = [
        pt[0]
        for f in features
        for poly in f["geometry"]["coordinates"]
        for ring in poly
        for pt in ring
    ]
    ys = [
        pt[1]
        for f in features
        for poly in f["geometry"]["coordinates"]
        for ring in poly
        for pt in ring
    ]
    min_x, max_x, min_y, max_y = min(xs), max(xs), min(ys), max(ys)
    scale = (WIDTH - 2 * MARGIN) / (max_x - min_x)
    height = round((max_y - min_y) * scale + 2 * MARGIN)

    def project(point: list[float]) -> tuple[float, float]:
        return MARGIN + (point[0] - min_x) * scale, MARGIN + (max_y - point[1]) * scale

    result = []
    for feature in features:
        postcode = str(feature["properties"]["postcode"])
        parts, best, best_area = [], None, -1.0
        for polygon in feature["geometry"]["coordinates"]:
            for ring in polygon:
                points = [project(p) for p in ring]
                parts.append("M" + " L".join(f"{x:.1f} {y:.1f}" for x, y in points) + " Z")
            outer = [project(p) for p in polygon[0]]
            area = abs(_shoelace(outer))
            if area > best_area:
                best, best_area = outer, area
        assert best is not None
        cx, cy = _centroid(best)
        width = max(x for x, _ in best) - min(x for x, _ in best)
        result.append(Area(postcode, " ".join(parts), cx, cy, width))
    return tuple(result), height


def _shoelace(points: list[tuple[float, float]]) -> float:
    return (
        sum(
            x1 * y2 - x2 * y1
            for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True)
        )
        / 2
    )


def _centroid(points: list[tuple[float, float]]) -> tuple[float, float]:
    area = _shoelace(points)
    if abs(area) < 1e-9:
        return sum(x for x, _ in points) / len(points), sum(y for _, y in points) / len(points)
    pairs = zip(points, points[1:] + points[:1], strict=True)
    cx = cy = 0.0
    for (x1, y1), (x2, y2) in pairs:
        cross = x1 * y2 - x2 * y1
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    return cx / (6 * area), cy / (6 * area)


def rate_column(table: Table) -> int:
    """The column the map shades by: the table's chart column (a rate per 100,000)."""
    return table.chart_columns[0] if table.chart_columns else 0


def count_column(table: Table, rate_at: int) -> int | None:
    """The count beside the rate: the column the rate's heading starts with ('2022' for
    '2022 per 100.000'), else the nearest count (a published `Cell`) before it."""
    if not table.rows:
        return None
    heading = table.columns[rate_at] if rate_at < len(table.columns) else ""
    stem = heading.split(" per ")[0].strip()
    if stem and stem != heading and stem in table.columns:
        return table.columns.index(stem)
    cells = table.rows[0].cells
    before = [i for i, cell in enumerate(cells) if not isinstance(cell, Derived) and i < rate_at]
    if before:
        return before[-1]
    counts = [i for i, cell in enumerate(cells) if not isinstance(cell, Derived)]
    return counts[0] if counts else None


def class_bounds(rates: list[float]) -> list[float]:
    """Six bounds of five equal classes from the lowest to the highest shown rate."""
    if not rates:
        return []
    low, high = min(rates), max(rates)
    if high == low:
        high = low + 1
    step = (high - low) / len(SHADES)
    return [low + step * i for i in range(len(SHADES) + 1)]


def shade(rate: float, bounds: list[float]) -> int:
    for index in range(len(SHADES)):
        if rate <= bounds[index + 1]:
            return index
    return len(SHADES) - 1


def _place(postcode: str, row: Row | None) -> str:
    return PLACES.get(postcode, row.label if row is not None else "")


def choropleth(table: Table, *, chart_id: str, standalone: bool = False) -> SafeString:
    """The map of the table's rows by postcode (row key), shaded by the rate per 100,000."""
    shapes, height = areas()
    rows = {row.key: row for row in table.rows}
    rate_at = rate_column(table)
    count_at = count_column(table, rate_at)
    rate_name = table.columns[rate_at] if rate_at < len(table.columns) else ""
    count_name = table.columns[count_at] if count_at is not None else ""
    rates = [
        float(v)
        for row in table.rows
        if rate_at < len(row.cells) and (v := row.cells[rate_at].value) is not None
    ]
    bounds = class_bounds(rates)
    legend_top = height + 16
    total_height = legend_top + 24 * (len(SHADES) + 1) + 10
    body, labels, described = [], [], []
    for area in shapes:
        row = rows.get(area.postcode)
        place = _place(area.postcode, row)
        count = row.cells[count_at] if row is not None and count_at is not None else None
        rate = row.cells[rate_at] if row is not None and rate_at < len(row.cells) else None
        count_text = count.shown if count is not None else "geen gegevens"
        if count is not None and count.value is None and count.reason:
            count_text = f"{SUPPRESSED} ({count.reason})"
        rate_text = rate.shown if rate is not None and rate.value is not None else SUPPRESSED
        rate_value = rate.value if rate is not None else None
        hidden = rate_value is None or not bounds
        fill = MISSING if rate_value is None or not bounds else SHADES[shade(rate_value, bounds)]
        title = f"{area.postcode} {place} – {count_name}: {count_text}; {rate_name}: {rate_text}"
        described.append(title)
        body.append(
            f'<path class="mw-map__area" d="{area.path}" fill="{fill}" stroke="#ffffff" '
            f'stroke-width="1" fill-rule="evenodd"><title>{escape(title)}</title></path>'
        )
        dark = not hidden and fill in SHADES[3:]
        colour = "#ffffff" if dark else INK
        halo = INK if dark else "#ffffff"
        text = SUPPRESSED if hidden else ""
        if area.width >= LABEL_MIN:
            name = place.split("-")[-1] if place.startswith("Emmeloord-") else place
            name = name.split(" en ")[0]
            text = f"{name} {SUPPRESSED}" if hidden else name
        if text:
            labels.append(
                f'<text x="{area.label_x:.1f}" y="{area.label_y:.1f}" text-anchor="middle" '
                f'font-size="11" fill="{colour}" stroke="{halo}" stroke-width="2.5" '
                f'paint-order="stroke" aria-hidden="true">{escape(text)}</text>'
            )
    legend = [
        f'<text x="{MARGIN}" y="{legend_top}" font-size="12" fill="{INK}" font-weight="bold">'
        f"{escape(rate_name)}</text>"
    ]
    # Whole numbers when the classes are wide enough to tell apart without decimals.
    wide = len(bounds) > 1 and bounds[1] - bounds[0] >= 5
    decimals = 0 if wide or all(b.is_integer() for b in bounds) else 1
    for index, colour in enumerate(SHADES if bounds else ()):
        y = legend_top + 10 + 24 * index
        legend.append(
            f'<rect x="{MARGIN}" y="{y}" width="22" height="16" fill="{colour}" stroke="{INK}" '
            f'stroke-width="0.5"/><text x="{MARGIN + 30}" y="{y + 13}" font-size="12" '
            f'fill="{INK}">{dutch_number(bounds[index], decimals)} tot en met '
            f"{dutch_number(bounds[index + 1], decimals)}</text>"
        )
    y = legend_top + 10 + 24 * (len(SHADES) if bounds else 0)
    legend.append(
        f'<rect x="{MARGIN}" y="{y}" width="22" height="16" fill="{MISSING}" stroke="{INK}" '
        f'stroke-width="0.5"/><text x="{MARGIN + 30}" y="{y + 13}" font-size="12" '
        f'fill="{INK}">{SUPPRESSED} verborgen of geen gegevens</text>'
    )
    desc = f"{table.description} " + "; ".join(described) + "."
    namespace = ' xmlns="http://www.w3.org/2000/svg"'
    return mark_safe(  # noqa: S308 - every text is escaped
        f'<svg{namespace} class="mw-map" role="img" viewBox="0 0 {WIDTH} {total_height}" '
        f'width="{WIDTH}" height="{total_height}" font-family="{FONT}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" id="{chart_id}">'
        f'<title id="{chart_id}-title">{escape(table.title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
        + (
            ""
            if not standalone
            else f'<rect width="{WIDTH}" height="{total_height}" fill="#ffffff"/>'
        )
        + "".join(body)
        + "".join(labels)
        + "".join(legend)
        + "</svg>"
    )
