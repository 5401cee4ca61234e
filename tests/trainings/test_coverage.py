"""Coverage of the meldcode in a municipality: raw numbers on hand-checked data, and the
protected page (no published count from 1 to 9; the organisations without an
aandachtsfunctionaris by name)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meldwijzer.datalab.coverage import coverage_build
from meldwijzer.organisations.models import Municipality, Sector
from meldwijzer.organisations.roles import Role
from meldwijzer.trainings import coverage
from meldwijzer.trainings.models import MeldcodeAdoption, OfficerRegistration, TrainingRecord
from meldwijzer.trainings.selfcheck import SelfCheckFigures
from tests.conftest import force_verified_login
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


def today() -> datetime.date:
    """Today at the moment the test runs (a run may pass midnight after collecting the tests)."""
    return timezone.localdate()


def days_ago(days: int) -> datetime.date:
    return today() - datetime.timedelta(days=days)


# Trainings are valid for 12 months: 150 days ago is valid and not yet due, 500 days ago overdue.
VALID = 150
OVERDUE = 500


def _people(organisation, count, *, followed=None, role=Role.PROFESSIONAL):
    users = []
    for _ in range(count):
        user = MembershipFactory(organisation=organisation, role=role).user
        if followed is not None:
            TrainingRecord.objects.create(
                organisation=organisation,
                user=user,
                kind="basis",
                completed_on=followed,
                provider="Augeo",
                recorded_by=user,
            )
        users.append(user)
    return users


@pytest.fixture
def region(db):
    home = Municipality.objects.create(name="Proefpolder", province="Flevoland")
    away = Municipality.objects.create(name="Elders", province="Gelderland")
    gemeente = OrganisationFactory(
        name="Gemeente Proefpolder", sector=Sector.MUNICIPALITY, municipality=home
    )
    school = OrganisationFactory(name="School Zonder", sector=Sector.EDUCATION, municipality=home)
    opvang = OrganisationFactory(name="Opvang Met", sector=Sector.CHILDCARE, municipality=home)
    # Based elsewhere but working in the municipality: counted.
    wijkteam = OrganisationFactory(
        name="Wijkteam Regio", sector=Sector.SOCIAL_SUPPORT, municipality=away
    )
    wijkteam.works_in.add(home)
    # Not under the law, and not in the municipality: left out.
    OrganisationFactory(name="Vereniging Overig", sector=Sector.OTHER, municipality=home)
    OrganisationFactory(name="School Elders", sector=Sector.EDUCATION, municipality=away)
    # School: 12 professionals, 8 trained (valid), 3 overdue, 1 without; no officer, no meldcode.
    _people(school, 8, followed=days_ago(VALID))
    _people(school, 3, followed=days_ago(OVERDUE))
    _people(school, 1)
    MembershipFactory(organisation=school, role=Role.FUNCTIONAL_ADMIN)  # not a professional
    # Opvang: 20 professionals, all trained; a current officer; a meldcode.
    officer = _people(opvang, 20, followed=days_ago(VALID))[0]
    OfficerRegistration.objects.create(
        organisation=opvang, user=officer, started_on=days_ago(800), recorded_by=officer
    )
    MeldcodeAdoption.objects.create(
        organisation=opvang,
        title="Meldcode",
        adopted_on=days_ago(2000),
        recorded_by=officer,
    )
    # Wijkteam: 15 professionals, 5 overdue; only a former officer.
    people = _people(wijkteam, 10, followed=days_ago(VALID))
    _people(wijkteam, 5, followed=days_ago(OVERDUE))
    OfficerRegistration.objects.create(
        organisation=wijkteam,
        user=people[0],
        started_on=days_ago(2000),
        ended_on=days_ago(500),
        recorded_by=people[0],
    )
    adviser = MembershipFactory(organisation=gemeente, role=Role.POLICY_ADVISER).user
    return home, adviser


def test_raw_coverage_per_organisation_and_sector(region, django_assert_max_num_queries):
    home, _ = region
    with django_assert_max_num_queries(6):
        rows = coverage.coverage_per_organisation(municipality=home, today=today())
    by_name = {row.name: row for row in rows}
    assert set(by_name) == {"School Zonder", "Opvang Met", "Wijkteam Regio"}
    school, opvang, wijkteam = (
        by_name["School Zonder"],
        by_name["Opvang Met"],
        by_name["Wijkteam Regio"],
    )
    assert (school.professionals, school.trained, school.overdue, school.untrained) == (12, 8, 3, 1)
    assert (school.has_officer, school.adopted_on) == (False, None)
    assert (opvang.professionals, opvang.trained, opvang.overdue) == (20, 20, 0)
    assert (opvang.has_officer, opvang.adopted_on) == (True, days_ago(2000))
    assert (wijkteam.professionals, wijkteam.trained, wijkteam.overdue) == (15, 10, 5)
    assert wijkteam.has_officer is False  # the registration ended
    sectors = {s.sector: s for s in coverage.coverage_per_sector(rows)}
    assert sectors[Sector.EDUCATION].professionals == 12
    assert sectors[Sector.VEILIG_THUIS].organisations == 0
    assert Sector.MUNICIPALITY not in sectors and Sector.OTHER not in sectors


def test_no_published_count_from_one_to_nine(region, monkeypatch):
    home, _ = region
    monkeypatch.setattr(
        "meldwijzer.trainings.worries.worries_per_quarter",
        lambda *, municipality: {(2026, 1): 14, (2026, 2): 3},
    )
    monkeypatch.setattr(
        "meldwijzer.trainings.selfcheck.selfcheck_figures",
        lambda *, municipality: {
            "onderwijs": SelfCheckFigures(
                professionals=23, attempts=31, answers_right=200, answers_total=310
            ),
            "kinderopvang": SelfCheckFigures(
                professionals=4, attempts=6, answers_right=40, answers_total=60
            ),
        },
    )
    result = coverage_build(municipality=home, today=today())
    school = next(line for line in result.organisations if line.name == "School Zonder")
    assert school.overdue.value is None and school.overdue.reason == "P"  # 3 overdue
    # 8 trained of 12 would be given away by 12 - 3 - 1: hidden too.
    assert school.trained.value is None
    opvang = next(line for line in result.organisations if line.name == "Opvang Met")
    assert opvang.professionals.value == 20
    for line in result.organisations:  # percentages only from published counts
        if line.trained_share.value is not None:
            assert line.trained.value is not None and line.professionals.value
            assert line.trained_share.value == 100 * line.trained.value / line.professionals.value
    counts = [line.professionals for line in result.organisations]
    counts += [line.trained for line in result.organisations]
    counts += [line.overdue for line in result.organisations]
    for table in result.tables:
        for row in table.rows:
            counts += [c for c in row.cells if type(c).__name__ == "Cell"]
    for cell in counts:
        assert cell.value is None or cell.value == 0 or cell.value >= 10, cell
        assert cell.value is None or cell.value % 5 == 0, cell
    worries = {row.key: row.cells[0] for row in result.worries.rows}
    assert worries["2026-2"].value is None and worries["2026-1"].value is None  # 3 → P, 14 → S
    assert worries["2026-3"].value == 0
    checks = {row.key: row.cells for row in result.selfchecks.rows}
    assert checks["kinderopvang"][0].value is None
    assert checks["onderwijs"][1].value is None  # the total would give kinderopvang away
    assert checks["totaal"][0].value == 25


def test_page_names_the_organisations_without_an_officer(region):
    _, adviser = region
    client = force_verified_login(Client(), adviser)
    response = client.get(reverse("datalab:meldcode"))
    assert response.status_code == 200
    html = response.content.decode()
    section = html.split('id="zonder-aandachtsfunctionaris"')[1].split("</ul>")[0]
    assert "School Zonder" in section and "Wijkteam Regio" in section
    assert "Opvang Met" not in section
    assert "aantallen van 1 tot en met 9 worden niet getoond" in html
    csv = client.get(reverse("datalab:meldcode_csv"))
    assert csv["Content-Disposition"].startswith("attachment")
    assert "School Zonder" in csv.content.decode("utf-8-sig")


def test_api_gives_the_same_protected_figures(region):
    _, adviser = region
    client = force_verified_login(Client(), adviser)
    body = client.get(reverse("api:trainings-coverage")).json()
    assert set(body["without_officer"]) == {"School Zonder", "Wijkteam Regio"}
    school = next(o for o in body["organisations"] if o["name"] == "School Zonder")
    assert school["overdue"] == {"shown": ".", "value": None, "reason": "P"}


def test_professional_may_not_see_coverage(region):
    home, _ = region
    user = UserFactory()
    MembershipFactory(user=user, organisation=OrganisationFactory(municipality=home))
    client = force_verified_login(Client(), user)
    assert client.get(reverse("datalab:meldcode")).status_code == 403
