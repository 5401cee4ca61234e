"""A write the API refuses (a contact on an ended plan) is in the access log as refused, with
the client — not as a contact created."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from meldwijzer.audit.models import AccessLogEntry, AccessOutcome, Action
from meldwijzer.followups.models import FollowupContact, FollowupPlan, PlanState
from meldwijzer.organisations.roles import Role
from tests.conftest import force_verified_login
from tests.factories import OrganisationFactory
from tests.followups.access_api import member
from tests.followups.builders import closed_with_plan

pytestmark = pytest.mark.django_db


def test_a_contact_refused_on_an_ended_plan_is_logged_as_refused(client):
    follower = member(Role.PROFESSIONAL, OrganisationFactory(name="GGD JGZ"))
    plan = closed_with_plan(follower)
    FollowupPlan.objects.filter(pk=plan.pk).update(state=PlanState.ENDED)
    force_verified_login(client, follower.user)
    before = AccessLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    response = client.post(
        reverse("api:followup-plan-contacts", kwargs={"plan_id": plan.pk}),
        json.dumps(
            {
                "held_on": timezone.localdate().isoformat(),
                "mode": "huisbezoek",
                "summary": "Rustig gesprek.",
                "safety": "veilig",
                "safety_note": "Afspraken werken.",
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not FollowupContact.objects.exists()
    rows = AccessLogEntry.objects.filter(pk__gt=before, user=follower.user)
    assert not rows.filter(action=Action.CREATE, outcome=AccessOutcome.ALLOWED).exists()
    refused = rows.get(outcome=AccessOutcome.DENIED)
    assert refused.action == Action.CREATE
    assert refused.client_id == plan.client_pseudonym
    assert refused.subject_id == str(plan.pk)


@pytest.mark.parametrize("where", ["page", "api"])
def test_someone_elses_alert_is_refused_and_logged_with_its_client(client, where):
    from tests.followups.access_api import alert_make

    follower = member(Role.PROFESSIONAL, OrganisationFactory(name="GGD JGZ"))
    plan = closed_with_plan(follower)
    alert = alert_make(plan, follower.user)
    stranger = member(Role.CASE_COORDINATOR, OrganisationFactory(name="Wijkteam"))
    force_verified_login(client, stranger.user)
    if where == "page":
        url = reverse("followups:alert_acknowledge", kwargs={"alert_id": alert.pk})
        response = client.post(url, {f"melding-{alert.pk}-note": "Gebeld."})
    else:
        url = reverse("api:followup-alert-acknowledge", kwargs={"alert_id": alert.pk})
        response = client.post(url, {"note": "Gebeld."}, content_type="application/json")
    assert response.status_code == 404
    alert.refresh_from_db()
    assert alert.acknowledged_at is None
    refused = AccessLogEntry.objects.get(user=stranger.user, outcome=AccessOutcome.DENIED)
    assert refused.client_id == plan.client_pseudonym
