"""The retention table as data: defaults with their legal basis in `retention.yaml`, an
organisation's own periods in the database, read through `retention_period`."""

from __future__ import annotations

import copy
import datetime

import pytest
import yaml
from django.test import Client
from django.urls import reverse

from meldwijzer.accounts.services import api_token_create
from meldwijzer.audit.models import AccessLogEntry, AccessOutcome, Purpose
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from meldwijzer.privacy.models import FileKind, RetentionOverride
from meldwijzer.privacy.retention import (
    PATH,
    RetentionTableError,
    default_retention,
    retention_table_parse,
)
from meldwijzer.privacy.selectors import retention_period, retention_table
from meldwijzer.privacy.services import SharingError, retention_override_set
from tests.factories import MembershipFactory, OrganisationFactory, allow_api_keys_for

DOCUMENT = yaml.safe_load(PATH.read_text(encoding="utf-8"))


def test_the_shipped_table_names_every_kind_with_its_basis_date_and_source():
    table = default_retention()
    assert set(table.periods) == set(FileKind.values)
    assert isinstance(table.as_of, datetime.date) and "WGBO" in table.source
    # Youth care and medical files: 20 years after the last change (WGBO, Jeugdwet).
    dossier = table.periods[FileKind.MELDCODE_DOSSIER]
    assert dossier.years == 20 and "WGBO" in dossier.basis and "Jeugdwet" in dossier.basis
    assert table.periods[FileKind.ACCESS_LOG].years == 5


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["periods"].pop("nazorg"), "ontbreekt voor: nazorg"),
        (lambda d: d["periods"].update(onbekend=d["periods"]["nazorg"]), "onbekende soort"),
        (lambda d: d["periods"]["nazorg"].update(years=0), "nazorg: years"),
        (lambda d: d["periods"]["nazorg"].update(years="20"), "nazorg: years"),
        (lambda d: d["periods"]["nazorg"].update(basis=" "), "nazorg: basis ontbreekt"),
        (lambda d: d.pop("as_of"), "as_of"),
        (lambda d: d.update(source=""), "source"),
    ],
)
def test_a_broken_table_is_refused_naming_the_problem(change, message):
    document = copy.deepcopy(DOCUMENT)
    change(document)
    with pytest.raises(RetentionTableError, match=message):
        retention_table_parse(document)


@pytest.fixture
def admin(db):
    organisation = OrganisationFactory(name="GGD Elders")
    user = MembershipFactory(role=Role.FUNCTIONAL_ADMIN, organisation=organisation).user
    return actor_for_user(user=user)


def test_without_an_override_the_default_applies(admin):
    period = retention_period(organisation=admin.organisation, file_kind="meldcodedossier")
    assert (period.years, period.overridden) == (20, False)


def test_an_organisations_own_period_applies_to_it_only(admin):
    retention_override_set(
        actor=admin, file_kind="consultatieverslag", years=15, basis="Eigen regeling, art. 3"
    )
    mine = retention_period(organisation=admin.organisation, file_kind="consultatieverslag")
    assert (mine.years, mine.basis, mine.overridden) == (15, "Eigen regeling, art. 3", True)
    assert "GGD Elders" in mine.source
    other = OrganisationFactory()
    assert retention_period(organisation=other, file_kind="consultatieverslag").years == 20
    row = AccessLogEntry.objects.order_by("-id").first()
    assert (row.subject_type, row.subject_id, row.purpose) == (
        "bewaartermijn", "consultatieverslag", Purpose.ADMINISTRATION,
    )  # fmt: skip
    retention_override_set(actor=admin, file_kind="consultatieverslag", years=None)
    assert not RetentionOverride.objects.exists()
    assert (
        retention_period(organisation=admin.organisation, file_kind="consultatieverslag").years
        == 20
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"file_kind": "meldcodedossier", "years": 0, "basis": "x"}, "1 tot"),
        ({"file_kind": "meldcodedossier", "years": 10, "basis": " "}, "grondslag"),
        ({"file_kind": "agenda", "years": 10, "basis": "x"}, "soort dossier"),
    ],
)
def test_a_bad_override_is_refused_in_dutch(admin, kwargs, message):
    with pytest.raises(SharingError, match=message):
        retention_override_set(actor=admin, **kwargs)
    assert not RetentionOverride.objects.exists()


def test_only_the_functioneel_beheerder_sets_periods(admin):
    professional = actor_for_user(
        user=MembershipFactory(role=Role.PROFESSIONAL, organisation=admin.organisation).user
    )
    with pytest.raises(SharingError, match="Met uw rol"):
        retention_override_set(actor=professional, file_kind="nazorg", years=10, basis="x")


def test_the_table_for_an_organisation_takes_one_query(admin, django_assert_num_queries):
    retention_override_set(actor=admin, file_kind="nazorg", years=7, basis="Eigen regeling")
    with django_assert_num_queries(1):
        table = retention_table(organisation=admin.organisation)
    assert {p.file_kind: p.years for p in table}["nazorg"] == 7
    assert len(table) == len(FileKind.values)


def test_the_api_reads_and_sets_the_table(admin):
    allow_api_keys_for(admin.user)
    _, secret = api_token_create(actor=admin, name="koppeling")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    url = reverse("api:retention")
    assert {row["file_kind"]: row["years"] for row in client.get(url).json()}["nazorg"] == 20
    response = client.post(
        url, {"file_kind": "nazorg", "years": 7, "basis": "Eigen regeling"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 200
    assert {row["file_kind"]: row["years"] for row in response.json()}["nazorg"] == 7
    bad = client.post(url, {"file_kind": "nazorg", "years": 7}, content_type="application/json")
    assert bad.status_code == 400 and "grondslag" in bad.json()["error"]["message"]

    professional = MembershipFactory(role=Role.PROFESSIONAL, organisation=admin.organisation).user
    allow_api_keys_for(professional)
    _, other_secret = api_token_create(actor=actor_for_user(user=professional), name="k")
    other = Client(HTTP_AUTHORIZATION=f"Bearer {other_secret}")
    assert other.get(url).status_code == 200
    refused = other.post(
        url, {"file_kind": "nazorg", "years": 1, "basis": "x"}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert AccessLogEntry.objects.filter(user=professional, outcome=AccessOutcome.DENIED).exists()
