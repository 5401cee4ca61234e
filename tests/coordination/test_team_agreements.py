"""Agreements: made by the team, changed with the version that was read (a stale one is a
conflict, never an overwrite), overdue ones flagged to their owner and to the casusregisseur; the
family and network kept by the leading organisation's team; the next contact by the
casusregisseur."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meldwijzer.audit.models import AccessLogEntry
from meldwijzer.coordination import agreements, team, team_selectors
from meldwijzer.coordination.agreements import agreement_version
from meldwijzer.coordination.models import Agreement, AgreementState, FamilyMember, FileParts
from meldwijzer.coordination.selectors import file_access_for
from meldwijzer.coordination.services import ConflictError, CoordinationError, FamilyMemberData
from meldwijzer.organisations.models import Sector
from tests.conftest import force_verified_login
from tests.coordination.builders import actor_of, add_member, professional
from tests.coordination.builders import team as team_world

pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    """Today at the moment the test runs (a run may pass midnight after collecting the tests)."""
    return timezone.localdate()


def _agreement(world, owner=None, days=7, what="Huisbezoek afleggen"):
    lead = actor_of(world.coordinator)
    return agreements.agreement_create(
        actor=lead,
        access=file_access_for(lead, world.file),
        what=what,
        party="professional" if owner else "gezin",
        owner=owner,
        owner_name="" if owner else "moeder",
        due_date=today() + datetime.timedelta(days=days),
    )


def _overdue(agreement, days=3):
    """Move an agreement's date into the past, as time does."""
    Agreement.objects.filter(pk=agreement.pk).update(
        due_date=today() - datetime.timedelta(days=days)
    )


@pytest.fixture
def world():
    return team_world(partner_parts=(FileParts.SAFETY_PLAN,))


def test_a_stale_version_is_a_conflict_and_nothing_is_overwritten(world):
    agreement = _agreement(world)
    read = agreement_version(agreement)
    lead = actor_of(world.coordinator)
    access = file_access_for(lead, world.file)
    agreements.agreement_update(
        actor=lead,
        access=access,
        agreement=agreement,
        state=AgreementState.DONE,
        due_date=agreement.due_date,
        expected_version=read,
    )
    with pytest.raises(ConflictError, match="Iemand anders"):
        agreements.agreement_update(
            actor=lead,
            access=access,
            agreement=agreement,
            state=AgreementState.CANCELLED,
            due_date=agreement.due_date,
            expected_version=read,
        )
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.DONE


def test_the_page_answers_a_stale_version_with_409_in_dutch(client, world):
    agreement = _agreement(world)
    stale = agreement_version(agreement)
    Agreement.objects.filter(pk=agreement.pk).update(updated_at=timezone.now())
    force_verified_login(client, world.partner)
    response = client.post(
        reverse("coordination:agreement_edit", args=[world.file.pk, agreement.pk]),
        {"state": "gedaan", "due_date": agreement.due_date.isoformat(), "version": stale},
    )
    assert response.status_code == 409
    assert "Iemand anders heeft deze afspraak intussen gewijzigd" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.OPEN


def test_the_api_answers_a_stale_version_with_409(client, world):
    agreement = _agreement(world)
    stale = agreement_version(agreement)
    Agreement.objects.filter(pk=agreement.pk).update(updated_at=timezone.now())
    force_verified_login(client, world.coordinator)
    url = reverse("api:coordination-agreement-detail", args=[world.file.pk, agreement.pk])
    response = client.patch(
        url, {"state": "niet_gedaan", "version": stale}, content_type="application/json"
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "gelijktijdige_wijziging"
    fresh = client.get(reverse("api:coordination-agreements", args=[world.file.pk])).json()[0]
    ok = client.patch(
        url, {"state": "niet_gedaan", "version": fresh["version"]}, content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["state"] == "niet_gedaan"


def test_a_professional_owner_must_be_in_the_team(world):
    lead = actor_of(world.coordinator)
    with pytest.raises(CoordinationError, match="uit het team"):
        agreements.agreement_create(
            actor=lead,
            access=file_access_for(lead, world.file),
            what="Bellen",
            party="professional",
            owner=world.stranger,
            due_date=today(),
        )


def test_the_form_refuses_bad_input_and_records_nothing(client, world):
    force_verified_login(client, world.coordinator)
    response = client.post(
        reverse("coordination:agreement_add", args=[world.file.pk]),
        {"what": "", "party": "professional", "due_date": "gisteren"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Beschrijf wat er is afgesproken." in page and "Kies een geldige datum." in page
    assert not Agreement.objects.exists()


def test_overdue_agreements_are_flagged_to_their_owner_and_the_casusregisseur(client, world):
    mine = _agreement(world, owner=world.partner, what="Gesprek met de mentor")
    _overdue(mine)
    family = _agreement(world, what="Moeder belt de huisarts")
    _overdue(family)
    _agreement(world, owner=world.colleague_in_team, what="Nog niet over de datum")

    lead_rows = team_selectors.overdue_agreements(actor=actor_of(world.coordinator))
    assert [(row.file, row.count) for row in lead_rows] == [(world.file, 2)]
    owner_rows = team_selectors.overdue_agreements(actor=actor_of(world.partner))
    assert [(row.file, row.count, row.mine) for row in owner_rows] == [(world.file, 1, 1)]
    assert team_selectors.overdue_agreements(actor=actor_of(world.colleague_in_team)) == []
    assert team_selectors.overdue_agreements(actor=actor_of(world.stranger)) == []

    force_verified_login(client, world.partner)
    page = client.get(reverse("coordination:list")).content.decode()
    assert "Over de datum" in page and world.file.reference in page
    force_verified_login(client, world.coordinator)
    overview = client.get(reverse("coordination:detail", args=[world.file.pk])).content.decode()
    assert "2 afspraken over de datum" in overview


def test_an_owner_whose_grant_ended_is_not_told_of_the_file(world):
    from meldwijzer.privacy import services as privacy_services

    agreement = _agreement(world, owner=world.partner)
    _overdue(agreement)
    grant = world.file.team.get(user=world.partner).grant
    privacy_services.access_grant_revoke(actor=actor_of(world.coordinator), grant=grant)
    assert team_selectors.overdue_agreements(actor=actor_of(world.partner)) == []


def _count(fn):
    fn()  # the access log's first row in its chain costs more
    with CaptureQueriesContext(connection) as context:
        fn()
    return len(context)


def test_lists_do_not_query_per_row(client, world):
    force_verified_login(client, world.coordinator)
    urls = [
        reverse(name, args=[world.file.pk])
        for name in (
            "coordination:agreements",
            "coordination:who_does_what",
            "coordination:team",
            "coordination:family",
        )
    ] + [
        reverse("api:coordination-agreements", args=[world.file.pk]),
        reverse("api:coordination-team", args=[world.file.pk]),
        reverse("api:coordination-family", args=[world.file.pk]),
    ]
    for days in (1, 2):
        _agreement(world, owner=world.partner, days=days)
    before = {url: _count(lambda url=url: client.get(url)) for url in urls}
    for days in range(3, 9):
        _agreement(world, owner=world.colleague_in_team, days=days)
        _agreement(world, days=days)
    for _ in range(3):
        add_member(world.file, professional(sector=Sector.HEALTHCARE), parts=(FileParts.FAMILY,))
        FamilyMember.objects.create(
            file=world.file, role="netwerk", name="Buur", added_at=timezone.now()
        )
    for url in urls:
        assert _count(lambda url=url: client.get(url)) == before[url], url


def test_the_worklist_does_not_query_per_file(world):
    for _ in range(2):
        _overdue(_agreement(world))
    one = _count(lambda: team_selectors.overdue_agreements(actor=actor_of(world.coordinator)))
    for _ in range(3):
        other = team_world()
        other_lead = actor_of(other.coordinator)
        _overdue(
            agreements.agreement_create(
                actor=other_lead,
                access=file_access_for(other_lead, other.file),
                what="x",
                party="gezin",
                owner_name="vader",
                due_date=today(),
            )
        )
    assert (
        _count(lambda: team_selectors.overdue_agreements(actor=actor_of(world.coordinator))) == one
    )


# --- Family and network ---------------------------------------------------------------------------


def test_the_family_is_shown_only_with_the_family_part(client, world):
    force_verified_login(client, world.partner)
    response = client.get(reverse("coordination:family", args=[world.file.pk]))
    assert response.status_code == 404
    api = client.get(reverse("api:coordination-family", args=[world.file.pk]))
    assert api.status_code == 404
    overview = client.get(reverse("coordination:team", args=[world.file.pk])).content.decode()
    assert "Ouder Testgezin" not in overview
    assert "Gezin en netwerk" not in overview


def test_the_family_is_kept_by_the_leading_organisations_team_and_each_change_logged(client, world):
    force_verified_login(client, world.colleague_in_team)
    url = reverse("coordination:family_add", args=[world.file.pk])
    bad = client.post(url, {"role": "oom", "name": ""})
    assert bad.status_code == 400 and "Vul de naam in." in bad.content.decode()
    assert client.post(url, {"role": "netwerk", "name": "Buurvrouw Els"}).status_code == 302
    person = FamilyMember.objects.get(name="Buurvrouw Els")
    edit = reverse("coordination:family_edit", args=[world.file.pk, person.pk])
    version = client.get(edit).context["form"].initial["version"]
    response = client.post(
        edit, {"role": "netwerk", "name": "Els de Buurvrouw", "phone": "06 1", "version": version}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.name == "Els de Buurvrouw"
    rows = AccessLogEntry.objects.filter(
        user=world.colleague_in_team, part=FileParts.FAMILY, action__in=["create", "update"]
    )
    assert {row.action for row in rows} >= {"create", "update"}
    assert all(row.client_id == world.file.client_pseudonym for row in rows)


def test_a_partner_with_the_family_part_reads_but_does_not_change_the_family(client):
    world = team_world(partner_parts=(FileParts.FAMILY,))
    force_verified_login(client, world.partner)
    assert client.get(reverse("coordination:family", args=[world.file.pk])).status_code == 200
    add = client.post(
        reverse("coordination:family_add", args=[world.file.pk]),
        {"role": "netwerk", "name": "Iemand"},
    )
    assert add.status_code == 404
    access = file_access_for(actor_of(world.partner), world.file)
    with pytest.raises(CoordinationError):
        team.family_member_create(
            actor=actor_of(world.partner),
            access=access,
            member=FamilyMemberData("netwerk", "Iemand"),
        )


# --- The next contact -----------------------------------------------------------------------------


def test_the_casusregisseur_plans_the_next_contact_with_the_version_read(client, world):
    force_verified_login(client, world.coordinator)
    url = reverse("coordination:next_contact", args=[world.file.pk])
    world.file.refresh_from_db()
    day = today() + datetime.timedelta(days=5)
    response = client.post(url, {"next_contact": day.isoformat(), "version": world.file.version})
    assert response.status_code == 302
    world.file.refresh_from_db()
    assert world.file.next_contact == day
    stale = client.post(
        url,
        {"next_contact": today().isoformat(), "version": world.file.version - 1},
    )
    assert stale.status_code == 409
    world.file.refresh_from_db()
    assert world.file.next_contact == day


def test_only_the_casusregisseur_plans_the_next_contact(world):
    for user in (world.colleague_in_team, world.partner):
        actor = actor_of(user)
        with pytest.raises(CoordinationError):
            team.next_contact_set(
                actor=actor, access=file_access_for(actor, world.file), next_contact=today()
            )
