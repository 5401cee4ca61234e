"""What anyone may ask without logging in is limited per client address: a clear Dutch 429 with
Retry-After on the pages, the same in the API's error format."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meldwijzer.accounts.services import api_token_create
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from tests.factories import allow_api_keys_for
from tests.social_map.builders import directory_records

pytestmark = pytest.mark.django_db

PUBLIC = reverse("social_map:public_search")
SERVICES = reverse("api:directory-service-list")


@pytest.fixture(autouse=True)
def low_limits(settings):
    settings.PUBLIC_RATE_LIMITS = {"pagina": "3/min", "download": "2/hour"}


@pytest.fixture
def records(organisation):
    return directory_records(organisation)


def _ask(client, url: str, address: str, times: int) -> list[int]:
    return [client.get(url, REMOTE_ADDR=address).status_code for _ in range(times)]


def test_public_pages_answer_429_in_dutch_over_the_limit(client, records):
    service = reverse("social_map:public_service", kwargs={"service_id": records.service.pk})
    assert _ask(client, PUBLIC, "198.51.100.7", 2) + _ask(client, service, "198.51.100.7", 1) == [
        200,
        200,
        200,
    ]
    response = client.get(PUBLIC, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    page = response.content.decode()
    assert "Vanaf uw internetadres zijn in korte tijd te veel pagina's opgevraagd" in page
    assert "Probeer het over" in page
    assert 'href="tel:112"' in page and "0800-2000" in page  # help stays in reach
    assert 'href="https://www.weeronline.nl/"' in page  # and so does 'Snel weg'
    # Someone else is not held back.
    assert _ask(client, PUBLIC, "198.51.100.8", 1) == [200]


def test_an_ipv6_address_counts_by_its_64_block(client, records):
    assert _ask(client, PUBLIC, "2001:db8:1:2::a", 3) == [200, 200, 200]
    assert _ask(client, PUBLIC, "2001:db8:1:2::b", 1) == [429]
    assert _ask(client, PUBLIC, "2001:db8:1:3::a", 1) == [200]


@pytest.mark.parametrize("name", ["social_map:export_public_json", "social_map:export_public_csv"])
def test_the_public_downloads_have_their_own_lower_limit(client, records, name):
    assert _ask(client, reverse(name), "203.0.113.9", 3) == [200, 200, 429]
    assert _ask(client, PUBLIC, "203.0.113.9", 1) == [200]


def test_the_anonymous_api_answers_429_in_its_error_format(client, records):
    assert _ask(client, SERVICES, "198.51.100.20", 3) == [200, 200, 200]
    response = client.get(SERVICES, REMOTE_ADDR="198.51.100.20")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    error = response.json()["error"]
    assert (error["status"], error["code"]) == (429, "te_veel_verzoeken")
    assert error["message"].startswith("Te veel verzoeken vanaf dit adres.")
    assert "Probeer het over" in error["message"]


def test_logged_in_api_callers_are_not_held_to_the_public_limit(
    client, records, make_member, organisation
):
    user = make_member(Role.PROFESSIONAL, organisation)
    allow_api_keys_for(user)
    _, secret = api_token_create(actor=actor_for_user(user=user), name="test")
    headers = {"Authorization": f"Bearer {secret}"}
    answers = [
        client.get(SERVICES, REMOTE_ADDR="198.51.100.30", headers=headers).status_code
        for _ in range(5)
    ]
    assert answers == [200] * 5


def test_the_openapi_document_lists_the_429(client):
    schema = client.get(reverse("api:schema")).json()
    for path in ("/api/v1/directory/services/", "/api/v1/directory/organizations/"):
        assert "429" in schema["paths"][path]["get"]["responses"]


def test_behind_the_proxy_each_client_counts_for_itself(client, records, settings):
    settings.BEHIND_PROXY, settings.TRUSTED_PROXY_COUNT = True, 1
    proxy = "10.0.0.2"
    first = [
        client.get(PUBLIC, REMOTE_ADDR=proxy, headers={"X-Forwarded-For": "198.51.100.40"})
        for _ in range(4)
    ]
    assert [response.status_code for response in first] == [200, 200, 200, 429]
    other = client.get(PUBLIC, REMOTE_ADDR=proxy, headers={"X-Forwarded-For": "198.51.100.41"})
    assert other.status_code == 200


def test_a_made_up_forwarded_for_header_does_not_get_round_the_limit(client, records):
    answers = [
        client.get(
            PUBLIC, REMOTE_ADDR="198.51.100.50", headers={"X-Forwarded-For": f"192.0.2.{n}"}
        ).status_code
        for n in range(4)
    ]
    assert answers == [200, 200, 200, 429]
