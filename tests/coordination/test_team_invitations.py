"""Invitations: nothing of the family is shared before the invited professional accepts; only
then is the grant made, on the invitation's ground; leaving, ending a membership and withdrawn
consent close the file again at once."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meldwijzer.coordination import selectors, team, team_selectors
from meldwijzer.coordination.models import FileParts, MemberState
from meldwijzer.coordination.selectors import file_access_for
from meldwijzer.coordination.services import CoordinationError
from meldwijzer.organisations.models import Sector
from meldwijzer.privacy.models import AccessGrant
from tests.conftest import force_verified_login
from tests.coordination.builders import actor_of, consent, coordinator, file_open, professional

pytestmark = pytest.mark.django_db


def _sees(user, file, part=FileParts.TEAM):
    try:
        selectors.file_get(actor=actor_of(user), file_id=file.pk, part=part)
    except Http404:
        return False
    return True


def _invite(file, user, parts=(FileParts.SAFETY_PLAN,), ground="consent"):
    lead = actor_of(file.coordinator)
    return team.invitation_send(
        actor=lead,
        access=file_access_for(lead, file),
        user=user,
        organisation=actor_of(user).organisation,
        role_description="Ik ben de juf van het kind.",
        ground=consent(file.coordinator, file) if ground == "consent" else None,
        parts=parts,
        until=timezone.localdate() + datetime.timedelta(days=60),
    )


@pytest.fixture
def file():
    return file_open(coordinator())


@pytest.fixture
def teacher():
    return professional(sector=Sector.EDUCATION)


def test_before_accepting_the_invited_professional_sees_nothing_and_has_no_grant(
    client, file, teacher
):
    member = _invite(file, teacher)
    assert member.state == MemberState.INVITED
    assert not AccessGrant.objects.filter(user=teacher).exists()
    assert not _sees(teacher, file)
    force_verified_login(client, teacher)
    page = client.get(reverse("coordination:invitations")).content.decode()
    assert file.reference in page
    assert "Ouder Testgezin" not in page and "Kind Testgezin" not in page
    assert f"door {member.ground.given_by}" not in page, "who gave consent is the family's"
    assert client.get(reverse("coordination:family", args=[file.pk])).status_code == 404


def test_accepting_makes_the_grant_on_the_invitations_ground_and_parts(client, file, teacher):
    member = _invite(file, teacher)
    force_verified_login(client, teacher)
    response = client.post(reverse("coordination:invitation_accept", args=[member.pk]))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.state == MemberState.ACTIVE
    assert member.grant.ground_id == member.ground_id
    assert set(member.grant.parts) == {FileParts.TEAM, FileParts.SAFETY_PLAN}
    assert _sees(teacher, file, FileParts.SAFETY_PLAN)
    assert not _sees(teacher, file, FileParts.FAMILY)


def test_declining_shares_nothing(client, file, teacher):
    member = _invite(file, teacher)
    force_verified_login(client, teacher)
    client.post(reverse("coordination:invitation_decline", args=[member.pk]))
    member.refresh_from_db()
    assert member.state == MemberState.DECLINED
    assert not AccessGrant.objects.filter(user=teacher).exists()
    assert not _sees(teacher, file)


def test_only_the_invited_professional_answers_an_invitation(client, file, teacher):
    member = _invite(file, teacher)
    colleague = professional(actor_of(teacher).organisation)
    force_verified_login(client, colleague)
    response = client.post(reverse("coordination:invitation_accept", args=[member.pk]))
    assert response.status_code == 404
    member.refresh_from_db()
    assert member.state == MemberState.INVITED


def test_another_organisation_is_not_invited_without_a_ground(file, teacher):
    with pytest.raises(CoordinationError, match="grondslag"):
        _invite(file, teacher, ground=None)
    assert not file.team.filter(user=teacher).exists()


def test_only_the_casusregisseur_invites(file, teacher):
    colleague = professional(file.lead_organisation)
    team_actor = actor_of(file.coordinator)
    team.invitation_send(
        actor=team_actor,
        access=file_access_for(team_actor, file),
        user=colleague,
        organisation=file.lead_organisation,
        role_description="Ik ben de tweede wijkcoach.",
    )
    member = file.team.get(user=colleague)
    team.invitation_accept(actor=actor_of(colleague), member=member)
    colleague_actor = actor_of(colleague)
    with pytest.raises(CoordinationError):
        team.invitation_send(
            actor=colleague_actor,
            access=file_access_for(colleague_actor, file),
            user=teacher,
            organisation=actor_of(teacher).organisation,
            role_description="x",
            ground=consent(file.coordinator, file),
            until=timezone.localdate() + datetime.timedelta(days=30),
        )


def test_the_invite_form_records_a_new_consent_and_changes_nothing_on_bad_input(
    client, file, teacher
):
    force_verified_login(client, file.coordinator)
    url = reverse("coordination:team_invite", args=[file.pk])
    bad = client.post(url, {"email": teacher.email, "role_description": ""})
    assert bad.status_code == 400
    assert "Beschrijf wat het gezin" in bad.content.decode()
    assert not file.team.filter(user=teacher).exists()
    until = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    good = client.post(
        url,
        {
            "email": teacher.email,
            "role_description": "Ik ben de juf.",
            "parts": [FileParts.SAFETY_PLAN],
            "until": until,
            "ground_kind": "toestemming",
            "given_by": "moeder",
        },
    )
    assert good.status_code == 302, good.content.decode()[:2000]
    member = file.team.get(user=teacher)
    assert member.state == MemberState.INVITED and member.ground.given_by == "moeder"


def test_leaving_revokes_the_grant_at_once(client, file, teacher):
    member = _invite(file, teacher)
    team.invitation_accept(actor=actor_of(teacher), member=member)
    force_verified_login(client, teacher)
    response = client.post(reverse("coordination:team_member_end", args=[file.pk, member.pk]))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.state == MemberState.LEFT
    assert member.grant.revoked_at is not None
    assert not _sees(teacher, file)


def test_the_casusregisseur_ends_a_membership_and_the_grant_with_it(file, teacher):
    member = _invite(file, teacher)
    team.invitation_accept(actor=actor_of(teacher), member=member)
    lead = actor_of(file.coordinator)
    team.membership_end(actor=lead, access=file_access_for(lead, file), member=member)
    member.refresh_from_db()
    assert member.grant.revoked_at is not None
    assert not _sees(teacher, file)


def test_a_member_cannot_end_someone_else(client, file, teacher):
    member = _invite(file, teacher)
    team.invitation_accept(actor=actor_of(teacher), member=member)
    other = professional(sector=Sector.HEALTHCARE)
    second = _invite(file, other, parts=())
    team.invitation_accept(actor=actor_of(other), member=second)
    force_verified_login(client, other)
    response = client.post(reverse("coordination:team_member_end", args=[file.pk, member.pk]))
    assert response.status_code == 404
    member.refresh_from_db()
    assert member.state == MemberState.ACTIVE


def test_withdrawn_consent_ends_the_memberships_and_invitations_it_opened(client, file, teacher):
    member = _invite(file, teacher)
    team.invitation_accept(actor=actor_of(teacher), member=member)
    waiting_user = professional(actor_of(teacher).organisation)
    lead = actor_of(file.coordinator)
    waiting = team.invitation_send(
        actor=lead,
        access=file_access_for(lead, file),
        user=waiting_user,
        organisation=actor_of(waiting_user).organisation,
        role_description="Ik ben de intern begeleider.",
        ground=member.ground,
        until=timezone.localdate() + datetime.timedelta(days=30),
    )
    force_verified_login(client, file.coordinator)
    response = client.post(reverse("coordination:team_consent_withdraw", args=[file.pk, member.pk]))
    assert response.status_code == 302
    member.refresh_from_db()
    waiting.refresh_from_db()
    assert member.state == MemberState.LEFT and member.grant.revoked_at is not None
    assert waiting.state == MemberState.LEFT
    assert not _sees(teacher, file)
    with pytest.raises(CoordinationError):
        team.invitation_accept(actor=actor_of(waiting_user), member=waiting)


def test_an_invitation_on_a_withdrawn_ground_cannot_be_accepted(file, teacher):
    from meldwijzer.privacy import services as privacy_services

    member = _invite(file, teacher)
    privacy_services.consent_withdraw(actor=actor_of(file.coordinator), ground=member.ground)
    with pytest.raises(CoordinationError):
        team.invitation_accept(actor=actor_of(teacher), member=member)
    assert not AccessGrant.objects.filter(user=teacher).exists()


def test_the_worklist_shows_a_waiting_invitation(client, file, teacher):
    _invite(file, teacher)
    force_verified_login(client, teacher)
    page = client.get(reverse("coordination:list")).content.decode()
    assert "nodigt u uit" in page and file.reference in page


def _queries(actor):
    with CaptureQueriesContext(connection) as context:
        rows = team_selectors.invitation_list(actor=actor)
        [
            (row.file.lead_organisation.name, row.file.coordinator.pk, row.ground.kind)
            for row in rows
        ]
    return len(context), len(rows)


def test_invitations_list_in_constant_queries(teacher):
    _invite(file_open(coordinator()), teacher)
    _queries(actor_of(teacher))  # the access log's first row in its chain costs more
    one, _ = _queries(actor_of(teacher))
    for _ in range(3):
        _invite(file_open(coordinator()), teacher)
    many, rows = _queries(actor_of(teacher))
    assert rows == 4
    assert many == one, "no query per invitation"
