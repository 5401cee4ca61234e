"""The meldcode in the platform, on a hand-checked set of cases in the datalab's municipality."""

from __future__ import annotations

import datetime

import pytest

from meldwijzer.cases.models import Case, Entry, EntryKind
from meldwijzer.datalab import analyses
from meldwijzer.datalab.disclosure import Cell
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

OPENED = datetime.datetime(2024, 3, 1, 9, 0, tzinfo=datetime.UTC)
DECIDED = datetime.datetime(2024, 3, 11, 9, 0, tzinfo=datetime.UTC)


def _case(n: int, school, user, phase: str) -> Case:
    return Case.objects.create(
        reference=f"MC-{n}",
        title="Zorgen over leerling",
        organisation=school,
        responsible=user,
        profession="onderwijs",
        phase=phase,
        phase_entered_at=OPENED,
        opened_at=OPENED,
        updated_at=OPENED,
    )


def _entry(case: Case, user, kind: str, data: dict) -> None:
    Entry.objects.create(
        case=case,
        kind=kind,
        phase="stap_5",
        data=data,
        author=user,
        organisation=case.organisation,
        created_at=DECIDED,
    )


def test_cases_steps_decisions_and_departures_from_the_framework():
    datalab = OrganisationFactory(name="Gemeente Noordoostpolder")
    school = OrganisationFactory(name="Basisschool De Polder")  # same municipality
    user = MembershipFactory(organisation=school).user
    n = 0
    for _ in range(10):  # reported, as the framework indicated
        n += 1
        case = _case(n, school, user, "gemeld")
        _entry(case, user, EntryKind.DECISION, {
            "outcome": "report", "indicated": "report", "follows_framework": True,
        })  # fmt: skip
    for _ in range(2):  # help instead of the report the framework indicated
        n += 1
        case = _case(n, school, user, "hulp")
        _entry(case, user, EntryKind.DECISION, {
            "outcome": "help", "indicated": "report", "follows_framework": False,
        })  # fmt: skip
    for _ in range(2):
        n += 1
        case = _case(n, school, user, "stap_1")
    _entry(case, user, EntryKind.CONVERSATION_SKIPPED, {"reason": "acuut"})
    report = analyses.report_build(organisation=datalab, version="t")
    meldcode = report.analysis("meldcode")
    tables = {t.key: {r.key: r for r in t.rows} for t in meldcode.tables}
    year = tables["meldcode_jaren"]["2024"]
    assert year.cells[0] == Cell(15)  # 14 cases
    assert year.cells[1] == Cell(10)  # 12 decisions
    assert year.cells[2].value == 10  # days from opening to decision
    assert year.cells[3] == Cell(None, "P")  # one skipped conversation
    # Help (2) is hidden; the decisions' sum then hides the reports (10) too.
    assert tables["meldcode_besluiten"]["help"].cells[0] == Cell(None, "P")
    assert tables["meldcode_besluiten"]["report"].cells[0] == Cell(None, "S")
    assert tables["meldcode_afwijkingen"]["niet_gemeld"].cells[0] == Cell(None, "P")
    assert tables["meldcode_afwijkingen"]["volgt"].cells[0] == Cell(None, "S")
    # Two small steps (2 and 2) may not be the only hidden members of the steps' sum: the
    # smallest other step that is not zero, reported (10), hides beside them.
    assert tables["meldcode_stappen"]["gemeld"].cells[0] == Cell(None, "S")
    assert tables["meldcode_stappen"]["stap_1"].cells[0] == Cell(None, "P")


def test_cases_of_another_municipality_are_not_counted():
    datalab = OrganisationFactory(name="Gemeente Noordoostpolder")
    from tests.factories import MunicipalityFactory

    elsewhere = OrganisationFactory(municipality=MunicipalityFactory(name="Urk"))
    user = MembershipFactory(organisation=elsewhere).user
    for n in range(12):
        _case(n, elsewhere, user, "stap_1")
    report = analyses.report_build(organisation=datalab, version="t")
    assert not report.analysis("meldcode").has_data
