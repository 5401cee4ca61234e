"""The datalab demo: the regional datalab's figures (seed 003) come back, both in the records and
in the published (protected) report."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.db.models import Count
from django.db.models.functions import ExtractQuarter, ExtractYear

from meldwijzer.datalab import analyses, demo
from meldwijzer.datalab.models import Import, ImportState, Record, RecordPerson, Source
from meldwijzer.datalab.report import Report
from tests.factories import OrganisationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.demo]

D = datetime.date


@dataclass
class Demo:
    quarters: dict[tuple[int, int], int]
    per_year_kind: dict[tuple[int, str], int]
    sectors: Counter
    roles: Counter
    kinds: Counter
    cases: int
    pc4: Counter
    first: D
    last: D
    states: set[str]
    failed_errors: list
    fingerprint: list
    again: list
    linked: int
    report: Report


def _fingerprint(organisation) -> list:
    return list(
        Record.objects.filter(datalab=organisation)
        .order_by("reference")
        .values_list("reference", "reported_on", "pc4", "report_kind", "persons__pseudonym")[:300]
    )


@pytest.fixture(scope="module")
def made(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        organisation = OrganisationFactory(name=demo.ORGANISATION)
        demo.load()
        demo.load()  # a second load adds nothing
        vt = Record.objects.filter(datalab=organisation, source__name=demo.VEILIG_THUIS)
        quarters = {
            (r["y"], r["q"]): r["n"]
            for r in vt.annotate(y=ExtractYear("reported_on"), q=ExtractQuarter("reported_on"))
            .values("y", "q")
            .annotate(n=Count("pk"))
        }
        per_year_kind = {
            (r["y"], r["report_kind"]): r["n"]
            for r in vt.annotate(y=ExtractYear("reported_on"))
            .values("y", "report_kind")
            .annotate(n=Count("pk"))
        }
        early = vt.filter(reported_on__lt=D(2023, 1, 1))
        platform = RecordPerson.objects.filter(record__source__name=demo.PLATFORM)
        linked = platform.filter(
            pseudonym__in=RecordPerson.objects.filter(
                record__source__name=demo.VEILIG_THUIS
            ).values("pseudonym")
        ).count()
        other = OrganisationFactory(name="Gemeente Proef")
        demo.load(other)
        failed = Import.objects.get(source__datalab=organisation, state=ImportState.FAILED)
        made = Demo(
            quarters=quarters,
            per_year_kind=per_year_kind,
            sectors=Counter(vt.values_list("reporter_sector", flat=True)),
            roles=Counter(early.values_list("reporter_role", flat=True)),
            kinds=Counter(vt.values_list("violence_kind", flat=True)),
            cases=vt.filter(case_started_on__year__in=[2019, 2020, 2021, 2022]).count(),
            pc4=Counter(vt.values_list("pc4", flat=True)),
            first=min(vt.values_list("reported_on", flat=True)),
            last=max(vt.values_list("reported_on", flat=True)),
            states=set(
                Import.objects.filter(source__datalab=organisation).values_list("state", flat=True)
            ),
            failed_errors=failed.errors,
            fingerprint=_fingerprint(organisation),
            again=_fingerprint(other),
            linked=linked,
            report=analyses.report_build(organisation=organisation, version="demo"),
        )
        assert Source.objects.filter(datalab=organisation).count() == 2
        transaction.set_rollback(True)
    return made


def test_the_demo_loads_the_same_every_time(made):
    assert made.fingerprint and made.fingerprint == made.again


def test_every_import_state_exists_with_row_numbered_errors(made):
    assert made.states == {ImportState.DONE, ImportState.FAILED}
    assert all({"rij", "kolom", "melding"} <= set(e) for e in made.failed_errors)


def test_veilig_thuis_records_are_shaped_like_the_regional_report(made):
    assert sum(made.quarters.values()) == 2068
    assert (made.first, made.last) <= (D(2019, 1, 31), D(2023, 6, 30))
    assert made.first >= D(2019, 1, 1) and made.last >= D(2023, 6, 1)
    assert len(made.quarters) == 18
    assert min(made.quarters.values()) >= 92 and max(made.quarters.values()) <= 145
    mean = sum(made.quarters.values()) / len(made.quarters)
    assert round(mean) == 115
    assert all(made.quarters[(2022, q)] < mean for q in range(1, 5))
    per_year = Counter()
    for (year, _), n in made.quarters.items():
        per_year[year] += n
    assert max(per_year, key=per_year.get) == 2021
    in_2022 = [made.per_year_kind[(2022, k)] for k in ("eerste", "her", "vervolg")]
    assert max(in_2022) - min(in_2022) <= 1
    total = sum(made.sectors.values())
    assert round(100 * made.sectors["politie"] / total) == 60
    assert round(100 * made.sectors["gezondheidszorg"] / total) == 11
    assert round(100 * made.sectors["onderwijs"] / total) == 8
    assert made.roles["burger"] == 46
    ranked = [k for k, _ in made.kinds.most_common(3)]
    assert ranked == ["kindermishandeling", "andere_problematiek", "partnergeweld"]
    assert round(100 * sum(made.kinds[k] for k in ranked) / total) == 85
    assert made.cases == 1770
    assert {pc4 for pc4, _ in made.pc4.most_common(2)} == {"8302", "8303"}
    assert made.linked > 0


def _table(report: Report, analysis: str, key: str):
    return next(t for t in report.analysis(analysis).tables if t.key == key)


def test_the_published_report_shows_the_regional_figures(made):
    report = made.report
    vt = next(s for s in report.sources if s.name == demo.VEILIG_THUIS)
    assert vt.records.value == 2070  # 2068, rounded
    quarters = [r.cells[0].value for r in _table(report, "meldingen", "kwartalen").rows]
    assert all(v is not None and 90 <= v <= 145 for v in quarters)
    years = {r.key: r.cells[0].value for r in _table(report, "meldingen", "jaren").rows}
    assert max(years, key=lambda y: years[y] or 0) == "2021"
    cases = {r.key: r.cells[0].value for r in _table(report, "casussen", "casussen_jaren").rows}
    assert abs(sum(cases[str(y)] for y in range(2019, 2023)) - 1770) <= 10
    rates = _table(report, "meldingen", "per_100000")
    for r in rates.rows:
        municipality, province, country = (c.value for c in r.cells)
        assert country < municipality < province, r
    wijken = _table(report, "wijken", "wijken")
    areas = [r for r in wijken.rows if r.key.isdigit()]
    for year_index, year in enumerate(range(2019, 2023)):
        by_count = sorted(areas, key=lambda r: -(r.cells[year_index].value or 0))
        assert {r.key for r in by_count[:2]} == {"8302", "8303"}, year
    rate_column = wijken.columns.index("2022 per 100.000")
    by_rate = sorted(areas, key=lambda r: -(r.cells[rate_column].value or 0))
    assert {r.key for r in by_rate[:3]} == {"8303", "8308", "8315"}
    soort = {r.key: r for r in _table(report, "soort", "soort").rows}
    column = _table(report, "soort", "soort").columns.index("2022 %")
    for kind in ("eerste", "her", "vervolg"):
        assert 30 <= soort[kind].cells[column].value <= 37
    sectors = {r.key: r for r in _table(report, "melders", "melders_sector").rows}
    column = _table(report, "melders", "melders_sector").columns.index("2022 %")
    assert round(sectors["politie"].cells[column].value) == 60
