"""A hand-made protected report of the shape `analyses.report_build` returns, for the dashboard,
export, map and API tests: quarters as a line chart, postcode areas as a map, sectors as bars,
one analysis without data. One count is hidden (primary) and one hidden to protect it
(secondary), so every output can be checked for gaps and '.'."""

from __future__ import annotations

import datetime

import pytest

from meldwijzer.datalab import analyses
from meldwijzer.datalab.disclosure import Cell
from meldwijzer.datalab.report import Analysis, Derived, Report, Row, SourceLine, Table

HIDDEN_QUARTER = "2021-K3"
TRICKY_LABEL = '=HYPERLINK("x")<script>&'


def _rate(count: Cell, population: int) -> Derived:
    if count.value is None:
        return Derived(None, ".", count.reason)
    rate = count.value / population * 100_000
    return Derived(rate, f"{rate:,.1f}".replace(",", "_").replace(".", ",").replace("_", "."))


QUARTERS = (
    ("2021-K1", Cell(115)),
    ("2021-K2", Cell(130)),
    (HIDDEN_QUARTER, Cell(None, "P")),
    ("2021-K4", Cell(None, "S")),
    ("2022-K1", Cell(120)),
    ("2022-K2", Cell(145)),
)

AREAS = {
    "8302": ("8302 Emmeloord-Centrum", Cell(210), 9500),
    "8303": ("8303 Emmeloord-Espelervaart", Cell(240), 8000),
    "8308": ("8308 Nagele", Cell(None, "P"), 1900),
    "8315": ("8315 Luttelgeest", Cell(35), 1000),
    "8316": ("8316 Marknesse", Cell(70), 4000),
}


def sample_report(version: str = "abc123def456") -> Report:
    quarters = Table(
        key="kwartalen",
        title="Meldingen per kwartaal",
        description="Meldingen bij Veilig Thuis over inwoners, per kwartaal.",
        row_heading="Kwartaal",
        columns=("Meldingen",),
        rows=tuple(Row(q, q, (c,)) for q, c in QUARTERS),
        chart="line",
        chart_columns=(0,),
        notes=("Een kwartaal is drie maanden.",),
    )
    areas = Table(
        key="wijken",
        title="Meldingen per postcodegebied",
        description="Meldingen per 4-cijferig postcodegebied, per 100.000 inwoners.",
        row_heading="Postcodegebied",
        columns=("Meldingen", "Per 100.000 inwoners"),
        rows=tuple(Row(pc, label, (c, _rate(c, pop))) for pc, (label, c, pop) in AREAS.items()),
        chart="map",
        chart_columns=(1,),
    )
    sectors = Table(
        key="sectoren",
        title="Meldingen per sector van de melder",
        description="Wie meldde: beroepskrachten per sector.",
        row_heading="Sector",
        columns=("Meldingen", "Aandeel"),
        rows=(
            Row("politie", "Politie", (Cell(300), Derived(60.0, "60,0%"))),
            Row("zorg", "Gezondheidszorg", (Cell(55), Derived(11.0, "11,0%"))),
            Row("overig", TRICKY_LABEL, (Cell(None, "S"), Derived(None, ".", "S"))),
        ),
        chart="bar",
    )
    return Report(
        organisation="Gemeente Proefpolder",
        municipality="Noordoostpolder",
        built_at=datetime.datetime(2026, 12, 3, 9, 0, tzinfo=datetime.UTC),
        first_day=datetime.date(2021, 1, 1),
        last_day=datetime.date(2022, 6, 30),
        sources=(
            SourceLine("Veilig Thuis Flevoland", "Veilig Thuis", Cell(1035), None),
            SourceLine("Politie", "Politie", Cell(None, "P"), None),
        ),
        analyses=(
            Analysis(
                "meldingen",
                "Meldingen",
                "Hoeveel meldingen kwamen er binnen?",
                "Ongeveer 125 per kwartaal.",
                (quarters,),
            ),
            Analysis(
                "wijken",
                "Wijken",
                "Uit welke postcodegebieden komen de meldingen?",
                "De meeste uit 8302 en 8303.",
                (areas,),
            ),
            Analysis("melders", "Melders", "Wie meldt?", "Vooral de politie.", (sectors,)),
            Analysis("herhaling", "Herhaling", "Hoe vaak komt een melding terug?", "", ()),
        ),
        version=version,
    )


@pytest.fixture
def sample(monkeypatch):
    """Every datalab reads the sample report (in place of the real analyses)."""
    from django.core.cache import cache

    cache.clear()
    monkeypatch.setattr(analyses, "report_build", lambda *, organisation, version: sample_report())
    return sample_report()
