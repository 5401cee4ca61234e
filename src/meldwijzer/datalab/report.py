"""The shape of what the datalab publishes: a report of analyses, each a set of protected tables.

A `Report` is built once per state of a datalab's records (`analyses.report_build`) with every
count in one `disclosure.Publication`, so every page, chart, export, PDF and API answer shows the
same protected cells. Nothing in a report is a record or a true count: counts are `Cell`s from
the publication, and derived figures (rates, percentages, medians, ranges) are `Derived` values
computed from protected counts or from counts that passed the threshold.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Literal, Protocol

from meldwijzer.datalab.disclosure import RULE, Cell


class Value(Protocol):
    """What a table cell offers: a number for charts (None when hidden), the text to show and the
    reason code when hidden."""

    @property
    def value(self) -> float | int | None: ...

    @property
    def shown(self) -> str: ...

    @property
    def reason(self) -> str: ...


@dataclass(frozen=True)
class Derived:
    """A figure computed from protected counts (a rate, a percentage, a median, a range)."""

    value: float | None
    shown: str
    reason: str = ""

    @property
    def suppressed(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    cells: tuple[Cell | Derived, ...]


ChartKind = Literal["line", "bar", "map", ""]


@dataclass(frozen=True)
class Table:
    """One table of one analysis; `chart` says how the dashboard draws it (its first numeric
    column, or every column for a line chart of several series)."""

    key: str
    title: str
    description: str
    row_heading: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    chart: ChartKind = ""
    chart_columns: tuple[int, ...] = (0,)
    """Which columns the chart draws (indexes into `columns`)."""
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Analysis:
    """The answer to one question of the regional datalab, as protected tables."""

    key: str
    title: str
    question: str
    summary: str
    tables: tuple[Table, ...]
    notes: tuple[str, ...] = ()

    @property
    def has_data(self) -> bool:
        return any(t.rows for t in self.tables)


@dataclass(frozen=True)
class SourceLine:
    name: str
    kind: str
    records: Cell
    last_import: datetime.datetime | None


@dataclass(frozen=True)
class Report:
    organisation: str
    municipality: str
    built_at: datetime.datetime
    first_day: datetime.date | None
    last_day: datetime.date | None
    sources: tuple[SourceLine, ...]
    analyses: tuple[Analysis, ...]
    rule: str = RULE
    version: str = ""
    """Changes whenever the records change: caches and exports name it."""

    def analysis(self, key: str) -> Analysis | None:
        return next((a for a in self.analyses if a.key == key), None)
