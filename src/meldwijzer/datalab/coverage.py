"""The meldcode in the organisations of a municipality, protected: seed 003's question "zijn er
organisaties die geen aandachtsfunctionaris hebben?", with trained professionals per sector, the
worries shared ('Zorgen gedeeld') and the self-check attempts per beroepsgroep.

Facts about an organisation (it has an aandachtsfunctionaris, it adopted a meldcode) are shown by
name. Every count of people goes through one `disclosure.Publication`: per organisation the
professionals split into trained, overdue and not trained, tied to the sector totals and the
municipality's total, so a hidden count cannot be recovered by subtraction; percentages are
computed from the published (rounded) counts only. The raw figures come from the meldcode app
(`trainings.coverage`, `trainings.worries`, `trainings.selfcheck`); nothing raw leaves here.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass

from django.utils import timezone

from meldwijzer.datalab.analyses import share
from meldwijzer.datalab.disclosure import RULE, Cell, Publication
from meldwijzer.datalab.exports import safe, table_lines
from meldwijzer.datalab.report import Derived, Row, Table
from meldwijzer.datalab.selectors import datalab_for
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.models import Municipality, Profession
from meldwijzer.trainings import coverage, selfcheck, worries

PARTS = ("trained", "overdue", "none")
FIELDS = ("professionals", *PARTS)
PROFESSIONS_LABELS = dict(Profession.choices)


@dataclass(frozen=True)
class OrganisationLine:
    name: str
    sector: str
    has_officer: bool
    officers: int
    adopted_on: datetime.date | None
    professionals: Cell
    trained: Cell
    overdue: Cell
    trained_share: Derived


@dataclass(frozen=True)
class MeldcodeCoverage:
    municipality: str
    today: datetime.date
    organisations: tuple[OrganisationLine, ...]
    sectors: Table
    worries: Table
    selfchecks: Table
    rule: str = RULE

    @property
    def without_officer(self) -> list[OrganisationLine]:
        return [o for o in self.organisations if not o.has_officer]

    @property
    def without_meldcode(self) -> list[OrganisationLine]:
        return [o for o in self.organisations if o.adopted_on is None]

    @property
    def tables(self) -> tuple[Table, ...]:
        return (self.sectors, self.worries, self.selfchecks)


def _plain(value: int) -> Derived:
    """A count of organisations: a fact about organisations, not people, shown as it is."""
    return Derived(value, str(value))


ANALYSIS = "meldcode-organisaties"
"""How the access log names these figures."""


def coverage_for(*, actor: Actor, today: datetime.date | None = None) -> MeldcodeCoverage:
    """The protected coverage of the actor's datalab municipality (403 for anyone without the
    right to see aggregates, logged by `selectors.datalab_for`)."""
    organisation = datalab_for(actor=actor)
    return coverage_build(
        municipality=organisation.municipality, today=today or timezone.localdate()
    )


def coverage_build(*, municipality: Municipality, today: datetime.date) -> MeldcodeCoverage:
    """The protected coverage of the municipality."""
    rows = coverage.coverage_per_organisation(municipality=municipality, today=today)
    sectors = coverage.coverage_per_sector(rows)
    worry_counts = worries.worries_per_quarter(municipality=municipality)
    checks = selfcheck.selfcheck_figures(municipality=municipality)
    pub = Publication()
    for row in rows:
        values = {
            "professionals": row.professionals,
            "trained": row.trained,
            "overdue": row.overdue,
            "none": row.untrained,
        }
        for name in FIELDS:
            pub.count(("org", row.id, name), values[name])
        pub.adds_up(("org", row.id, "professionals"), [("org", row.id, p) for p in PARTS])
    for sector in sectors:
        values = {
            "professionals": sector.professionals,
            "trained": sector.trained,
            "overdue": sector.overdue,
            "none": sector.untrained,
        }
        members = [r.id for r in rows if r.sector == sector.sector]
        for name in FIELDS:
            pub.count(("sector", sector.sector, name), values[name])
            pub.adds_up(("sector", sector.sector, name), [("org", i, name) for i in members])
        pub.adds_up(
            ("sector", sector.sector, "professionals"),
            [("sector", sector.sector, p) for p in PARTS],
        )
    for name in FIELDS:
        pub.count(("total", name), sum(pub.counts[("sector", s.sector, name)] for s in sectors))
        pub.adds_up(("total", name), [("sector", s.sector, name) for s in sectors])
    pub.adds_up(("total", "professionals"), [("total", p) for p in PARTS])

    years = sorted({year for year, _ in worry_counts})
    for year in years:
        quarters = [("zorgen", year, q) for q in (1, 2, 3, 4)]
        for key in quarters:
            pub.count(key, worry_counts.get((year, key[2]), 0))
        pub.count(("zorgen_jaar", year), sum(worry_counts.get((year, q), 0) for q in (1, 2, 3, 4)))
        pub.adds_up(("zorgen_jaar", year), quarters)

    professions = sorted(checks)
    check_fields = ("professionals", "attempts", "right", "asked")
    for profession in professions:
        figures = checks[profession]
        pub.count(("zt", profession, "professionals"), figures.professionals)
        pub.count(("zt", profession, "attempts"), figures.attempts)
        pub.count(("zt", profession, "right"), figures.answers_right)
        pub.count(("zt", profession, "asked"), figures.answers_total)
    if professions:
        for name in check_fields:
            pub.count(("zt_totaal", name), sum(pub.counts[("zt", p, name)] for p in professions))
            pub.adds_up(("zt_totaal", name), [("zt", p, name) for p in professions])
    pub.protect()
    cell = pub.cell

    lines = tuple(
        OrganisationLine(
            name=row.name,
            sector=row.sector_label,
            has_officer=row.has_officer,
            officers=row.officers,
            adopted_on=row.adopted_on,
            professionals=cell(("org", row.id, "professionals")),
            trained=cell(("org", row.id, "trained")),
            overdue=cell(("org", row.id, "overdue")),
            trained_share=share(
                cell(("org", row.id, "trained")), cell(("org", row.id, "professionals"))
            ),
        )
        for row in sorted(rows, key=lambda r: (r.sector_label, r.name))
    )

    def people_cells(prefix: tuple[str, ...]) -> tuple[Cell | Derived, ...]:
        total = cell((*prefix, "professionals"))
        trained = cell((*prefix, "trained"))
        overdue = cell((*prefix, "overdue"))
        return (total, trained, share(trained, total), overdue, share(overdue, total))

    sector_rows = [
        Row(
            s.sector,
            s.label,
            (
                _plain(s.organisations),
                _plain(s.with_officer),
                _plain(s.with_meldcode),
                *people_cells(("sector", s.sector)),
            ),
        )
        for s in sectors
    ]
    sector_rows.append(
        Row(
            "totaal",
            "Alle sectoren",
            (
                _plain(sum(s.organisations for s in sectors)),
                _plain(sum(s.with_officer for s in sectors)),
                _plain(sum(s.with_meldcode for s in sectors)),
                *people_cells(("total",)),
            ),
        )
    )
    sector_table = Table(
        key="meldcode_sectoren",
        title="Aandachtsfunctionaris, meldcode en training per sector",
        description=(
            "Organisaties die in de gemeente werken, in de sectoren die de meldcode moeten "
            "gebruiken. Getraind: de laatste meldcodetraining is niet verlopen."
        ),
        row_heading="Sector",
        columns=(
            "Organisaties",
            "Met aandachtsfunctionaris",
            "Met vastgestelde meldcode",
            "Professionals",
            "Getraind",
            "Getraind %",
            "Verlopen",
            "Verlopen %",
        ),
        rows=tuple(sector_rows),
        chart="bar",
        chart_columns=(5,),
    )
    worry_rows = []
    for year in years:
        for q in (1, 2, 3, 4):
            worry_rows.append(
                Row(f"{year}-{q}", f"{year} kwartaal {q}", (cell(("zorgen", year, q)),))
            )
        worry_rows.append(Row(str(year), f"{year} totaal", (cell(("zorgen_jaar", year)),)))
    worry_table = Table(
        key="meldcode_zorgen",
        title="Zorgen gedeeld per kwartaal",
        description=(
            "Zorgen die professionals van organisaties in de gemeente zonder namen deelden met "
            "een aandachtsfunctionaris of de consultatielijn."
        ),
        row_heading="Kwartaal",
        columns=("Zorgen gedeeld",),
        rows=tuple(worry_rows),
        chart="line",
    )
    check_rows = []
    labelled = [(p, PROFESSIONS_LABELS.get(p, p)) for p in professions]
    for code, label in labelled + ([("totaal", "Alle beroepsgroepen")] if professions else []):
        prefix: tuple[object, ...] = ("zt", code) if code != "totaal" else ("zt_totaal",)
        check_rows.append(
            Row(
                code,
                label,
                (
                    cell((*prefix, "professionals")),
                    cell((*prefix, "attempts")),
                    share(cell((*prefix, "right")), cell((*prefix, "asked"))),
                ),
            )
        )
    check_table = Table(
        key="meldcode_zelftoets",
        title="Zelftoetsen per beroepsgroep",
        description=(
            "Hoeveel professionals de zelftoets maakten, hoe vaak, en welk deel van de vragen "
            "goed werd beantwoord. Uitslagen van één persoon ziet niemand."
        ),
        row_heading="Beroepsgroep",
        columns=("Professionals", "Keer gemaakt", "Goed beantwoord %"),
        rows=tuple(check_rows),
        chart="bar",
        chart_columns=(1,),
    )
    return MeldcodeCoverage(
        municipality=municipality.name,
        today=today,
        organisations=lines,
        sectors=sector_table,
        worries=worry_table,
        selfchecks=check_table,
    )


def coverage_csv(result: MeldcodeCoverage) -> bytes:
    """The protected tables as CSV, with the rule in the head (formula-safe)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([safe("# Gemeente"), safe(result.municipality)])
    writer.writerow([safe("# Stand"), f"{result.today:%d-%m-%Y}"])
    writer.writerow([safe("# Beveiliging"), safe(result.rule)])
    writer.writerow([])
    writer.writerow(["Organisaties zonder aandachtsfunctionaris"])
    writer.writerow(["Organisatie", "Sector"])
    for line in result.without_officer:
        writer.writerow([safe(line.name), safe(line.sector)])
    for table in result.tables:
        writer.writerow([])
        writer.writerow([safe(table.title)])
        for text_line in table_lines(table):
            writer.writerow([safe(text) for text in text_line])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
