"""Closing a coordination file on its page and through the API: the casusregisseur only, with
agreements on following the family's safety, which start a follow-up plan; anyone else finds no
such page, and a refused closing leaves the file open."""

from __future__ import annotations

import datetime
from typing import Any, cast

import pytest
from django.test import Client
from django.urls import reverse

from meldwijzer.accounts.models import User
from meldwijzer.accounts.services import api_token_create
from meldwijzer.cases.followers import default_until
from meldwijzer.coordination.models import CoordinationFile, FileState
from meldwijzer.followups.models import FollowupPlan
from meldwijzer.organisations.models import Sector
from meldwijzer.privacy.models import AccessGrant, ResourceKind, SharingGround
from tests.conftest import force_verified_login
from tests.coordination.builders import Team, actor_of, consent, professional, team
from tests.factories import allow_api_keys_for

pytestmark = pytest.mark.django_db

HOW = "De JGZ ziet het jongste kind op het consultatiebureau en belt moeder elke maand."


@pytest.fixture
def world() -> Team:
    return team()


def _send(channel: str, user: User, file: CoordinationFile, follower: User | None, **extra: Any):
    file.refresh_from_db()
    follows = actor_of(follower) if follower is not None else None
    ground = extra.pop("ground", None)
    until = extra.pop("until", default_until()).isoformat()
    if channel == "page":
        client = force_verified_login(Client(), user)
        return client.post(
            reverse("coordination:file_close", kwargs={"file_id": file.pk}),
            {
                "version": file.version,
                "follower": f"{follows.user.pk}:{follows.organisation.pk}" if follows else "",
                "how": extra.pop("how", HOW),
                "until": until,
                "ground": str(ground or ""),
            },
        )
    allow_api_keys_for(user)
    _, secret = api_token_create(actor=actor_of(user), name="koppeling")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}").post(
        f"/api/v1/coordination/files/{file.pk}/close/",
        {
            "version": file.version,
            "follower_id": follows.user.pk if follows else None,
            "organisation_id": follows.organisation.pk if follows else None,
            "how": extra.pop("how", HOW),
            "until": until,
            "ground_id": ground,
        },
        content_type="application/json",
    )


def _still_open(file: CoordinationFile) -> None:
    assert CoordinationFile.objects.get(pk=file.pk).state == FileState.OPEN
    assert not FollowupPlan.objects.exists()


def test_only_the_casusregisseur_sees_the_close_link_and_page(world, verified):
    detail = reverse("coordination:detail", kwargs={"file_id": world.file.pk})
    close = reverse("coordination:file_close", kwargs={"file_id": world.file.pk})
    page = verified(world.coordinator).get(detail).content.decode()
    assert close in page
    form = verified(world.coordinator).get(close).content.decode()
    assert "Hoe volgt u de veiligheid en wat spreekt u af met het gezin?" in form
    assert "volgt meestal de jeugdgezondheidszorg (JGZ)" in form
    assert close not in verified(world.colleague_in_team).get(detail).content.decode()


@pytest.mark.parametrize("channel", ["page", "api"])
@pytest.mark.parametrize("who", ["colleague_in_team", "partner", "stranger"])
def test_closing_by_anyone_but_the_casusregisseur_is_not_found(world, channel, who):
    response = _send(channel, getattr(world, who), world.file, world.coordinator)
    assert response.status_code == 404
    _still_open(world.file)


@pytest.mark.parametrize("channel", ["page", "api"])
def test_closing_without_agreements_leaves_the_file_open(world, channel):
    response = _send(channel, world.coordinator, world.file, None, how=" ")
    assert response.status_code == 400
    text = response.content.decode()
    assert "Kies de professional" in text and "Beschrijf hoe de veiligheid" in text
    _still_open(world.file)


@pytest.mark.parametrize("channel", ["page", "api"])
def test_the_casusregisseur_closes_the_file_and_starts_the_plan(world, channel):
    response = _send(channel, world.coordinator, world.file, world.coordinator)
    assert response.status_code in (200, 302), response.content[:500]
    file = CoordinationFile.objects.get(pk=world.file.pk)
    assert file.state == FileState.CLOSED and file.closed_at is not None
    plan = FollowupPlan.objects.get()
    assert (plan.file_id, plan.follower, plan.how) == (file.pk, world.coordinator, HOW)
    assert plan.ends_on == default_until()


def test_a_follower_of_another_organisation_needs_the_leads_ground(world):
    nurse = professional(sector=Sector.HEALTHCARE)
    response = _send("api", world.coordinator, world.file, nurse)
    assert response.status_code == 400
    assert "grondslag" in " ".join(response.json()["error"]["fields"]["ground_id"])
    _still_open(world.file)
    ground = cast(SharingGround, consent(world.coordinator, world.file, with_whom="de JGZ"))
    grants = AccessGrant.objects.count()
    assert ground.valid_until is not None
    beyond = ground.valid_until + datetime.timedelta(days=1)
    response = _send("page", world.coordinator, world.file, nurse, ground=ground.pk, until=beyond)
    assert response.status_code == 400
    assert "De toestemming geldt tot en met" in response.content.decode()
    _still_open(world.file)
    until = ground.valid_until
    response = _send("page", world.coordinator, world.file, nurse, ground=ground.pk, until=until)
    assert response.status_code == 302, response.content[:500]
    plan = FollowupPlan.objects.get()
    grant = AccessGrant.objects.get(resource_kind=ResourceKind.FOLLOWUP_PLAN)
    assert (grant.user, grant.resource_id, grant.ground) == (nurse, plan.pk, ground)
    assert AccessGrant.objects.count() == grants + 1
