"""/api/v1/trainings/worries/: the same rules as the pages, in the API's error format."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from meldwijzer.cases.models import Case
from meldwijzer.trainings.models import Worry, WorryMessage, WorryState
from tests.conftest import force_verified_login
from tests.trainings.builders_worries import CLEAN, region, share

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return region()


def api(user) -> Client:
    return force_verified_login(Client(), user)


def post(client: Client, name: str, body: dict, **kwargs) -> object:
    return client.post(reverse(name, kwargs=kwargs), body, content_type="application/json")


def test_share_refused_with_findings_per_field_then_clean(world):
    client = api(world.teacher)
    response = post(
        client,
        "api:trainings-worry-list",
        {"recipient": "aandachtsfunctionaris", "question": "Juf zag meneer Jansen op 1-2-2016."},
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "ongeldige_invoer"
    messages = error["fields"]["question"]
    assert any("een naam" in message for message in messages)
    assert any("een datum" in message for message in messages)
    assert "Jansen" not in str(messages)
    assert not Worry.objects.exists()
    response = post(
        client,
        "api:trainings-worry-list",
        {"recipient": "consultatielijn", "question": CLEAN, "target_group": "kind"},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["reference"].startswith("ZD-")
    assert body["line_organisation"] == "Veilig Thuis Test"
    assert body["may_close"] and not body["may_answer"]


def test_lists_are_paged_and_open_first(world):
    answered = share(world.teacher)
    waiting = share(world.teacher)
    post(
        api(world.officer), "api:trainings-worry-messages", {"body": "Goed."}, worry_id=answered.pk
    )
    body = api(world.teacher).get(reverse("api:trainings-worry-list")).json()
    assert body["count"] == 2
    assert [row["id"] for row in body["results"]] == [waiting.pk, answered.pk]
    inbox = api(world.officer).get(reverse("api:trainings-worry-inbox")).json()
    assert [row["id"] for row in inbox["results"]] == [waiting.pk, answered.pk]
    assert api(world.line_worker).get(reverse("api:trainings-worry-inbox")).json()["count"] == 0


def test_answer_reply_close_and_case(world):
    worry = share(world.teacher)
    officer, teacher = api(world.officer), api(world.teacher)
    response = post(
        officer, "api:trainings-worry-messages", {"body": "Bel ons."}, worry_id=worry.pk
    )
    assert response.status_code == 201
    assert response.json()["state"] == WorryState.ANSWERED
    detail = teacher.get(reverse("api:trainings-worry-detail", kwargs={"worry_id": worry.pk}))
    assert [m["is_answer"] for m in detail.json()["messages"]] == [True]
    response = post(teacher, "api:trainings-worry-messages", {"body": "Hoe?"}, worry_id=worry.pk)
    assert response.json()["state"] == WorryState.OPEN
    response = post(officer, "api:trainings-worry-close", {}, worry_id=worry.pk)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "niet_mogelijk"
    response = post(teacher, "api:trainings-worry-case", {"client": "kind"}, worry_id=worry.pk)
    assert response.status_code == 201
    assert response.json()["case_id"] == Case.objects.get().pk
    response = post(teacher, "api:trainings-worry-close", {}, worry_id=worry.pk)
    assert response.json()["state"] == WorryState.CLOSED
    response = post(officer, "api:trainings-worry-messages", {"body": "Nog."}, worry_id=worry.pk)
    assert response.status_code == 400
    assert WorryMessage.objects.count() == 2


def test_a_foreign_worry_is_not_found(world):
    worry = share(world.other_teacher)
    client = api(world.officer)
    assert (
        client.get(reverse("api:trainings-worry-detail", kwargs={"worry_id": worry.pk})).status_code
        == 404
    )
    response = post(client, "api:trainings-worry-messages", {"body": "Hoi"}, worry_id=worry.pk)
    assert response.status_code == 404
    assert not WorryMessage.objects.exists()
