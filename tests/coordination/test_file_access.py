"""Who sees a coordination file, and what: the casusregisseur and team members of the leading
organisation everything; a team member of another organisation only the parts its grant opens,
while its ground is in force; everyone else nothing, refused as 'not found' and logged."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.http import Http404

from meldwijzer.audit.models import AccessLogEntry, AccessOutcome
from meldwijzer.coordination import selectors
from meldwijzer.coordination.models import CoordinationFile, FileParts
from meldwijzer.privacy import services as privacy_services
from tests.coordination.builders import actor_of, team

pytestmark = pytest.mark.django_db


def _sees(user, file, part):
    try:
        selectors.file_get(actor=actor_of(user), file_id=file.pk, part=part)
    except Http404:
        return False
    return True


def test_the_leading_organisation_sees_every_part_the_partner_only_its_grant():
    world = team(partner_parts=(FileParts.SAFETY_PLAN,))
    for part in FileParts:
        assert _sees(world.coordinator, world.file, part)
        assert _sees(world.colleague_in_team, world.file, part)
    assert _sees(world.partner, world.file, FileParts.TEAM)
    assert _sees(world.partner, world.file, FileParts.SAFETY_PLAN)
    assert not _sees(world.partner, world.file, FileParts.CONTACTS)
    assert not _sees(world.partner, world.file, FileParts.FAMILY)


def test_outside_the_team_nobody_sees_the_file_and_the_refusal_names_the_client():
    world = team()
    for user in (world.colleague_outside, world.stranger):
        assert not _sees(user, world.file, FileParts.TEAM)
        refusal = AccessLogEntry.objects.get(user=user, outcome=AccessOutcome.DENIED)
        assert refusal.client_id == world.file.client_pseudonym
        assert refusal.subject_type == "regiedossier"


def test_a_partner_read_is_logged_with_its_ground_and_the_lead_read_without():
    world = team()
    selectors.file_get(actor=actor_of(world.partner), file_id=world.file.pk)
    row = AccessLogEntry.objects.filter(user=world.partner).order_by("-id").first()
    grant = world.file.team.get(user=world.partner).grant
    assert row.ground == f"toestemming:{grant.ground_id}"
    assert row.client_id == world.file.client_pseudonym
    selectors.file_get(actor=actor_of(world.coordinator), file_id=world.file.pk)
    row = AccessLogEntry.objects.filter(user=world.coordinator).order_by("-id").first()
    assert row.ground == ""


def test_withdrawn_consent_closes_the_file_to_the_partner_at_once():
    world = team()
    grant = world.file.team.get(user=world.partner).grant
    privacy_services.consent_withdraw(actor=actor_of(world.coordinator), ground=grant.ground)
    assert not _sees(world.partner, world.file, FileParts.TEAM)
    assert _sees(world.colleague_in_team, world.file, FileParts.TEAM)


def test_the_file_list_holds_only_files_with_access():
    world = team()
    grant = world.file.team.get(user=world.partner).grant
    assert selectors.file_list(actor=actor_of(world.partner)) == [world.file]
    assert selectors.file_list(actor=actor_of(world.stranger)) == []
    privacy_services.access_grant_revoke(actor=actor_of(world.coordinator), grant=grant)
    assert selectors.file_list(actor=actor_of(world.partner)) == []


def test_a_file_always_has_exactly_one_casusregisseur():
    world = team()
    with pytest.raises(IntegrityError), transaction.atomic():
        CoordinationFile.objects.filter(pk=world.file.pk).update(coordinator=None)
