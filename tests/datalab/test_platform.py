"""The platform's own cases as a shared file: pseudonymised with the region's key, nothing that
names a person, and linked to Veilig Thuis's records of the same person."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.utils import timezone

from meldwijzer import cli
from meldwijzer.cases.models import Case, Entry, EntryKind, Person
from meldwijzer.cases.workflow import Phase
from meldwijzer.datalab.imports import import_file
from meldwijzer.datalab.models import ImportState, Record, SourceKind
from meldwijzer.datalab.platform import platform_rows
from meldwijzer.organisations.models import Sector
from meldwijzer.privacy.pseudonyms import key_id
from tests.datalab.sharedfiles import KEY, csv_bytes, pseudonym, row
from tests.factories import MembershipFactory, MunicipalityFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


@pytest.fixture
def world(db):
    municipality = MunicipalityFactory(name="Proefpolder")
    datalab = OrganisationFactory(name="Gemeente Proefpolder", municipality=municipality)
    school = OrganisationFactory(
        name="Basisschool De Polder", municipality=municipality, sector=Sector.EDUCATION
    )
    elsewhere = OrganisationFactory(name="School Elders", municipality=MunicipalityFactory())
    user = MembershipFactory(organisation=school).user
    opened = datetime.date(2022, 4, 1)

    def case(organisation, reference, **values):
        return Case.objects.create(
            reference=reference, title="Zorgen", organisation=organisation, responsible=user,
            profession="onderwijs", phase=Phase.SIGNALS, phase_entered_at=at(opened),
            opened_at=at(opened), updated_at=at(opened), **values,
        )  # fmt: skip

    ours = case(school, "C-1")
    Person.objects.create(
        case=ours, kind="child", name="Sanne de Vries", date_of_birth=datetime.date(2014, 7, 14),
        bsn="111222333", postcode="8302 AB", street_address="Kerkstraat 12", author=user,
        created_at=at(opened),
    )  # fmt: skip
    Person.objects.create(
        case=ours, kind="parent", name="Hélène Bakker", date_of_birth=datetime.date(1985, 1, 2),
        author=user, created_at=at(opened),
    )  # fmt: skip
    Entry.objects.create(
        case=ours, kind=EntryKind.REPORT, phase=Phase.SIGNALS, data={"date": "2022-04-20"},
        author=user, organisation=school, created_at=at(datetime.date(2022, 4, 20)),
    )  # fmt: skip
    case(elsewhere, "C-2")
    return datalab


def test_rows_of_the_municipality_pseudonymised(world):
    rows = platform_rows(organisation=world, key=KEY)
    assert [r["kenmerk"] for r in rows] == ["C-1"]
    only = rows[0]
    assert only["meldingsdatum"] == "2022-04-20"  # the report to Veilig Thuis
    assert only["melder_sector"] == "onderwijs" and only["aard"] == "kindermishandeling"
    assert only["pc4"] == "8302" and only["sleutel_id"] == key_id(KEY, "datalab")
    assert only["persoon_1_pseudoniem"] == pseudonym("111222333")
    assert only["persoon_1_leeftijdsklasse"] == "5-9" and only["persoon_1_rol"] == "slachtoffer"
    assert only["persoon_2_pseudoniem"].startswith("rp-")
    assert only["persoon_2_rol"] == "betrokkene"
    text = " ".join(only.values())
    for identifier in ("111222333", "Sanne", "Bakker", "Kerkstraat", "8302 AB", "2014-07-14"):
        assert identifier not in text


def test_platform_file_links_with_veilig_thuis(world, tmp_path, monkeypatch):
    membership = MembershipFactory(organisation=world, role="policy_adviser")
    from meldwijzer.organisations.selectors import actor_for_user

    actor = actor_for_user(user=membership.user, organisation_id=world.pk)
    vt = [row("VT-1", meldingsdatum="2022-04-02", casus_start="2022-04-02", eerste_actie="")]
    first = import_file(
        actor=actor, source_name="Veilig Thuis", source_kind=SourceKind.VEILIG_THUIS,
        uploaded=io.BytesIO(csv_bytes(vt)), filename="vt.csv",
    )  # fmt: skip
    assert first.state == ImportState.DONE
    key_file = tmp_path / "sleutel.txt"
    key_file.write_text(KEY, encoding="utf-8")
    target = tmp_path / "eigen.csv"
    argv = ["datalab", "export-cases", str(target), "--sleutel-bestand", str(key_file)]
    assert cli.main([*argv, "--organisatie", world.name]) == 0
    with target.open(encoding="utf-8") as handle:
        assert [r["kenmerk"] for r in csv.DictReader(handle)] == ["C-1"]
    second = import_file(
        actor=actor, source_name="Meldwijzer", source_kind=SourceKind.PLATFORM,
        uploaded=target.open("rb"), filename="eigen.csv",
    )  # fmt: skip
    assert second.state == ImportState.DONE, second.errors
    record = Record.objects.get(reference="C-1")
    # Sanne was in Veilig Thuis's file with a case open since 2 April: a follow-up report.
    assert record.report_kind == "vervolg" and record.report_kind_derived
