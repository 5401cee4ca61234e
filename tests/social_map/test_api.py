"""The directory API: HSDS-shaped, pageable, filterable, readable without logging in, and never
showing confidential addresses or (to anonymous callers) contact persons."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meldwijzer.accounts.services import api_token_create
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from meldwijzer.social_map import hsds
from meldwijzer.social_map.models import ServiceStatus
from tests.factories import allow_api_keys_for
from tests.social_map.builders import SHELTER_STREET, directory_records

pytestmark = pytest.mark.django_db

SERVICES = "/api/v1/directory/services/"
ORGANIZATIONS = "/api/v1/directory/organizations/"
PAGE_KEYS = {
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
    "contents",
}


@pytest.fixture
def records(organisation):
    directory_records(None, "Elders")
    return directory_records(organisation)


@pytest.fixture
def token(make_member, organisation):
    user = make_member(Role.PROFESSIONAL, organisation)
    allow_api_keys_for(user)
    _, secret = api_token_create(actor=actor_for_user(user=user), name="test")
    return {"Authorization": f"Bearer {secret}"}


def test_anonymous_callers_get_the_public_view(client, records):
    response = client.get(SERVICES, {"postcode": "8302", "q": "opvang", "per_page": 1})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == PAGE_KEYS
    assert (body["total_items"], body["total_pages"], body["page_number"], body["size"]) == (
        2,
        2,
        1,
        1,
    )
    assert body["first_page"] and not body["last_page"] and not body["empty"]
    service = body["contents"][0]
    assert service["distance_km"] == 0
    assert (
        hsds.validate(
            {k: v for k, v in service.items() if k != "distance_km"},
            "service",
            "api",
            compiled=True,
        )
        == []
    )
    raw = response.content.decode()
    assert (
        SHELTER_STREET not in raw
        and "Carla Contactpersoon" not in raw
        and "crisisdienst" not in raw
    )


def test_professionals_see_contact_persons_but_never_confidential_addresses(client, records, token):
    response = client.get(f"{SERVICES}{records.service.uid}/", headers=token)
    body = response.json()
    assert [contact["name"] for contact in body["contacts"]] == ["Carla Contactpersoon"]
    assert SHELTER_STREET not in response.content.decode()
    response = client.get(f"{ORGANIZATIONS}{records.provider.uid}/", headers=token)
    raw = response.content.decode()
    assert "Otto Aandacht" in raw and SHELTER_STREET not in raw and "Opvanghuis" not in raw
    anonymous = client.get(f"{ORGANIZATIONS}{records.provider.uid}/").content.decode()
    assert "Otto Aandacht" not in anonymous and SHELTER_STREET not in anonymous


def test_organizations_page_and_filter(client, records):
    body = client.get(ORGANIZATIONS, {"per_page": 1, "page": 2}).json()
    assert body["total_items"] == 2 and body["page_number"] == 2 and body["last_page"]
    body = client.get(ORGANIZATIONS, {"q": "elders"}).json()
    assert [org["name"] for org in body["contents"]] == ["Elders"]
    assert body["contents"][0]["id"] != str(records.provider.uid)
    beyond = client.get(ORGANIZATIONS, {"page": 99}).json()
    assert beyond["empty"] and beyond["contents"] == []


def test_service_filters(client, records):
    found = client.get(SERVICES, {"help_type": "opvang", "target_group": "volwassenen"}).json()
    assert found["total_items"] == 2
    none = client.get(SERVICES, {"help_type": "daderhulp"}).json()
    assert none["total_items"] == 0 and none["empty"]
    by_org = client.get(SERVICES, {"organization_id": str(records.provider.uid)}).json()
    assert [s["id"] for s in by_org["contents"]] == [str(records.service.uid)]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"postcode": "12"}, "postcode"),
        ({"violence": "schoppen"}, "violence"),
        ({"page": "0"}, "page"),
        ({"per_page": "1000"}, "per_page"),
        ({"organization_id": "geen-uuid"}, "organization_id"),
        ({"area": "overal"}, "area"),
    ],
)
def test_bad_parameters_get_a_clear_400(client, query, field):
    response = client.get(SERVICES, query)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "ongeldige_invoer" and field in error["fields"]


def test_an_unknown_id_is_not_found(client, records):
    response = client.get(f"{SERVICES}00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "niet_gevonden"


def test_a_service_that_is_no_longer_offered_is_not_found(client, records):
    url = f"{SERVICES}{records.service.uid}/"
    assert client.get(url).status_code == 200
    records.service.status = ServiceStatus.INACTIVE
    records.service.save(update_fields=["status"])
    assert client.get(url).status_code == 404


def test_the_endpoints_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/schema/").json()["paths"]
    assert {
        "/api/v1/directory/organizations/",
        "/api/v1/directory/organizations/{organization_uid}/",
        "/api/v1/directory/services/",
        "/api/v1/directory/services/{service_uid}/",
    } <= set(paths)
    parameters = {p["name"] for p in paths["/api/v1/directory/services/"]["get"]["parameters"]}
    assert {
        "q",
        "postcode",
        "violence",
        "target_group",
        "help_type",
        "language",
        "page",
        "per_page",
    } <= parameters


def test_a_page_of_services_costs_the_same_queries_however_many_it_holds(client, token):
    def queries_for_one_page() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(SERVICES, {"per_page": 50}, headers=token)
        assert response.status_code == 200
        return len(queries)

    directory_records(None, "Eerste")
    queries_for_one_page()  # the token's first use is written once
    few = queries_for_one_page()
    for name in ("Tweede", "Derde", "Vierde"):
        directory_records(None, name)
    assert queries_for_one_page() == few
