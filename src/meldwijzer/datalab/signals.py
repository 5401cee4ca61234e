"""The datalab's figures for a signaaloverleg (`coordination.conferences.signal_figures`).

A few trend figures of the organiser's region, read from the protected report (`report_get`):
the reports in the last complete quarter against the quarterly mean, the postcode area with the
most reports per 100,000 inhabitants in the last complete year, and the share of re-reports.
Every number is a published cell or computed from published cells; a hidden cell stays hidden.

The datalab is the organiser's own when it has records; otherwise the datalab of the organiser's
municipality (a municipality's policy team keeps it; a wijkteam in that municipality discusses its
figures). No datalab with records: no figures.
"""

from __future__ import annotations

import datetime

from meldwijzer.coordination.conferences import SignalFigure
from meldwijzer.coordination.models import Conference
from meldwijzer.datalab import selectors
from meldwijzer.datalab.analyses import number
from meldwijzer.datalab.models import Record
from meldwijzer.datalab.report import Report, Table
from meldwijzer.organisations.models import Organisation

SOURCE = "datalab, beveiligd tegen onthulling"


def datalab_of(organisation: Organisation) -> Organisation | None:
    """The datalab whose figures an organisation's signaaloverleg discusses."""
    if Record.objects.filter(datalab=organisation).exists():
        return organisation
    found = (
        Record.objects.filter(datalab__municipality=organisation.municipality)
        .order_by("datalab__name")
        .values_list("datalab", flat=True)
        .first()
    )
    return Organisation.objects.get(pk=found) if found is not None else None


def _table(report: Report, analysis: str, key: str) -> Table | None:
    found = report.analysis(analysis)
    if found is None:
        return None
    return next((t for t in found.tables if t.key == key), None)


def _quarter_end(key: str) -> datetime.date:
    year, quarter = key.split("-K")
    month = 3 * int(quarter)
    following = datetime.date(int(year) + (month == 12), month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def _quarter(report: Report) -> SignalFigure | None:
    table = _table(report, "meldingen", "kwartalen")
    if table is None or report.last_day is None:
        return None
    complete = [r for r in table.rows if _quarter_end(r.key) <= report.last_day]
    shown = [r.cells[0].value for r in complete if r.cells[0].value is not None]
    if not complete or not shown:
        return None
    last = complete[-1]
    mean = sum(shown) / len(shown)
    return SignalFigure(
        label=f"Meldingen in {last.label}",
        value=f"{last.cells[0].shown} (gemiddeld {number(mean)} per kwartaal)",
        source=SOURCE,
    )


def _highest_area(report: Report) -> SignalFigure | None:
    table = _table(report, "wijken", "wijken")
    if table is None or not table.columns or not table.columns[-1].endswith("per 100.000"):
        return None
    column = len(table.columns) - 1
    year = table.columns[-1].split()[0]
    rated = [
        (r.cells[column].value, r)
        for r in table.rows
        if r.key.isdigit() and r.cells[column].value is not None
    ]
    if not rated:
        return None
    _, row = max(rated, key=lambda pair: (pair[0] or 0, pair[1].key))
    return SignalFigure(
        label=f"Meeste meldingen per 100.000 inwoners in {year}",
        value=f"{row.label}: {row.cells[column].shown}",
        source=SOURCE,
    )


def _repeats(report: Report) -> SignalFigure | None:
    table = _table(report, "soort", "soort")
    if table is None or len(table.columns) < 2:
        return None
    row = next((r for r in table.rows if r.key == "her"), None)
    if row is None:
        return None
    complete = [i for i in range(0, len(table.columns), 2) if table.columns[i].isdigit()]
    if not complete:
        return None
    index = complete[-1]
    return SignalFigure(
        label=f"Hermeldingen in {table.columns[index]}",
        value=f"{row.cells[index + 1].shown} van de meldingen",
        source=SOURCE,
    )


def signal_figures(*, conference: Conference, organisation: Organisation) -> list[SignalFigure]:
    datalab = datalab_of(organisation)
    if datalab is None:
        return []
    report = selectors.report_get(organisation=datalab)
    figures = [_quarter(report), _highest_area(report), _repeats(report)]
    return [f for f in figures if f is not None]
