"""The meldcode in the platform itself: how the organisations of the datalab's municipality use
the five steps (`cases`), counted into the same publication as the rest of the report.

Per year in which cases were opened: the cases by the step they are in now; the decisions of
step 5 by outcome; how the decisions relate to what the afwegingskader indicated (followed, not
reported where the kader indicated a report, another departure with a written justification);
conversations with the client that were skipped (step 3); and the median number of days from
opening a case to its decision (only from ten decisions). A fixed number of aggregate queries.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from django.db.models import Count, DurationField, ExpressionWrapper
from django.db.models.fields.json import KT
from django.db.models.functions import ExtractYear, TruncDate

from meldwijzer.cases.models import Case, Entry, EntryKind, Outcome
from meldwijzer.cases.workflow import Phase
from meldwijzer.datalab.disclosure import Cell
from meldwijzer.datalab.report import Analysis, Derived, Row, Table

if TYPE_CHECKING:
    from meldwijzer.datalab.analyses import Builder, Finisher

UNKNOWN = "onbekend"
REPORTING = {Outcome.REPORT.value, Outcome.REPORT_AND_HELP.value}

DEPARTURES = {
    "volgt": "Besluit volgt het afwegingskader",
    "niet_gemeld": "Niet gemeld waar het kader melden aangaf (acute of structurele onveiligheid)",
    "anders": "Ander besluit dan het kader aangaf, met toelichting",
}


def _departure(outcome: str, indicated: str, follows: Any) -> str:
    if indicated == "report" and outcome not in REPORTING:
        return "niet_gemeld"
    if follows is False or follows == "false":
        return "anders"
    return "volgt"


def analysis(builder: Builder) -> Finisher:
    from meldwijzer.datalab.analyses import median, share

    cases = Case.objects.filter(organisation__municipality__name=builder.municipality)
    phases = [p.value for p in Phase]
    opened: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in (
        cases.annotate(y=ExtractYear("opened_at")).values("y", "phase").annotate(n=Count("pk"))
    ):
        opened[row["y"]][row["phase"]] += row["n"]
    years = sorted(opened)
    decisions = Entry.objects.filter(case__in=cases, kind=EntryKind.DECISION)
    by_outcome: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_departure: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in (
        decisions.annotate(
            y=ExtractYear("case__opened_at"),
            outcome=KT("data__outcome"),
            indicated=KT("data__indicated"),
            follows=KT("data__follows_framework"),
        )
        .values("y", "outcome", "indicated", "follows")
        .annotate(n=Count("pk"))
    ):
        by_outcome[row["y"]][row["outcome"] or ""] += row["n"]
        departure = _departure(row["outcome"] or "", row["indicated"] or "", row["follows"])
        by_departure[row["y"]][departure] += row["n"]
    days: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for row in (
        decisions.annotate(
            y=ExtractYear("case__opened_at"),
            d=ExpressionWrapper(
                TruncDate("created_at") - TruncDate("case__opened_at"), DurationField()
            ),
        )
        .values("y", "d")
        .annotate(n=Count("pk"))
    ):
        value = row["d"]
        whole = value.days if isinstance(value, datetime.timedelta) else int(value)
        days[row["y"]][whole] += row["n"]
    skipped = dict(
        Entry.objects.filter(case__in=cases, kind=EntryKind.CONVERSATION_SKIPPED)
        .annotate(y=ExtractYear("case__opened_at"))
        .values("y")
        .annotate(n=Count("pk"))
        .values_list("y", "n")
    )
    outcomes = [o.value for o in Outcome]
    for y in years:
        builder.count(("mc", y), sum(opened[y].values()))
        builder.partition(
            ("mc", y),
            {("mc_fase", y, p): opened[y].get(p, 0) for p in phases}
            | {("mc_fase", y, UNKNOWN): sum(v for p, v in opened[y].items() if p not in phases)},
        )
        total = sum(by_outcome[y].values())
        builder.count(("mc_besluit", y), total)
        builder.partition(
            ("mc_besluit", y),
            {("mc_uitkomst", y, o): by_outcome[y].get(o, 0) for o in outcomes}
            | {
                ("mc_uitkomst", y, UNKNOWN): sum(
                    v for o, v in by_outcome[y].items() if o not in outcomes
                )
            },
        )
        builder.partition(
            ("mc_besluit", y),
            {("mc_afwijking", y, d): by_departure[y].get(d, 0) for d in DEPARTURES},
        )
        # A case may skip the conversation more than once: a count of its own, tied to no sum.
        builder.count(("mc_gesprek_overgeslagen", y), skipped.get(y, 0))

    def finish() -> Analysis:
        def table_rows(name: str, keys: dict[str, str], total: str) -> tuple[Row, ...]:
            rows = []
            for key, label in keys.items():
                cells: list[Cell | Derived] = []
                for y in years:
                    cell = builder.cell((name, y, key))
                    cells += [cell, share(cell, builder.cell((total, y)))]
                rows.append(Row(key, label, tuple(cells)))
            return tuple(rows)

        share_columns = tuple(c for y in years for c in (str(y), f"{y} %"))
        phase_labels = {p.value: p.label for p in Phase} | {UNKNOWN: "Onbekend"}
        outcome_labels = {o.value: o.label for o in Outcome} | {UNKNOWN: "Onbekend"}
        summary_rows = []
        for y in years:
            decided = builder.cell(("mc_besluit", y))
            cells: list[Cell | Derived] = [
                builder.cell(("mc", y)),
                decided,
                median(dict(days[y]), decided),
                builder.cell(("mc_gesprek_overgeslagen", y)),
            ]
            summary_rows.append(Row(str(y), str(y), tuple(cells)))
        summary = "Er zijn nog geen casussen in Meldwijzer in deze gemeente."
        if years:
            y = years[-1]
            opened_cell = builder.cell(("mc", y))
            away = builder.cell(("mc_afwijking", y, "niet_gemeld"))
            summary = (
                f"In {y} zijn {opened_cell.shown} casussen geopend in Meldwijzer; "
                f"{builder.cell(('mc_besluit', y)).shown} kregen een besluit, waarvan "
                f"{away.shown if away.value is not None else 'een klein aantal'} zonder melding "
                "waar het afwegingskader melden aangaf."
            )
            if opened_cell.value is None:
                summary = f"In {y} zijn minder dan tien casussen geopend in Meldwijzer."
        return Analysis(
            key="meldcode",
            title="De meldcode in Meldwijzer",
            question=(
                "Hoe gebruiken professionals in de gemeente de meldcode: hoeveel casussen staan "
                "in welke stap, hoe lang duurt het tot een besluit, welke besluiten vallen er en "
                "waar wijken zij af van het afwegingskader?"
            ),
            summary=summary,
            tables=(
                Table(
                    key="meldcode_jaren",
                    title="Casussen en besluiten per jaar",
                    description=(
                        "Casussen naar het jaar waarin ze geopend zijn, de besluiten in stap 5, "
                        "de mediane tijd van openen tot besluit (alleen bij ten minste 10 "
                        "besluiten) en de keren dat het gesprek met de cliënt werd overgeslagen."
                    ),
                    row_heading="Jaar van openen",
                    columns=(
                        "Casussen",
                        "Besluiten",
                        "Mediaan tot besluit",
                        "Gesprek overgeslagen",
                    ),
                    rows=tuple(summary_rows),
                    chart="bar",
                ),
                Table(
                    key="meldcode_stappen",
                    title="Casussen naar de stap waarin ze nu staan",
                    description="Percentages van de casussen van dat jaar.",
                    row_heading="Stap",
                    columns=share_columns,
                    rows=table_rows("mc_fase", phase_labels, "mc"),
                    chart="bar",
                ),
                Table(
                    key="meldcode_besluiten",
                    title="Besluiten in stap 5",
                    description="Percentages van de besluiten van dat jaar.",
                    row_heading="Besluit",
                    columns=share_columns,
                    rows=table_rows("mc_uitkomst", outcome_labels, "mc_besluit"),
                    chart="bar",
                ),
                Table(
                    key="meldcode_afwijkingen",
                    title="Besluiten en het afwegingskader",
                    description=(
                        "Of het besluit volgt wat het afwegingskader aangaf. Een ander besluit "
                        "mag, met een schriftelijke toelichting."
                    ),
                    row_heading="Besluit en kader",
                    columns=share_columns,
                    rows=table_rows("mc_afwijking", DEPARTURES, "mc_besluit"),
                    chart="bar",
                ),
            ),
            notes=(
                "Alle organisaties in Meldwijzer met hun vestiging in de gemeente samen; nooit "
                "één casus.",
            ),
        )

    return finish
