"""The team API under /api/v1/coordination/: the same rules as the pages, errors in the API's
format with Dutch messages. The access table (`access_team.py`) checks one method per URL; the
other methods of the same URLs are checked here."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meldwijzer.coordination import team
from meldwijzer.coordination.models import Agreement, FamilyMember, FileParts, MemberState
from meldwijzer.coordination.selectors import file_access_for
from meldwijzer.organisations.models import Sector
from meldwijzer.privacy.models import AccessGrant
from tests.conftest import force_verified_login
from tests.coordination.builders import actor_of, consent, professional
from tests.coordination.builders import team as team_world

pytestmark = pytest.mark.django_db

JSON = "application/json"


@pytest.fixture
def world():
    return team_world(partner_parts=(FileParts.SAFETY_PLAN,))


def test_the_invitation_flow_through_the_api(client, world):
    ground = consent(world.coordinator, world.file)
    teacher = professional(sector=Sector.EDUCATION)
    force_verified_login(client, world.coordinator)
    created = client.post(
        reverse("api:coordination-team", args=[world.file.pk]),
        {
            "email": teacher.email,
            "role_description": "Ik ben de juf.",
            "ground_id": ground.pk,
            "parts": ["veiligheidsplan"],
            "until": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
        },
        content_type=JSON,
    )
    assert created.status_code == 201, created.content
    invitation_id = created.json()["id"]

    force_verified_login(client, teacher)
    detail = reverse("api:coordination-file-detail", args=[world.file.pk])
    assert client.get(detail).status_code == 404
    listed = client.get(reverse("api:coordination-invitation-list")).json()
    assert [row["id"] for row in listed] == [invitation_id]
    accepted = client.post(reverse("api:coordination-invitation-accept", args=[invitation_id]))
    assert accepted.status_code == 200 and accepted.json()["state"] == MemberState.ACTIVE
    assert AccessGrant.objects.filter(user=teacher).count() == 1
    body = client.get(detail).json()
    assert set(body["parts"]) == {"team", "veiligheidsplan"}


def test_inviting_another_organisation_without_a_ground_is_refused_in_dutch(client, world):
    teacher = professional(sector=Sector.EDUCATION)
    force_verified_login(client, world.coordinator)
    response = client.post(
        reverse("api:coordination-team", args=[world.file.pk]),
        {"email": teacher.email, "role_description": "Ik ben de juf."},
        content_type=JSON,
    )
    assert response.status_code == 400
    assert "grondslag" in response.json()["error"]["message"]
    assert not world.file.team.filter(user=teacher).exists()


def test_only_the_casusregisseur_invites_through_the_api(client, world):
    force_verified_login(client, world.partner)
    response = client.post(
        reverse("api:coordination-team", args=[world.file.pk]),
        {"email": world.stranger.email, "role_description": "x"},
        content_type=JSON,
    )
    assert response.status_code == 404


def test_agreements_are_created_by_the_team_and_refused_outside_it(client, world):
    url = reverse("api:coordination-agreements", args=[world.file.pk])
    body = {
        "what": "Gesprek met de mentor",
        "party": "professional",
        "owner_email": world.partner.email,
        "due_date": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
    }
    force_verified_login(client, world.partner)
    created = client.post(url, body, content_type=JSON)
    assert created.status_code == 201, created.content
    assert created.json()["owner"] == world.partner.get_full_name()
    force_verified_login(client, world.stranger)
    assert client.post(url, body, content_type=JSON).status_code == 404
    assert Agreement.objects.count() == 1


def test_a_bad_agreement_is_refused_field_by_field(client, world):
    force_verified_login(client, world.coordinator)
    response = client.post(
        reverse("api:coordination-agreements", args=[world.file.pk]),
        {"what": "", "party": "iemand", "due_date": "morgen"},
        content_type=JSON,
    )
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) >= {"what", "party", "due_date"}


def test_the_family_through_the_api_needs_the_family_part_and_the_leading_team(client, world):
    url = reverse("api:coordination-family", args=[world.file.pk])
    force_verified_login(client, world.partner)
    assert client.get(url).status_code == 404
    force_verified_login(client, world.colleague_in_team)
    names = [row["name"] for row in client.get(url).json()]
    assert "Ouder Testgezin" in names
    added = client.post(url, {"role": "netwerk", "name": "Tante Mies"}, content_type=JSON)
    assert added.status_code == 201
    assert FamilyMember.objects.filter(name="Tante Mies").exists()


def test_the_next_contact_through_the_api(client, world):
    url = reverse("api:coordination-next-contact", args=[world.file.pk])
    world.file.refresh_from_db()
    day = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    force_verified_login(client, world.partner)
    assert (
        client.put(url, {"next_contact": day, "version": world.file.version}, content_type=JSON)
    ).status_code == 404
    force_verified_login(client, world.coordinator)
    ok = client.put(url, {"next_contact": day, "version": world.file.version}, content_type=JSON)
    assert ok.status_code == 200 and ok.json()["next_contact"] == day
    stale = client.put(
        url, {"next_contact": None, "version": world.file.version}, content_type=JSON
    )
    assert stale.status_code == 409
    assert "Iemand anders" in stale.json()["error"]["message"]


def test_a_member_leaves_through_the_api_and_loses_access(client, world):
    member = world.file.team.get(user=world.partner)
    force_verified_login(client, world.partner)
    response = client.post(
        reverse("api:coordination-team-member-end", args=[world.file.pk, member.pk])
    )
    assert response.status_code == 200 and response.json()["state"] == MemberState.LEFT
    assert client.get(reverse("api:coordination-team", args=[world.file.pk])).status_code == 404


def test_declining_through_the_api(client, world):
    teacher = professional(sector=Sector.EDUCATION)
    lead = actor_of(world.coordinator)
    member = team.invitation_send(
        actor=lead,
        access=file_access_for(lead, world.file),
        user=teacher,
        organisation=actor_of(teacher).organisation,
        role_description="Ik ben de juf.",
        ground=consent(world.coordinator, world.file),
        until=timezone.localdate() + datetime.timedelta(days=30),
    )
    force_verified_login(client, teacher)
    response = client.post(reverse("api:coordination-invitation-decline", args=[member.pk]))
    assert response.status_code == 200 and response.json()["state"] == MemberState.DECLINED
    assert not AccessGrant.objects.filter(user=teacher).exists()
