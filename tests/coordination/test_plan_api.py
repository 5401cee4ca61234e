"""The safety plan and contact notes in the API: the same rules as the pages, 409 with the other's
version on a concurrent edit, Dutch errors in the API's format and never a 500 on bad input; and
the writes that share a URL with a read, tried for every role and scope (`POST_ACCESS`)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meldwijzer.audit.models import AccessLogEntry, AccessOutcome
from meldwijzer.coordination.models import ContactNote, FileParts, SafetyPlanRevision
from meldwijzer.organisations.roles import Role
from tests.conftest import force_verified_login
from tests.coordination.access import SCOPES, WORKERS, World, world_make
from tests.coordination.access_plan import POST_ACCESS, plan_content
from tests.coordination.builders import team
from tests.coordination.test_url_access import OBJECTS, _request

pytestmark = pytest.mark.django_db


def later() -> str:
    """A review date 30 days after the day the test runs."""
    return (timezone.localdate() + datetime.timedelta(days=30)).isoformat()


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def revisions_url(file) -> str:
    return reverse("api:coordination-safety-plan-revisions", args=[file.pk])


def test_the_plan_is_null_until_the_first_version(client):
    people = team()
    force_verified_login(client, people.partner)
    url = reverse("api:coordination-safety-plan", args=[people.file.pk])
    assert client.get(url).json() == {"current": None, "review_overdue": False, "agreements": []}
    created = post(
        client,
        revisions_url(people.file),
        {"based_on": 0, "review_date": later(), "content": plan_content(), "change_note": "Eerste"},
    )
    assert created.status_code == 201, created.json()
    body = client.get(url).json()
    assert body["current"]["number"] == 1
    assert body["current"]["content"]["when_wrong"]["call"][0]["phone"] == "0527 700 101"
    assert [row["number"] for row in client.get(revisions_url(people.file)).json()] == [1]
    one = reverse("api:coordination-safety-plan-revision", args=[people.file.pk, 1])
    assert client.get(one).json()["change_note"] == "Eerste"
    missing = reverse("api:coordination-safety-plan-revision", args=[people.file.pk, 5])
    assert client.get(missing).status_code == 404


def test_a_concurrent_edit_is_409_with_what_the_other_saved(client):
    people = team()
    body = {"based_on": 0, "review_date": later(), "content": plan_content()}
    force_verified_login(client, people.partner)
    assert post(client, revisions_url(people.file), body).status_code == 201
    theirs = {**body, "based_on": 1, "content": plan_content(child_view="Van de juf.")}
    assert post(client, revisions_url(people.file), theirs).status_code == 201

    force_verified_login(client, people.coordinator)
    mine = {**body, "based_on": 1, "content": plan_content(child_view="Van mij.")}
    response = post(client, revisions_url(people.file), mine)
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "gelijktijdige_wijziging"
    assert error["current"]["number"] == 2
    assert error["current"]["content"]["child_view"] == "Van de juf."
    assert SafetyPlanRevision.objects.count() == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"based_on": 0, "review_date": "over 30 dagen", "content": "tekst"}, "content"),
        ({"based_on": 0, "review_date": "over 30 dagen", "content": {}}, "worries.happened"),
        ({"based_on": 0, "review_date": "over 30 dagen", "content": [1, 2]}, "content"),
        ({"based_on": 0, "review_date": "gisteren", "content": plan_content()}, "review_date"),
        ({"based_on": 0, "review_date": "2000-01-01", "content": plan_content()}, "review_date"),
        ({"based_on": -1, "review_date": "over 30 dagen", "content": plan_content()}, "based_on"),
        ({"review_date": "over 30 dagen", "content": plan_content()}, "based_on"),
        (
            {
                "based_on": 0,
                "review_date": "over 30 dagen",
                "content": plan_content(goals=[{"behaviour": "R", "scores": [{"who": "M", "score": 99}]}]),
            },
            "goals.0.scores.0.score",
        ),
    ],
)  # fmt: skip
def test_bad_input_is_a_dutch_400_in_the_api_format(client, body, field):
    if body.get("review_date") == "over 30 dagen":
        body = {**body, "review_date": later()}
    people = team()
    force_verified_login(client, people.coordinator)
    response = post(client, revisions_url(people.file), body)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["status"] == 400
    assert field in error["fields"], error
    assert not SafetyPlanRevision.objects.exists()


def test_a_body_that_is_not_json_is_a_400(client):
    people = team()
    force_verified_login(client, people.coordinator)
    response = client.post(
        revisions_url(people.file), "{niet json", content_type="application/json"
    )
    assert response.status_code == 400
    assert "error" in response.json()


def test_a_base_version_that_does_not_exist_is_refused(client):
    people = team()
    force_verified_login(client, people.coordinator)
    response = post(
        client,
        revisions_url(people.file),
        {"based_on": 3, "review_date": later(), "content": plan_content()},
    )
    assert response.status_code == 400
    assert not SafetyPlanRevision.objects.exists()


def test_contact_notes_and_their_acknowledgement(client):
    people = team(partner_parts=(FileParts.CONTACTS,))
    force_verified_login(client, people.partner)
    url = reverse("api:coordination-contacts", args=[people.file.pk])
    created = post(
        client,
        url,
        {
            "contact_date": timezone.localdate().isoformat(),
            "with_whom": "moeder",
            "summary": "Moeder is bang.",
            "plan_kept": "nee",
            "safety": "onveilig",
        },
    )
    assert created.status_code == 201, created.json()
    note_id = created.json()["id"]
    acknowledge = reverse("api:coordination-contact-acknowledge", args=[people.file.pk, note_id])
    assert post(client, acknowledge, {"action": "Gezien."}).status_code == 404

    force_verified_login(client, people.coordinator)
    assert post(client, acknowledge, {"action": ""}).status_code == 400
    done = post(client, acknowledge, {"action": "Moeder gebeld."})
    assert done.status_code == 200
    assert done.json()["acknowledged_action"] == "Moeder gebeld."
    rows = client.get(url).json()
    assert [row["acknowledged_action"] for row in rows] == ["Moeder gebeld."]


def test_a_partner_without_the_plan_part_reads_no_plan(client):
    people = team(partner_parts=(FileParts.CONTACTS,))
    force_verified_login(client, people.partner)
    for name in ("api:coordination-safety-plan", "api:coordination-safety-plan-revisions"):
        assert client.get(reverse(name, args=[people.file.pk])).status_code == 404
    response = post(
        client,
        revisions_url(people.file),
        {"based_on": 0, "review_date": later(), "content": plan_content()},
    )
    assert response.status_code == 404
    assert not SafetyPlanRevision.objects.exists()
    assert (
        AccessLogEntry.objects.filter(
            user=people.partner, outcome=AccessOutcome.DENIED, part=FileParts.SAFETY_PLAN
        ).count()
        == 3
    )


# --- The writes, for every role and scope ------------------------------------------------------------


@pytest.fixture
def world(db: None) -> World:
    return world_make()


@pytest.mark.parametrize(
    ("name", "role", "scope"),
    [
        pytest.param(name, role, scope, id=f"{name}-post-{role.value}-{scope}")
        for name in POST_ACCESS
        for role in Role
        for scope in SCOPES
    ],
)
def test_who_may_write(client, world, name, role, scope):
    rule = POST_ACCESS[name]
    user = world.actor_with(role, scope)
    force_verified_login(client, user)
    url = world.url(name, OBJECTS)
    before = (SafetyPlanRevision.objects.count(), ContactNote.objects.count())

    response = _request(client, rule, url, world)

    after = (SafetyPlanRevision.objects.count(), ContactNote.objects.count())
    if role in getattr(rule, scope):
        assert response.status_code == rule.ok, response.content[:300]
        assert sum(after) == sum(before) + 1
    else:
        assert response.status_code in {404, 403}, response.content[:300]
        assert after == before
        assert AccessLogEntry.objects.filter(user=user, outcome=AccessOutcome.DENIED).exists()


@pytest.mark.parametrize("name", list(POST_ACCESS))
def test_anonymous_may_not_write(client, world, name):
    rule = POST_ACCESS[name]
    response = _request(client, rule, world.url(name, OBJECTS), world)
    assert response.status_code in {302, 401}
    assert not SafetyPlanRevision.objects.exists() and not ContactNote.objects.exists()


def test_workers_are_the_writers():
    assert all(rule.own == WORKERS for rule in POST_ACCESS.values())
