"""Bad input to the follow-up pages and API is a Dutch 400, never a 500, and changes nothing."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from meldwijzer.followups.models import FollowupContact, PlanDecision
from meldwijzer.organisations.roles import Role
from tests.conftest import force_verified_login
from tests.factories import OrganisationFactory
from tests.followups.access_api import member
from tests.followups.builders import closed_with_plan

pytestmark = pytest.mark.django_db

HUGE = 10**20


@pytest.fixture
def scene(client):
    follower = member(Role.PROFESSIONAL, OrganisationFactory(name="GGD JGZ"))
    plan = closed_with_plan(follower)
    force_verified_login(client, follower.user)
    client.raise_request_exception = False
    return follower, plan


@pytest.mark.parametrize(
    "body",
    [
        {"follower_id": HUGE, "organisation_id": HUGE},
        {"follower_id": 1, "organisation_id": HUGE},
        {"follower_id": 1, "organisation_id": 1, "ground_id": HUGE},
    ],
)
def test_huge_ids_in_a_plan_change_are_a_400(client, scene, body):
    _, plan = scene
    response = client.post(
        reverse("api:followup-plan-change", kwargs={"plan_id": plan.pk}),
        json.dumps({"version": plan.version, "note": "Ander persoon.", **body}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not PlanDecision.objects.exists()


def test_a_non_ascii_digit_as_version_on_the_page_is_no_500(client, scene):
    _, plan = scene
    response = client.post(
        reverse("followups:contact_record", kwargs={"plan_id": plan.pk}),
        {
            "version": "²",
            "held_on": timezone.localdate().isoformat(),
            "mode": "huisbezoek",
            "summary": "Rustig gesprek.",
            "safety": "veilig",
            "safety_note": "Afspraken werken.",
            "planned": "",
        },
    )
    assert response.status_code == 400
    assert not FollowupContact.objects.exists()
