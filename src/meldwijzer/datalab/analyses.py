"""The analyses of a datalab: every question of the regional datalab that the records can
answer, counted once into one `disclosure.Publication` and returned as a protected `Report`.

How a report is made:

1. *Count* — a few dozen SQL aggregates (never a query per record, never the records in Python)
   give the true counts; each goes into the one publication under a key such as
   `("kwartaal", 2022, 3)` or `("pc4", 2022, "8302")`, and every breakdown says which total it adds
   up to (`adds_up`). Every breakdown is exhaustive ("onbekend" rows), so its parts add up to the
   period's total; a period's total is one key, `("totaal", year)`, shared by every table of that
   year, so a cell hidden in one table stays hidden in all of them.
2. *Protect* — once, for the whole report (`Publication.protect`).
3. *Publish* — every table cell is the protected cell of its key; rates, percentages and ranges
   are `Derived` from protected counts (hidden, with the same reason, when the count is hidden);
   medians and times only when their count is at least ten.

Only fixed periods are published (quarters, half-years, years), never a range a reader chooses,
so no two outputs can be subtracted to single out a few records.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, DurationField, ExpressionWrapper, F, Max, Min, QuerySet
from django.db.models.functions import ExtractQuarter, ExtractYear
from django.utils import timezone

from meldwijzer.core.routers import analysis_connection
from meldwijzer.datalab import analyses_meldcode, population
from meldwijzer.datalab.disclosure import PRIMARY, THRESHOLD, Cell, Publication
from meldwijzer.datalab.models import (
    Import,
    ImportState,
    Record,
    RecordForm,
    RecordPerson,
    ReporterRole,
    ReporterSector,
    ReportKind,
    Source,
    SourceKind,
    ViolenceForm,
    ViolenceKind,
)
from meldwijzer.datalab.report import Analysis, Derived, Report, Row, SourceLine, Table
from meldwijzer.organisations.models import Organisation

Key = Hashable
UNKNOWN = "onbekend"
OUTSIDE_LABEL = "Onbekend of buiten de gemeente"
HIDDEN = "."

ACTION_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0-5", 0, 5),
    ("6-10", 6, 10),
    ("11-28", 11, 28),
    ("29+", 29, None),
)
"""Days from report to first action (the statutory 5 and 10 working-day marks, four weeks)."""

BETWEEN_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0-90", 0, 90),
    ("91-365", 91, 365),
    ("366-730", 366, 730),
    ("731+", 731, None),
)
"""Days between two successive reports about the same person."""

EARLIER_BUCKETS = ("0", "1-2", "3-7", "8+")
"""Earlier reports about the persons in a report (seed 002: 3 to 7 earlier reports)."""

WINDOW_DAYS = {12: 365, 15: 456}
"""A new report within 12 or 15 months, counted in days (365 and 456: 15 months of 30.4 days)."""

CHILD_RATE = (20, 28)
"""Children 0-17 who are victims of child abuse in a year, per 1000 (2017 prevalence study)."""

ADULT_RATE = (8.5, 9.5)
"""Percentage of people 16+ victim of domestic violence in the past 12 months (2022 monitor:
about 9%, here with a margin of half a percentage point either way)."""


# -- formatting ---------------------------------------------------------------------------------


def number(value: float, decimals: int = 0) -> str:
    """A number in Dutch notation: 1.234,5."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def hidden_like(cell: Cell | Derived) -> Derived:
    return Derived(None, HIDDEN, cell.reason)


def rate(cell: Cell, inhabitants: int) -> Derived:
    """A protected count per 100,000 inhabitants."""
    if cell.value is None:
        return hidden_like(cell)
    if inhabitants <= 0:
        return Derived(None, "–")
    value = 100_000 * cell.value / inhabitants
    return Derived(value, number(value))


def share(part: Cell, whole: Cell) -> Derived:
    """A percentage of two protected counts; hidden when either is."""
    if part.value is None:
        return hidden_like(part)
    if whole.value is None:
        return hidden_like(whole)
    if whole.value == 0:
        return Derived(None, "–")
    value = 100 * part.value / whole.value
    return Derived(value, f"{number(value)}%")


def in_words(figure: Cell | Derived) -> str:
    """A figure inside a sentence: a hidden one is said in words, not as a lone '.'."""
    return "een verborgen aandeel" if figure.value is None else figure.shown


def change(now: Cell, before: Cell) -> Derived:
    """Change against the previous year in percent, from protected counts."""
    if now.value is None:
        return hidden_like(now)
    if before.value is None:
        return hidden_like(before)
    if before.value == 0:
        return Derived(None, "–")
    value = 100 * (now.value - before.value) / before.value
    sign = "+" if value > 0 else ""
    return Derived(value, f"{sign}{number(value)}%")


def median_of(histogram: dict[int, int]) -> float | None:
    """The median of values given as {value: how many}."""
    n = sum(histogram.values())
    if n == 0:
        return None
    ordered = sorted(histogram.items())

    def at(index: int) -> int:
        seen = 0
        for value, count in ordered:
            seen += count
            if index < seen:
                return value
        raise IndexError(index)  # pragma: no cover

    if n % 2:
        return float(at(n // 2))
    return (at(n // 2 - 1) + at(n // 2)) / 2


def median(histogram: dict[int, int], count: Cell) -> Derived:
    """A median in days, only when at least ten values make it and their count is published."""
    n = sum(histogram.values())
    if count.value is None:
        return hidden_like(count)
    if n < THRESHOLD:
        return Derived(None, HIDDEN, PRIMARY)
    value = median_of(histogram)
    assert value is not None
    return Derived(value, f"{number(value, 0 if value == int(value) else 1)} dagen")


def in_bucket(days: int, buckets: Sequence[tuple[str, int, int | None]]) -> str:
    for name, low, high in buckets:
        if days >= low and (high is None or days <= high):
            return name
    return buckets[0][0]  # negative days (a data error): the first bucket


# -- counting -------------------------------------------------------------------------------------


@dataclass
class Builder:
    """Counts for one report: the publication, the periods, and what the tables need later."""

    organisation: Organisation
    municipality: str
    publication: Publication = field(default_factory=Publication)
    years: list[int] = field(default_factory=list)
    complete_years: list[int] = field(default_factory=list)
    quarters: list[tuple[int, int]] = field(default_factory=list)
    last_day: datetime.date | None = None

    def records(self) -> QuerySet[Record]:
        return Record.objects.filter(datalab=self.organisation)

    def count(self, key: Key, value: int) -> None:
        self.publication.count(key, value)

    def partition(self, total: Key, parts: Mapping[Any, int]) -> None:
        """Count the parts of a total that is already counted, with the sum that ties them."""
        for key, value in parts.items():
            self.count(key, value)
        self.publication.adds_up(total, list(parts))

    def cell(self, key: Key) -> Cell:
        return self.publication.cell(key)

    def year_share_columns(self) -> tuple[str, ...]:
        """Column headings of a table with, per year, a count and its share of the year."""
        return tuple(column for y in self.years for column in (year_label(self, y), f"{y} %"))

    def year_share_row(self, prefix: str, key: str, label: str) -> Row:
        """A row with, per year, the count `(prefix, year, key)` and its share of the year."""
        cells: list[Cell | Derived] = []
        for y in self.years:
            cell = self.cell((prefix, y, key))
            cells += [cell, share(cell, self.cell(total_key(y)))]
        return Row(key, label, tuple(cells))

    def chart_year_index(self) -> int:
        """Which year a chart of one year draws: the last complete one (else the last)."""
        if not self.years:
            return 0
        return self.years.index((self.complete_years or self.years)[-1])


def total_key(year: int) -> tuple[str, int]:
    return ("totaal", year)


def year_label(builder: Builder, year: int) -> str:
    return str(year) if year in builder.complete_years else f"{year} (onvolledig)"


Finisher = Callable[[], Analysis]


def _periods(builder: Builder) -> Finisher:
    """Quarters, half-years and years: the totals every other table adds up to."""
    per_quarter: dict[tuple[int, int], int] = {}
    for row in (
        builder.records()
        .annotate(y=ExtractYear("reported_on"), q=ExtractQuarter("reported_on"))
        .values("y", "q")
        .annotate(n=Count("pk"))
    ):
        per_quarter[(row["y"], row["q"])] = row["n"]
    if builder.years:
        builder.quarters = [
            (y, q)
            for y in builder.years
            for q in range(1, 5)
            if (y, q) in per_quarter
            or (
                builder.last_day is not None
                and datetime.date(y, 3 * q - 2, 1) <= builder.last_day
                and y >= builder.years[0]
            )
        ]
    everything = sum(per_quarter.values())
    builder.count(("alles",), everything)
    for y in builder.years:
        quarters = {("kwartaal", y, q): per_quarter.get((y, q), 0) for q in range(1, 5)}
        builder.count(total_key(y), sum(quarters.values()))
        builder.partition(total_key(y), quarters)
        halves = {
            ("halfjaar", y, h): quarters[("kwartaal", y, 2 * h - 1)]
            + quarters[("kwartaal", y, 2 * h)]
            for h in (1, 2)
        }
        builder.partition(total_key(y), halves)
        for h in (1, 2):
            builder.publication.adds_up(
                ("halfjaar", y, h), [("kwartaal", y, 2 * h - 1), ("kwartaal", y, 2 * h)]
            )
    builder.publication.adds_up(("alles",), [total_key(y) for y in builder.years])

    def finish() -> Analysis:
        return _meldingen(builder)

    return finish


def _meldingen(builder: Builder) -> Analysis:
    quarter_rows = tuple(
        Row(f"{y}-K{q}", f"{y} kwartaal {q}", (builder.cell(("kwartaal", y, q)),))
        for y, q in builder.quarters
    )
    half_rows = tuple(
        Row(f"{y}-H{h}", f"{y} {'eerste' if h == 1 else 'tweede'} halfjaar", (cell,))
        for y in builder.years
        for h in (1, 2)
        if (y, 2 * h - 1) in builder.quarters
        for cell in [builder.cell(("halfjaar", y, h))]
    )
    year_rows = []
    for y in builder.years:
        now = builder.cell(total_key(y))
        if y - 1 in builder.complete_years and y in builder.complete_years:
            trend = change(now, builder.cell(total_key(y - 1)))
        else:
            trend = Derived(None, "–")
        year_rows.append(Row(str(y), year_label(builder, y), (now, trend)))
    inhabitants = population.of_municipality(builder.municipality)
    province = population.province_of(builder.municipality)
    compared = {(c.area, c.year): c for c in population.comparisons()}
    rate_rows = []
    sources: set[str] = set()
    for y in builder.complete_years:
        cells: list[Cell | Derived] = [rate(builder.cell(total_key(y)), inhabitants)]
        for area in (province, "Nederland"):
            found = compared.get((area, y))
            if found is None:
                cells.append(Derived(None, "–"))
            else:
                cells.append(Derived(found.per_100k, number(found.per_100k)))
                sources.add(f"{area} {y}: {found.source}")
        rate_rows.append(Row(str(y), str(y), tuple(cells)))
    shown_quarters = [c.value for r in quarter_rows for c in r.cells if c.value is not None]
    complete_quarters = [
        builder.cell(("kwartaal", y, q)).value
        for y, q in builder.quarters
        if y in builder.complete_years
    ]
    summary = "Er zijn nog geen meldingen in het datalab."
    if shown_quarters:
        mean_values = [v for v in complete_quarters if v is not None] or shown_quarters
        mean = sum(mean_values) / len(mean_values)
        peak = max(
            builder.complete_years or builder.years,
            key=lambda y: builder.cell(total_key(y)).value or 0,
        )
        summary = (
            f"Per kwartaal {number(min(shown_quarters))} tot {number(max(shown_quarters))} "
            f"meldingen, gemiddeld {number(mean)} per kwartaal in de volledige jaren; het "
            f"hoogste jaartotaal was in {peak}."
        )
    return Analysis(
        key="meldingen",
        title="Meldingen per periode",
        question=(
            "Hoeveel (her)meldingen zijn in de afgelopen vijf jaar gedaan, en hoe verhoudt dat "
            "zich per 100.000 inwoners tot de provincie en Nederland?"
        ),
        summary=summary,
        tables=(
            Table(
                key="kwartalen",
                title="Meldingen per kwartaal",
                description="Aantal meldingen per kwartaal, naar meldingsdatum.",
                row_heading="Kwartaal",
                columns=("Meldingen",),
                rows=quarter_rows,
                chart="line",
            ),
            Table(
                key="halfjaren",
                title="Meldingen per halfjaar",
                description="Aantal meldingen per halfjaar, zoals het CBS ze publiceert.",
                row_heading="Halfjaar",
                columns=("Meldingen",),
                rows=half_rows,
                chart="bar",
            ),
            Table(
                key="jaren",
                title="Meldingen per jaar",
                description=(
                    "Aantal meldingen per jaar, met de verandering ten opzichte van het vorige "
                    "volledige jaar (berekend uit de afgeronde aantallen)."
                ),
                row_heading="Jaar",
                columns=("Meldingen", "Verandering t.o.v. vorig jaar"),
                rows=tuple(year_rows),
                chart="bar",
            ),
            Table(
                key="per_100000",
                title="Meldingen per 100.000 inwoners",
                description=(
                    f"Meldingen per 100.000 inwoners in {builder.municipality} (CBS-bevolking "
                    f"2021: {number(inhabitants)}), vergeleken met {province or 'de provincie'} "
                    "en Nederland."
                ),
                row_heading="Jaar",
                columns=(builder.municipality, province or "Provincie", "Nederland"),
                rows=tuple(rate_rows),
                chart="line",
                chart_columns=(0, 1, 2),
                notes=tuple(sorted(sources)),
            ),
        ),
        notes=(
            "Alleen volledige jaren worden met elkaar vergeleken; een onvolledig jaar staat "
            "er met '(onvolledig)' bij.",
        ),
    )


def _by_year(
    builder: Builder,
    rows: Iterable[dict[str, object]],
    dimension: str,
    year_field: str = "y",
) -> dict[int, dict[str, int]]:
    result: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        year = row[year_field]
        assert isinstance(year, int)
        value = row["n"]
        assert isinstance(value, int)
        result[year][str(row[dimension] or "")] += value
    return result


def _partition_year(
    builder: Builder,
    name: str,
    counts: dict[int, dict[str, int]],
    categories: Sequence[str],
    total: Callable[[int], Key] = total_key,
) -> None:
    """Count name/year/category for every year, with an 'onbekend' part for anything else."""
    for y in builder.years:
        found = counts.get(y, {})
        parts: dict[Key, int] = {(name, y, c): found.get(c, 0) for c in categories}
        parts[(name, y, UNKNOWN)] = sum(v for c, v in found.items() if c not in categories)
        builder.partition(total(y), parts)


def _year_columns(builder: Builder) -> tuple[str, ...]:
    return tuple(year_label(builder, y) for y in builder.years)


def _wijken(builder: Builder) -> Finisher:
    areas = population.pc4_areas(builder.municipality)
    codes = [a.pc4 for a in areas]
    counts = _by_year(
        builder,
        builder.records()
        .annotate(y=ExtractYear("reported_on"))
        .values("y", "pc4")
        .annotate(n=Count("pk")),
        "pc4",
    )
    _partition_year(builder, "pc4", counts, codes)

    def finish() -> Analysis:
        rows = []
        rated = builder.complete_years
        for area in areas:
            cells: list[Cell | Derived] = [
                builder.cell(("pc4", y, area.pc4)) for y in builder.years
            ]
            cells += [rate(builder.cell(("pc4", y, area.pc4)), area.inhabitants) for y in rated]
            rows.append(Row(area.pc4, population.pc4_label(area.pc4), tuple(cells)))
        unknown: list[Cell | Derived] = [builder.cell(("pc4", y, UNKNOWN)) for y in builder.years]
        unknown += [Derived(None, "–") for _ in rated]
        rows.append(Row(UNKNOWN, OUTSIDE_LABEL, tuple(unknown)))
        inhabitants = population.of_municipality(builder.municipality)
        totals: list[Cell | Derived] = [builder.cell(total_key(y)) for y in builder.years]
        totals += [rate(builder.cell(total_key(y)), inhabitants) for y in rated]
        rows.append(Row("totaal", f"Totaal {builder.municipality}", tuple(totals)))
        columns = _year_columns(builder) + tuple(f"{y} per 100.000" for y in rated)
        chart_column = len(columns) - 1 if rated else 0
        summary = "Er zijn nog geen meldingen in het datalab."
        if rated:
            last = rated[-1]
            by_count = _top(areas, lambda a: builder.cell(("pc4", last, a.pc4)).value)
            by_rate = _top(
                areas,
                lambda a: rate(builder.cell(("pc4", last, a.pc4)), a.inhabitants).value,
            )
            summary = (
                f"In {last} kwamen de meeste meldingen uit {_names(by_count)}; per 100.000 "
                f"inwoners het meest uit {_names(by_rate)}."
            )
        return Analysis(
            key="wijken",
            title="Meldingen per wijk en dorp",
            question=(
                "Hoe ziet het aantal (her)meldingen eruit verdeeld over de wijken en dorpen?"
            ),
            summary=summary,
            tables=(
                Table(
                    key="wijken",
                    title="Meldingen per postcodegebied",
                    description=(
                        "Meldingen per viercijferige postcode van het adres, per jaar, en per "
                        "100.000 inwoners (CBS, Kerncijfers per postcode 2021). Meldingen zonder "
                        "postcode of van buiten de gemeente staan onder 'onbekend'."
                    ),
                    row_heading="Postcodegebied",
                    columns=columns,
                    rows=tuple(rows),
                    chart="map",
                    chart_columns=(chart_column,),
                ),
            ),
        )

    return finish


def _top(
    areas: Sequence[population.Area], value: Callable[[population.Area], float | int | None]
) -> list[population.Area]:
    scored = [(value(a), a) for a in areas if (value(a) or 0) > 0]
    scored.sort(key=lambda pair: (-(pair[0] or 0), pair[1].pc4))
    return [a for _, a in scored[:3]]


def _names(areas: Sequence[population.Area]) -> str:
    labels = [population.pc4_label(a.pc4) for a in areas]
    if not labels:
        return "geen gebied boven de drempel"
    if len(labels) == 1:
        return labels[0]
    return ", ".join(labels[:-1]) + " en " + labels[-1]


def _soort(builder: Builder) -> Finisher:
    kinds = [k.value for k in ReportKind]
    rows = list(
        builder.records()
        .annotate(y=ExtractYear("reported_on"))
        .values("y", "report_kind", "report_kind_derived")
        .annotate(n=Count("pk"))
    )
    counts = _by_year(builder, rows, "report_kind")
    _partition_year(builder, "soort", counts, kinds)
    derived: dict[tuple[int, str], int] = defaultdict(int)
    for row in rows:
        if row["report_kind_derived"]:
            derived[(row["y"], row["report_kind"])] += row["n"]
    for y in builder.years:
        for kind in kinds:
            whole = counts.get(y, {}).get(kind, 0)
            part = derived[(y, kind)]
            builder.partition(
                ("soort", y, kind),
                {("soort_afgeleid", y, kind): part, ("soort_geleverd", y, kind): whole - part},
            )

    def finish() -> Analysis:
        table_rows = [
            builder.year_share_row(
                "soort", kind, ReportKind(kind).label if kind != UNKNOWN else "Onbekend"
            )
            for kind in [*kinds, UNKNOWN]
        ]
        derived_rows = tuple(
            Row(
                kind,
                ReportKind(kind).label,
                tuple(builder.cell(("soort_afgeleid", y, kind)) for y in builder.years),
            )
            for kind in kinds
        )
        columns = builder.year_share_columns()
        summary = "Er zijn nog geen meldingen in het datalab."
        if builder.years:
            y = (builder.complete_years or builder.years)[-1]
            parts = [
                f"{in_words(share(builder.cell(('soort', y, k)), builder.cell(total_key(y))))} "
                f"{ReportKind(k).label.lower()}en"
                for k in kinds
            ]
            summary = f"In {y}: " + ", ".join(parts) + "."
        return Analysis(
            key="soort",
            title="Eerste meldingen, hermeldingen en vervolgmeldingen",
            question="Hoeveel meldingen waren eerste meldingen, hermeldingen of vervolgmeldingen?",
            summary=summary,
            tables=(
                Table(
                    key="soort",
                    title="Soort melding per jaar",
                    description=(
                        "Eerste melding: niemand van de betrokkenen was in de drie jaar ervoor "
                        "bekend; hermelding: wel bekend; vervolgmelding: Veilig Thuis was al "
                        "betrokken. Percentages van het jaartotaal, uit de afgeronde aantallen."
                    ),
                    row_heading="Soort melding",
                    columns=columns,
                    rows=tuple(table_rows),
                    chart="bar",
                    chart_columns=(2 * builder.chart_year_index(),),
                ),
                Table(
                    key="soort_afgeleid",
                    title="Waarvan de soort is afgeleid",
                    description=(
                        "Meldingen waarvan de bron de soort niet leverde: het datalab leidde "
                        "haar af uit eerdere meldingen over dezelfde personen."
                    ),
                    row_heading="Soort melding",
                    columns=_year_columns(builder),
                    rows=derived_rows,
                ),
            ),
        )

    return finish


def _casussen(builder: Builder) -> Finisher:
    areas = population.pc4_areas(builder.municipality)
    codes = [a.pc4 for a in areas]
    counts = _by_year(
        builder,
        builder.records()
        .filter(case_started_on__isnull=False)
        .annotate(y=ExtractYear("case_started_on"))
        .values("y", "pc4")
        .annotate(n=Count("pk")),
        "pc4",
    )
    years = builder.years

    def case_total(y: int) -> Key:
        return ("casussen", y)

    for y in years:
        builder.count(case_total(y), sum(counts.get(y, {}).values()))
    _partition_year(builder, "casus_pc4", counts, codes, total=case_total)
    all_cases = ("casussen_alles",)
    builder.count(all_cases, sum(sum(c.values()) for c in counts.values()))
    # Cases started outside the report years (a case started before the first report):
    outside = sum(sum(c.values()) for y, c in counts.items() if y not in years)
    builder.count(("casussen", "overig"), outside)
    builder.publication.adds_up(
        all_cases, [case_total(y) for y in years] + [("casussen", "overig")]
    )

    def finish() -> Analysis:
        year_rows = tuple(
            Row(str(y), year_label(builder, y), (builder.cell(case_total(y)),)) for y in years
        )
        rated = builder.complete_years
        rows = []
        for area in areas:
            cells: list[Cell | Derived] = [builder.cell(("casus_pc4", y, area.pc4)) for y in years]
            cells += [
                rate(builder.cell(("casus_pc4", y, area.pc4)), area.inhabitants) for y in rated
            ]
            rows.append(Row(area.pc4, population.pc4_label(area.pc4), tuple(cells)))
        unknown: list[Cell | Derived] = [builder.cell(("casus_pc4", y, UNKNOWN)) for y in years]
        unknown += [Derived(None, "–") for _ in rated]
        rows.append(Row(UNKNOWN, OUTSIDE_LABEL, tuple(unknown)))
        inhabitants = population.of_municipality(builder.municipality)
        totals: list[Cell | Derived] = [builder.cell(case_total(y)) for y in years]
        totals += [rate(builder.cell(case_total(y)), inhabitants) for y in rated]
        rows.append(Row("totaal", f"Totaal {builder.municipality}", tuple(totals)))
        columns = _year_columns(builder) + tuple(f"{y} per 100.000" for y in rated)
        summary = "Er zijn nog geen casussen in het datalab."
        shown = [builder.cell(case_total(y)).value for y in rated]
        if rated and all(v is not None for v in shown):
            summary = (
                f"In {rated[0]}–{rated[-1]} zijn {number(sum(v or 0 for v in shown))} casussen "
                "gestart (som van de afgeronde jaartotalen)."
            )
        return Analysis(
            key="casussen",
            title="Gestarte casussen",
            question="Hoeveel casussen zijn er in de afgelopen vijf jaar gestart?",
            summary=summary,
            tables=(
                Table(
                    key="casussen_jaren",
                    title="Gestarte casussen per jaar",
                    description="Casussen naar de dag waarop Veilig Thuis ze startte.",
                    row_heading="Jaar",
                    columns=("Casussen",),
                    rows=year_rows,
                    chart="bar",
                ),
                Table(
                    key="casussen_wijken",
                    title="Gestarte casussen per postcodegebied",
                    description="Gestarte casussen per postcodegebied en per 100.000 inwoners.",
                    row_heading="Postcodegebied",
                    columns=columns,
                    rows=tuple(rows),
                    chart="map",
                    chart_columns=(len(columns) - 1 if rated else 0,),
                ),
            ),
        )

    return finish


def _melders(builder: Builder) -> Finisher:
    roles = [r.value for r in ReporterRole]
    sectors = [s.value for s in ReporterSector if s != ReporterSector.NONE]
    rows = list(
        builder.records()
        .annotate(y=ExtractYear("reported_on"))
        .values("y", "reporter_role", "reporter_sector")
        .annotate(n=Count("pk"))
    )
    by_role = _by_year(builder, rows, "reporter_role")
    _partition_year(builder, "melder", by_role, roles)
    professional = _by_year(
        builder,
        [r for r in rows if r["reporter_role"] == ReporterRole.PROFESSIONAL],
        "reporter_sector",
    )
    _partition_year(
        builder,
        "sector",
        professional,
        sectors,
        total=lambda y: ("melder", y, ReporterRole.PROFESSIONAL.value),
    )

    def finish() -> Analysis:
        table_rows = [
            builder.year_share_row(
                "melder", role, ReporterRole(role).label if role != UNKNOWN else "Onbekend"
            )
            for role in [*roles, UNKNOWN]
        ]
        sector_rows = [
            builder.year_share_row(
                "sector",
                sector,
                ReporterSector(sector).label if sector != UNKNOWN else "Sector onbekend",
            )
            for sector in [*sectors, UNKNOWN]
        ]
        columns = builder.year_share_columns()
        last_column = (2 * builder.chart_year_index(),)
        summary = "Er zijn nog geen meldingen in het datalab."
        if builder.years:
            y = (builder.complete_years or builder.years)[-1]
            total = builder.cell(total_key(y))
            summary = (
                f"In {y} kwam "
                f"{in_words(share(builder.cell(('melder', y, 'beroepskracht')), total))}"
                f" van de meldingen van beroepskrachten: politie "
                f"{in_words(share(builder.cell(('sector', y, 'politie')), total))}, "
                f"gezondheidszorg "
                f"{in_words(share(builder.cell(('sector', y, 'gezondheidszorg')), total))}, "
                f"onderwijs {in_words(share(builder.cell(('sector', y, 'onderwijs')), total))}."
            )
        return Analysis(
            key="melders",
            title="Wie meldt",
            question=(
                "Hoeveel meldingen zijn er gedaan door professionals in de laatste vijf jaar, en "
                "hoeveel door burgers?"
            ),
            summary=summary,
            tables=(
                Table(
                    key="melders_rol",
                    title="Meldingen naar melder",
                    description="Beroepskrachten, burgers, betrokkenen zelf en anonieme melders.",
                    row_heading="Melder",
                    columns=columns,
                    rows=tuple(table_rows),
                    chart="bar",
                    chart_columns=last_column,
                ),
                Table(
                    key="melders_sector",
                    title="Meldingen van beroepskrachten naar sector",
                    description="Percentages van alle meldingen van het jaar.",
                    row_heading="Sector",
                    columns=columns,
                    rows=tuple(sector_rows),
                    chart="bar",
                    chart_columns=last_column,
                ),
            ),
        )

    return finish


def _aard(builder: Builder) -> Finisher:
    kinds = [k.value for k in ViolenceKind]
    counts = _by_year(
        builder,
        builder.records()
        .annotate(y=ExtractYear("reported_on"))
        .values("y", "violence_kind")
        .annotate(n=Count("pk")),
        "violence_kind",
    )
    _partition_year(builder, "aard", counts, kinds)
    forms = [f.value for f in ViolenceForm]
    form_counts = _by_year(
        builder,
        RecordForm.objects.filter(record__datalab=builder.organisation)
        .annotate(y=ExtractYear("record__reported_on"))
        .values("y", "form")
        .annotate(n=Count("pk")),
        "form",
    )
    for y in builder.years:
        for form in forms:
            # Not additive: one report may name several forms (no sum ties them).
            builder.count(("vorm", y, form), form_counts.get(y, {}).get(form, 0))

    def finish() -> Analysis:
        columns = builder.year_share_columns()
        kind_rows = [
            builder.year_share_row(
                "aard", kind, ViolenceKind(kind).label if kind != UNKNOWN else "Onbekend"
            )
            for kind in [*kinds, UNKNOWN]
        ]
        form_rows = tuple(
            Row(
                form,
                ViolenceForm(form).label,
                tuple(builder.cell(("vorm", y, form)) for y in builder.years),
            )
            for form in forms
        )
        summary = "Er zijn nog geen meldingen in het datalab."
        if builder.years:
            y = (builder.complete_years or builder.years)[-1]
            ranked = sorted(kinds, key=lambda k: -(builder.cell(("aard", y, k)).value or 0))[:3]
            total = builder.cell(total_key(y))
            together = [builder.cell(("aard", y, k)).value for k in ranked]
            together_share = (
                f"; samen {number(100 * sum(v or 0 for v in together) / total.value)}%"
                if total.value and all(v is not None for v in together)
                else ""
            )
            summary = (
                f"In {y} ging het het vaakst om "
                + ", dan ".join(ViolenceKind(k).label.lower() for k in ranked)
                + together_share
                + "."
            )
        return Analysis(
            key="aard",
            title="Aard van de meldingen",
            question=(
                "Hoe ziet de aard van de melding in de afgelopen vijf jaar eruit, naar soort en "
                "vorm van geweld?"
            ),
            summary=summary,
            tables=(
                Table(
                    key="aard",
                    title="Meldingen naar soort geweld",
                    description="De hoofdsoort van elke melding, zoals het CBS die indeelt.",
                    row_heading="Soort geweld",
                    columns=columns,
                    rows=tuple(kind_rows),
                    chart="bar",
                    chart_columns=(2 * builder.chart_year_index(),),
                ),
                Table(
                    key="vormen",
                    title="Vormen van geweld",
                    description=(
                        "Hoe vaak een vorm van geweld in een melding genoemd is. Eén melding "
                        "kan meer vormen noemen: de aantallen tellen niet op tot het jaartotaal."
                    ),
                    row_heading="Vorm",
                    columns=_year_columns(builder),
                    rows=form_rows,
                    chart="bar",
                    chart_columns=(builder.chart_year_index(),),
                ),
            ),
        )

    return finish


def _vendor_sql() -> tuple[Callable[[str], str], Callable[[str, str], str]]:
    """Year of a date and days between two dates, in this database's SQL."""
    if analysis_connection().vendor == "postgresql":
        return (
            lambda d: f"CAST(EXTRACT(YEAR FROM {d}) AS INTEGER)",
            lambda a, b: f"({a} - {b})",
        )
    return (
        lambda d: f"CAST(strftime('%%Y', {d}) AS INTEGER)",
        lambda a, b: f"CAST(julianday({a}) - julianday({b}) AS INTEGER)",
    )


def _person_sequences(organisation: Organisation) -> str:
    """SQL (with one parameter, the datalab) for every report per person, numbered in time."""
    record = Record._meta.db_table
    person = RecordPerson._meta.db_table
    return f"""
        WITH p AS (
            SELECT DISTINCT rp.pseudonym AS ps, r.id AS rid, r.reported_on AS day
            FROM {person} rp JOIN {record} r ON r.id = rp.record_id
            WHERE r.datalab_id = %s AND rp.pseudonym <> ''
        ), e AS (
            SELECT rid, day,
                ROW_NUMBER() OVER (PARTITION BY ps ORDER BY day, rid) - 1 AS earlier,
                LEAD(day) OVER (PARTITION BY ps ORDER BY day, rid) AS next_day
            FROM p
        )
    """  # noqa: S608 - table names from the models, the datalab as a parameter


def _doorlooptijd(builder: Builder) -> Finisher:
    action: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for row in (
        builder.records()
        .filter(first_action_on__isnull=False)
        .annotate(
            y=ExtractYear("reported_on"),
            d=ExpressionWrapper(F("first_action_on") - F("reported_on"), DurationField()),
        )
        .values("y", "d")
        .annotate(n=Count("pk"))
    ):
        days = row["d"].days if isinstance(row["d"], datetime.timedelta) else int(row["d"])
        action[row["y"]][days] += row["n"]
    year_of, days_between = _vendor_sql()
    between: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    with analysis_connection().cursor() as cursor:
        tail = (
            f"SELECT {year_of('next_day')}, {days_between('next_day', 'day')}, "  # noqa: S608
            "COUNT(*) FROM e WHERE next_day IS NOT NULL GROUP BY 1, 2"
        )
        cursor.execute(
            _person_sequences(builder.organisation) + tail,
            [builder.organisation.pk],
        )
        for year, days, n in cursor.fetchall():
            between[int(year)][int(days)] += int(n)
    names = [b[0] for b in ACTION_BUCKETS]
    for y in builder.years:
        with_action = sum(action.get(y, {}).values())
        without = builder.publication.counts[total_key(y)] - with_action
        builder.partition(
            total_key(y), {("eerste_actie", y): with_action, ("geen_eerste_actie", y): without}
        )
        buckets: dict[Key, int] = {("doorloop", y, name): 0 for name in names}
        for days, n in action.get(y, {}).items():
            buckets[("doorloop", y, in_bucket(days, ACTION_BUCKETS))] += n
        builder.partition(("eerste_actie", y), buckets)
    between_names = [b[0] for b in BETWEEN_BUCKETS]
    between_years = sorted(between)
    for y in between_years:
        builder.count(("tussen", y), sum(between[y].values()))
        parts: dict[Key, int] = {("tussen", y, name): 0 for name in between_names}
        for days, n in between[y].items():
            parts[("tussen", y, in_bucket(days, BETWEEN_BUCKETS))] += n
        builder.partition(("tussen", y), parts)

    def finish() -> Analysis:
        action_rows = []
        for y in builder.years:
            count = builder.cell(("eerste_actie", y))
            cells: list[Cell | Derived] = [count, median(dict(action.get(y, {})), count)]
            cells += [builder.cell(("doorloop", y, name)) for name in names]
            action_rows.append(Row(str(y), year_label(builder, y), tuple(cells)))
        between_rows = []
        for y in between_years:
            count = builder.cell(("tussen", y))
            cells = [count, median(dict(between[y]), count)]
            cells += [builder.cell(("tussen", y, name)) for name in between_names]
            between_rows.append(Row(str(y), str(y), tuple(cells)))
        summary = "Er zijn nog geen meldingen met een eerste actie in het datalab."
        shown = [(r.key, r.cells[1].shown) for r in action_rows if r.cells[1].value is not None]
        if shown:
            year, text = shown[-1]
            summary = f"In {year} was de mediane tijd van melding tot eerste actie {text}."
        return Analysis(
            key="doorlooptijd",
            title="Doorlooptijden",
            question=(
                "Hoe lang duurt het van melding tot eerste actie, en hoe lang zit er tussen twee "
                "meldingen over dezelfde persoon?"
            ),
            summary=summary,
            tables=(
                Table(
                    key="eerste_actie",
                    title="Dagen van melding tot eerste actie",
                    description=(
                        "Meldingen met een eerste actie, de mediaan in dagen (alleen bij ten "
                        "minste 10 meldingen) en de verdeling in dagen."
                    ),
                    row_heading="Jaar van melding",
                    columns=(
                        "Meldingen met eerste actie",
                        "Mediaan",
                        *(f"{name} dagen" for name in names),
                    ),
                    rows=tuple(action_rows),
                    chart="bar",
                    chart_columns=(1,),
                ),
                Table(
                    key="tussen_meldingen",
                    title="Dagen tussen twee meldingen over dezelfde persoon",
                    description=(
                        "Per persoon de tijd tussen een melding en de vorige melding over die "
                        "persoon, naar het jaar van de latere melding."
                    ),
                    row_heading="Jaar",
                    columns=(
                        "Opeenvolgende meldingen",
                        "Mediaan",
                        *(f"{name} dagen" for name in between_names),
                    ),
                    rows=tuple(between_rows),
                    chart="bar",
                    chart_columns=(1,),
                ),
            ),
        )

    return finish


def _herhaling(builder: Builder) -> Finisher:
    year_of, days_between = _vendor_sql()
    earlier: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    within: dict[tuple[int, int], int] = defaultdict(int)
    with analysis_connection().cursor() as cursor:
        w12 = f"{days_between('next_day', 'day')} <= {WINDOW_DAYS[12]}"
        w15 = f"{days_between('next_day', 'day')} <= {WINDOW_DAYS[15]}"
        tail = (
            ", m AS (SELECT rid, day, MAX(earlier) AS earlier, MIN(next_day) AS next_day "  # noqa: S608
            "FROM e GROUP BY rid, day) "
            f"SELECT {year_of('day')}, "
            "CASE WHEN earlier = 0 THEN '0' WHEN earlier <= 2 THEN '1-2' "
            "WHEN earlier <= 7 THEN '3-7' ELSE '8+' END, "
            f"CASE WHEN next_day IS NOT NULL AND {w12} THEN 1 ELSE 0 END, "
            f"CASE WHEN next_day IS NOT NULL AND {w15} THEN 1 ELSE 0 END, "
            "COUNT(*) FROM m GROUP BY 1, 2, 3, 4"
        )
        cursor.execute(
            _person_sequences(builder.organisation) + tail,
            [builder.organisation.pk],
        )
        for year, bucket, in12, in15, n in cursor.fetchall():
            earlier[int(year)][str(bucket)] += int(n)
            if in12:
                within[(12, int(year))] += int(n)
            if in15:
                within[(15, int(year))] += int(n)
    for y in builder.years:
        found = earlier.get(y, {})
        parts: dict[Key, int] = {("eerdere", y, b): found.get(b, 0) for b in EARLIER_BUCKETS}
        parts[("eerdere", y, UNKNOWN)] = builder.publication.counts[total_key(y)] - sum(
            found.values()
        )
        builder.partition(total_key(y), parts)
    window_years: dict[int, list[int]] = {}
    for months, days in WINDOW_DAYS.items():
        passed = [
            y
            for y in builder.years
            if builder.last_day is not None
            and y in builder.complete_years
            and datetime.date(y, 12, 31) + datetime.timedelta(days=days) <= builder.last_day
        ]
        window_years[months] = passed
        for y in passed:
            yes = within[(months, y)]
            builder.partition(
                total_key(y),
                {
                    ("opnieuw", months, y, "ja"): yes,
                    ("opnieuw", months, y, "nee"): builder.publication.counts[total_key(y)] - yes,
                },
            )
    followups = _followup_figures(builder)

    def finish() -> Analysis:
        bucket_labels = {
            "0": "Geen eerdere melding",
            "1-2": "1 of 2 eerdere meldingen",
            "3-7": "3 tot en met 7 eerdere meldingen",
            "8+": "8 of meer eerdere meldingen",
            UNKNOWN: "Onbekend (geen personen geleverd)",
        }
        columns = builder.year_share_columns()
        rows = [
            builder.year_share_row("eerdere", bucket, bucket_labels[bucket])
            for bucket in [*EARLIER_BUCKETS, UNKNOWN]
        ]
        window_rows = []
        all_window_years = sorted(set(window_years[12]) | set(window_years[15]))
        for y in all_window_years:
            cells: list[Cell | Derived] = [builder.cell(total_key(y))]
            for months in WINDOW_DAYS:
                if y in window_years[months]:
                    yes = builder.cell(("opnieuw", months, y, "ja"))
                    cells += [yes, share(yes, builder.cell(total_key(y)))]
                else:
                    cells += [Derived(None, "–"), Derived(None, "–")]
            window_rows.append(Row(str(y), str(y), tuple(cells)))
        summary = "Er zijn nog geen meldingen in het datalab."
        if builder.years:
            y = (builder.complete_years or builder.years)[-1]
            total = builder.cell(total_key(y))
            zero = builder.cell(("eerdere", y, "0"))
            unknown = builder.cell(("eerdere", y, UNKNOWN))
            if total.value and zero.value is not None and unknown.value is not None:
                had = total.value - zero.value - unknown.value
                summary = (
                    f"In {y} ging {number(100 * had / total.value)}% van de meldingen over "
                    "iemand over wie al eerder gemeld was"
                )
                several = builder.cell(("eerdere", y, "3-7"))
                if several.value is not None:
                    summary += f"; {in_words(share(several, total))} had er 3 tot en met 7"
                summary += "."
            else:
                summary = f"De cijfers over eerdere meldingen in {y} zijn afgeschermd."
        tables = [
            Table(
                key="eerdere_meldingen",
                title="Meldingen naar eerdere meldingen over dezelfde personen",
                description=(
                    "Voor elke melding: het grootste aantal eerdere meldingen in het datalab over "
                    "een van de betrokken personen (gekoppeld op pseudoniem)."
                ),
                row_heading="Eerdere meldingen",
                columns=columns,
                rows=tuple(rows),
                chart="bar",
                chart_columns=(2 * builder.chart_year_index(),),
            ),
            Table(
                key="opnieuw_gemeld",
                title="Opnieuw gemeld binnen 12 en 15 maanden",
                description=(
                    "Meldingen waarna binnen 12 (365 dagen) of 15 maanden (456 dagen) een nieuwe "
                    "melding over een van dezelfde personen volgde; alleen jaren waarvan de hele "
                    "termijn voorbij is."
                ),
                row_heading="Jaar van melding",
                columns=(
                    "Meldingen",
                    "Binnen 12 maanden",
                    "% binnen 12 maanden",
                    "Binnen 15 maanden",
                    "% binnen 15 maanden",
                ),
                rows=tuple(window_rows),
                chart="bar",
                chart_columns=(2, 4),
            ),
        ]
        tables.extend(followups())
        return Analysis(
            key="herhaling",
            title="Herhaling",
            question=(
                "Hoe vaak is er eerder gemeld over dezelfde mensen, en hoe vaak volgt binnen 12 "
                "tot 15 maanden een nieuwe melding?"
            ),
            summary=summary,
            tables=tuple(tables),
        )

    return finish


def _followup_figures(builder: Builder) -> Callable[[], list[Table]]:
    """The platform's own follow-up figures per year, protected with this publication."""
    from meldwijzer.followups.figures import figures_compute
    from meldwijzer.followups.models import FollowupPlan

    span = FollowupPlan.objects.aggregate(first=Min("starts_on"), last=Max("starts_on"))
    if span["first"] is None:
        return lambda: []
    years = list(range(span["first"].year, span["last"].year + 1))
    medians: dict[int, tuple[int, float | None]] = {}
    for y in years:
        figures = figures_compute(
            started_from=datetime.date(y, 1, 1), started_to=datetime.date(y, 12, 31)
        )
        builder.count(("nazorg", y), figures.plans)
        builder.count(("nazorg_contact", y), figures.with_contact)
        for window in figures.windows:
            builder.count(("nazorg_venster", window.months, y), window.plans)
            builder.count(("nazorg_zorgen", window.months, y), window.worried)
            builder.count(("nazorg_geen_zorgen", window.months, y), window.plans - window.worried)
            builder.publication.adds_up(
                ("nazorg_venster", window.months, y),
                [("nazorg_zorgen", window.months, y), ("nazorg_geen_zorgen", window.months, y)],
            )
        medians[y] = (figures.with_contact, figures.median_days)

    def finish() -> list[Table]:
        rows = []
        for y in years:
            cells: list[Cell | Derived] = [builder.cell(("nazorg", y))]
            for months in (12, 15):
                if ("nazorg_venster", months, y) not in builder.publication.counts:
                    cells += [Derived(None, "–")]
                    continue
                cells.append(
                    share(
                        builder.cell(("nazorg_zorgen", months, y)),
                        builder.cell(("nazorg_venster", months, y)),
                    )
                )
            with_contact, days = medians[y]
            count = builder.cell(("nazorg_contact", y))
            if count.value is None:
                cells.append(hidden_like(count))
            elif with_contact < THRESHOLD or days is None:
                cells.append(Derived(None, HIDDEN, PRIMARY))
            else:
                cells.append(Derived(days, f"{number(days)} dagen"))
            rows.append(Row(str(y), str(y), tuple(cells)))
        return [
            Table(
                key="nazorg",
                title="Nazorg in Meldwijzer",
                description=(
                    "Nazorgplannen in het platform naar startjaar: nieuwe zorgen binnen 12 en 15 "
                    "maanden (alleen plannen waarvan de termijn voorbij is) en de mediane tijd "
                    "tot het eerste contact."
                ),
                row_heading="Startjaar",
                columns=(
                    "Nazorgplannen",
                    "% nieuwe zorgen binnen 12 maanden",
                    "% nieuwe zorgen binnen 15 maanden",
                    "Mediaan tot eerste contact",
                ),
                rows=tuple(rows),
                chart="bar",
                chart_columns=(1, 2),
            )
        ]

    return finish


def _range(low: float, high: float) -> Derived:
    low_r, high_r = round(low, -1), round(high, -1)
    return Derived((low_r + high_r) / 2, f"{number(low_r)} – {number(high_r)}")


def _onzichtbaar(builder: Builder) -> Finisher:
    def finish() -> Analysis:
        children = population.children(builder.municipality)
        adults = population.adults_16(builder.municipality)
        child_range = _range(children * CHILD_RATE[0] / 1000, children * CHILD_RATE[1] / 1000)
        adult_range = _range(adults * ADULT_RATE[0] / 100, adults * ADULT_RATE[1] / 100)
        last = builder.complete_years[-1] if builder.complete_years else None
        child_reports: Cell | Derived = (
            builder.cell(("aard", last, ViolenceKind.CHILD_ABUSE.value))
            if last
            else Derived(None, "–")
        )
        partner_reports: Cell | Derived = (
            builder.cell(("aard", last, ViolenceKind.PARTNER.value)) if last else Derived(None, "–")
        )
        rows = (
            Row(
                "kinderen",
                "Kinderen 0–17 jaar: slachtoffer van kindermishandeling in een jaar",
                (Derived(children, number(round(children, -1))), child_range, child_reports),
            ),
            Row(
                "volwassenen",
                "Inwoners van 16 jaar en ouder: slachtoffer van huiselijk geweld in 12 maanden",
                (Derived(adults, number(round(adults, -1))), adult_range, partner_reports),
            ),
        )
        return Analysis(
            key="onzichtbaar",
            title="Onzichtbaar huiselijk geweld",
            question="Hoeveel onzichtbaar huiselijk geweld vindt er plaats?",
            summary=(
                f"Naar landelijke onderzoeken zijn in {builder.municipality} naar schatting "
                f"{child_range.shown} kinderen per jaar slachtoffer van kindermishandeling en "
                f"{adult_range.shown} volwassenen slachtoffer van huiselijk geweld; veel meer "
                "dan er gemeld worden."
            ),
            tables=(
                Table(
                    key="onzichtbaar",
                    title="Schatting van slachtoffers naar landelijke onderzoeken",
                    description=(
                        f"Kinderen: {CHILD_RATE[0]} tot {CHILD_RATE[1]} per 1000 kinderen van 0–17 "
                        "jaar per jaar (prevalentieonderzoek 2017). Volwassenen: ongeveer 9% van "
                        f"de inwoners van 16 jaar en ouder (monitor 2022), hier {number(ADULT_RATE[0], 1)}"
                        f" tot {number(ADULT_RATE[1], 1)}%. Afgerond op tientallen. Ter vergelijking "
                        f"de meldingen in {last or 'het laatste volledige jaar'} van "
                        "kindermishandeling en van (ex-)partnergeweld."
                    ),
                    row_heading="Groep",
                    columns=("Inwoners (CBS 2021)", "Geschatte slachtoffers", "Gemeld"),
                    rows=rows,
                ),
            ),
            notes=(
                "Benadering: de CBS-bevolking staat in klassen van vijf jaar. Kinderen van 0–17 "
                "zijn de klassen 0–4, 5–9 en 10–14 en 3/5 van 15–19; inwoners van 16 en ouder "
                "zijn 4/5 van 15–19 en alle klassen vanaf 20. Bevolking niet afgeschermd: die "
                "is openbaar.",
            ),
        )

    return finish


def _sources(builder: Builder) -> Callable[[], tuple[SourceLine, ...]]:
    sources = list(
        Source.objects.filter(datalab=builder.organisation)
        .annotate(n=Count("records"))
        .order_by("name")
    )
    last_imports = dict(
        Import.objects.filter(source__datalab=builder.organisation, state=ImportState.DONE)
        .values("source")
        .annotate(last=Max("finished_at"))
        .values_list("source", "last")
    )
    for source in sources:
        builder.count(("bron", source.pk), source.n)
    builder.publication.adds_up(("alles",), [("bron", s.pk) for s in sources])

    def finish() -> tuple[SourceLine, ...]:
        return tuple(
            SourceLine(
                name=s.name,
                kind=SourceKind(s.kind).label,
                records=builder.cell(("bron", s.pk)),
                last_import=last_imports.get(s.pk),
            )
            for s in sources
        )

    return finish


def _without_empty_rows(analysis: Analysis) -> Analysis:
    """Rows without a cell (a breakdown of no year at all) are left out, so an analysis without
    figures says so (`has_data`)."""
    tables = tuple(
        dataclasses.replace(t, rows=tuple(r for r in t.rows if r.cells)) for t in analysis.tables
    )
    return dataclasses.replace(analysis, tables=tables)


def report_build(*, organisation: Organisation, version: str) -> Report:
    """The protected report of a datalab: every analysis, counted into one publication."""
    municipality = organisation.municipality.name
    builder = Builder(organisation=organisation, municipality=municipality)
    span = builder.records().aggregate(first=Min("reported_on"), last=Max("reported_on"))
    first_day, last_day = span["first"], span["last"]
    if first_day is not None and last_day is not None:
        builder.last_day = last_day
        builder.years = list(range(first_day.year, last_day.year + 1))
        builder.complete_years = [
            y for y in builder.years if y < last_day.year or last_day >= datetime.date(y, 12, 1)
        ]
    finishers = [
        _periods(builder),
        _wijken(builder),
        _soort(builder),
        _casussen(builder),
        _melders(builder),
        _aard(builder),
        _doorlooptijd(builder),
        _herhaling(builder),
        _onzichtbaar(builder),
        analyses_meldcode.analysis(builder),
    ]
    sources = _sources(builder)
    builder.publication.protect()
    return Report(
        organisation=organisation.name,
        municipality=municipality,
        built_at=timezone.now(),
        first_day=first_day,
        last_day=last_day,
        sources=sources(),
        analyses=tuple(_without_empty_rows(finish()) for finish in finishers),
        version=version,
    )
