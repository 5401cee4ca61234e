"""Generated requests for every operation in the OpenAPI document (schemathesis + hypothesis):
whatever is sent, the API answers without a server error, in its own error format."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.core import NotSet

from meldwijzer.accounts.services import api_token_create
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from tests.conftest import force_verified_login
from tests.factories import allow_api_keys_for

pytestmark = pytest.mark.django_db


def send(client, case, headers: dict[str, str]):
    """Send a generated case through Django's test client (one database connection per test)."""
    path = case.formatted_path
    if case.query:
        path += "?" + urlencode(case.query, doseq=True)
    body = "" if isinstance(case.body, NotSet) or case.body is None else json.dumps(case.body)
    return client.generic(
        case.method, path, data=body, content_type="application/json", headers=headers
    )


def assert_clean_answer(response) -> None:
    assert response.status_code < 500, response.content
    if response.status_code >= 400:
        assert set(response.json()["error"]) >= {"status", "code", "message"}


@pytest.mark.parametrize(
    "role", [Role.PLATFORM_ADMIN, Role.FUNCTIONAL_ADMIN, Role.PROFESSIONAL, None]
)
def test_no_generated_request_ends_in_a_server_error(client, make_member, organisation, role):
    headers = {}
    if role == Role.PLATFORM_ADMIN:  # never holds API keys: the verified session instead
        force_verified_login(client, make_member(role, organisation))
    elif role is not None:
        user = make_member(role, organisation)
        allow_api_keys_for(user)
        _, secret = api_token_create(actor=actor_for_user(user=user), name="fuzz")
        headers["Authorization"] = f"Bearer {secret}"
    schema = schemathesis.openapi.from_dict(client.get("/api/v1/schema/").json())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 6

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        def check(case) -> None:
            assert_clean_answer(send(client, case, headers))

        check()


@pytest.mark.parametrize(
    "query",
    [
        "sector=%00",
        "sector=onbekend",
        "page=%00",
        "page_size=-1",
        "subject_type=%00&username=%00",
        "subject_id=" + "9" * 500,
    ],
)
def test_hostile_query_parameters_get_a_clear_400(client, make_member, organisation, query):
    force_verified_login(client, make_member(Role.PLATFORM_ADMIN, organisation))
    for path in ["/api/v1/organisations/", "/api/v1/access-log/"]:
        assert_clean_answer(client.get(f"{path}?{query}"))
