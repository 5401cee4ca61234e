"""The follow-up API: the same services and rules as the pages, Dutch errors per field in the API's
format that change nothing, 409 on a stale version, and a plan whose grant ended out of reach."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meldwijzer.audit.models import AccessLogEntry, AccessOutcome
from meldwijzer.followups import selectors, services
from meldwijzer.followups.models import (
    Alert,
    FollowupContact,
    FollowupPlan,
    PlanDecision,
    PlannedContact,
    PlanState,
)
from meldwijzer.organisations.roles import Role
from meldwijzer.privacy import services as privacy_services
from tests.conftest import force_verified_login
from tests.factories import OrganisationFactory
from tests.followups.access_api import actor_of, alert_make, closed_on_grant, member
from tests.followups.builders import closed_with_plan

pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    """Today at the moment the test runs (a run may pass midnight after collecting the tests)."""
    return timezone.localdate()


def post(client, name, body, **kwargs):
    return client.post(reverse(name, kwargs=kwargs), body, content_type="application/json")


def contact_body(**changes):
    body = {
        "held_on": today().isoformat(),
        "mode": "huisbezoek",
        "summary": "Rustig gesprek met moeder.",
        "safety": "veilig",
        "safety_note": "De afspraken uit het veiligheidsplan werken.",
    }
    body.update(changes)
    return {key: value for key, value in body.items() if value is not None}


@pytest.fixture
def follower():
    return member(Role.PROFESSIONAL, OrganisationFactory(name="GGD JGZ"))


@pytest.fixture
def plan(follower) -> FollowupPlan:
    return closed_with_plan(follower)


def test_a_contact_recorded_in_the_api_is_in_the_plan(client, follower, plan):
    force_verified_login(client, follower.user)
    first = plan.planned.order_by("due_on").first()
    response = post(
        client,
        "api:followup-plan-contacts",
        contact_body(safety="zorgen", planned_id=first.pk, version=plan.version),
        plan_id=plan.pk,
    )
    assert response.status_code == 201, response.json()
    assert response.json()["safety"] == "zorgen"
    detail = client.get(reverse("api:followup-plan", kwargs={"plan_id": plan.pk})).json()
    assert [c["summary"] for c in detail["contacts"]] == ["Rustig gesprek met moeder."]
    assert first.pk not in [p["id"] for p in detail["planned"]]
    # 'Zorgen' brought the next contact forward, as on the page (the same service).
    assert detail["planned"][0]["moved_reason"].startswith("Eerder vanwege zorgen")
    assert detail["may_record"] and detail["may_manage"]
    assert detail["family"]  # the child's name, for the professional who follows


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"safety": None}, "safety", "Geef aan hoe veilig het is"),
        ({"safety": "prima"}, "safety", "Geef aan hoe veilig het is"),
        ({"held_on": "gisteren"}, "held_on", "JJJJ-MM-DD"),
        ({"held_on": "morgen"}, "held_on", "niet na"),
        ({"mode": "duif"}, "mode", "Kies hoe het contact was."),
        ({"summary": "  "}, "summary", "Beschrijf kort hoe het ging."),
        ({"safety_note": ""}, "safety_note", "Licht de veiligheid toe"),
        ({"planned_id": 999999}, "planned", "bestaat niet (meer)"),
    ],
)
def test_bad_contact_input_is_400_in_dutch_and_changes_nothing(
    client, follower, plan, changes, field, message
):
    force_verified_login(client, follower.user)
    version = plan.version
    if changes.get("held_on") == "morgen":
        changes = {"held_on": (today() + datetime.timedelta(days=1)).isoformat()}
    response = post(client, "api:followup-plan-contacts", contact_body(**changes), plan_id=plan.pk)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "ongeldige_invoer"
    assert message in " ".join(error["fields"][field])
    assert not FollowupContact.objects.exists()
    plan.refresh_from_db()
    assert plan.version == version


def test_the_api_answers_with_the_services_own_messages(client, follower, plan):
    # One rule, two doors: what the API says is what the service (and so the page) says.
    force_verified_login(client, follower.user)
    body = contact_body(summary="", safety_note="")
    answered = post(client, "api:followup-plan-contacts", body, plan_id=plan.pk).json()
    with pytest.raises(services.FollowupInputError) as refused:
        services.contact_record(
            actor=follower,
            access=selectors.plan_access_for(follower, plan),
            data=services.ContactData(
                held_on=today(), mode="huisbezoek", summary="", safety="veilig", safety_note=""
            ),
        )
    assert answered["error"]["fields"] == refused.value.errors


def test_a_stale_version_is_409_and_nothing_is_overwritten(client, follower, plan):
    force_verified_login(client, follower.user)
    stale = plan.version
    body = {"version": stale, "note": "Ander schema.", "how": "Elke maand bellen."}
    assert post(client, "api:followup-plan-change", body, plan_id=plan.pk).status_code == 200
    theirs = {**body, "how": "Elke week bellen."}
    response = post(client, "api:followup-plan-change", theirs, plan_id=plan.pk)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "gelijktijdige_wijziging"
    assert PlanDecision.objects.filter(plan=plan).count() == 1


def test_change_move_and_end_through_the_api(client, follower, plan):
    force_verified_login(client, follower.user)
    planned = plan.planned.order_by("due_on").first()
    day = (today() + datetime.timedelta(days=10)).isoformat()
    moved = post(
        client, "api:followup-planned-move", {"due_on": day, "reason": "Gezin op vakantie."},
        plan_id=plan.pk, planned_id=planned.pk,
    )  # fmt: skip
    assert moved.status_code == 200 and moved.json()["due_on"] == day
    plan.refresh_from_db()
    ended = post(
        client, "api:followup-plan-end",
        {"version": plan.version, "kind": "afgerond", "note": "Veiligheid is duurzaam."},
        plan_id=plan.pk,
    )  # fmt: skip
    assert ended.status_code == 200, ended.json()
    assert ended.json()["state"] == PlanState.ENDED
    assert [d["kind"] for d in ended.json()["decisions"]] == ["afgerond", "gewijzigd"]
    # An ended plan takes no contacts: refused in Dutch, nothing recorded.
    refused = post(client, "api:followup-plan-contacts", contact_body(), plan_id=plan.pk)
    assert refused.status_code == 400
    assert "zolang het plan loopt" in refused.json()["error"]["message"]
    ended_list = client.get(reverse("api:followup-plans"), {"state": "beeindigd"}).json()
    assert [p["id"] for p in ended_list["results"]] == [plan.pk]


def test_a_plan_whose_grant_ended_is_404_logged_and_leaves_the_week(client):
    owner = member(Role.PROFESSIONAL, OrganisationFactory(name="Basisschool"))
    follower = member(Role.PROFESSIONAL, OrganisationFactory(name="GGD JGZ"))
    plan = closed_on_grant(owner, follower)
    PlannedContact.objects.filter(plan=plan).update(due_on=today())
    force_verified_login(client, follower.user)
    url = reverse("api:followup-plan", kwargs={"plan_id": plan.pk})
    assert client.get(url).status_code == 200
    assert client.get(reverse("api:followup-week")).json()["count"] == 9

    privacy_services.access_grant_revoke(actor=owner, grant=plan.grant)
    assert client.get(url).status_code == 404
    refusal = AccessLogEntry.objects.get(user=follower.user, outcome=AccessOutcome.DENIED)
    assert refusal.subject_id == str(plan.pk)
    assert refusal.client_id == plan.client_pseudonym
    assert client.get(reverse("api:followup-week")).json()["results"] == []
    assert client.get(reverse("api:followup-plans")).json()["results"] == []
    response = post(client, "api:followup-plan-contacts", contact_body(), plan_id=plan.pk)
    assert response.status_code == 404
    assert not FollowupContact.objects.exists()


def test_the_week_runs_a_fixed_number_of_queries(client, follower, django_assert_max_num_queries):
    for _ in range(3):
        plan = closed_with_plan(follower)
        PlannedContact.objects.filter(plan=plan).update(due_on=today() - datetime.timedelta(days=2))
    force_verified_login(client, follower.user)
    with django_assert_max_num_queries(20):
        rows = client.get(reverse("api:followup-week")).json()["results"]
    assert len(rows) == 27 and rows[0]["overdue_days"] == 2
    with django_assert_max_num_queries(20):
        assert client.get(reverse("api:followup-plans")).json()["count"] == 3


def test_alerts_are_listed_without_content_and_acknowledged(client, follower, plan):
    coordinator = actor_of(plan.owner)
    alert = alert_make(plan, coordinator.user)
    force_verified_login(client, coordinator.user)
    listed = client.get(reverse("api:followup-alerts")).json()
    assert [row["id"] for row in listed] == [alert.pk]
    assert "Vader was dronken" not in str(listed)
    empty = post(client, "api:followup-alert-acknowledge", {"note": " "}, alert_id=alert.pk)
    assert empty.status_code == 400
    assert empty.json()["error"]["fields"]["note"] == ["Schrijf kort wat u heeft gedaan."]
    done = post(
        client, "api:followup-alert-acknowledge", {"note": "Moeder gebeld."}, alert_id=alert.pk
    )
    assert done.status_code == 200 and done.json()["acknowledgement"] == "Moeder gebeld."
    assert Alert.objects.get(pk=alert.pk).acknowledged_by == coordinator.user
    assert client.get(reverse("api:followup-alerts")).json() == []
