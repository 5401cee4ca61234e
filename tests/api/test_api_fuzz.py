"""The OpenAPI document as a contract, checked with schemathesis: generated requests for every
operation, valid ones and invalid ones, for a professional and a functioneel beheerder (each with
their own API key), and valid ones for the platformbeheerder (verified session), an anonymous
caller and every other role (an aandachtsfunctionaris, a casusregisseur with a coordination file,
a beleidsadviseur of a municipality, a redacteur and a Veilig Thuis professional with a report;
one valid request per operation each, always with the ids of their own objects). Every answer
must be one the document lists for that operation, in the content type and shape it gives — the
error format included — and never a server error.

Half of the generated requests use the ids of real objects (the professional's case, its
instrument result, the organisation, a sociale kaart record) and the case's current version, so
the answers cover the happy paths too, not only "not found". Bounded and deterministic:
`max_examples` per operation and role, `derandomize`; `summary` counts what was sent."""

from __future__ import annotations

from collections import Counter
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
import schemathesis
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.transport import Response
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from meldwijzer.accounts.services import api_token_create
from meldwijzer.cases.models import Case
from meldwijzer.organisations.models import Sector
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from tests.cases.builders import signals_case
from tests.conftest import force_verified_login
from tests.coordination import inbox_builders
from tests.coordination.builders import coordinator, file_open
from tests.factories import MembershipFactory, OrganisationFactory, allow_api_keys_for
from tests.instruments.builders import SCAN, record_result
from tests.social_map.builders import directory_records

pytestmark = [pytest.mark.django_db, pytest.mark.api_contract]

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Per operation, role and kind of data (valid, invalid): enough to reach every answer of each
# operation, few enough that the test takes about a minute on two cores.
EXAMPLES = {GenerationMode.POSITIVE: 8, GenerationMode.NEGATIVE: 6}
# The other roles: one valid request per operation, always with the ids of objects that
# role may see, so each role adds a few seconds rather than a minute.
FEW = {GenerationMode.POSITIVE: 1}


def send(client: Client, case, headers: dict[str, str]) -> Response:
    """Send a generated case through Django's test client (the test's database transaction),
    exactly as schemathesis would put it on the wire, and wrap the answer for its checks."""
    prepared = requests.Request(
        **case.as_transport_kwargs(base_url="http://testserver", headers=headers)
    ).prepare()
    url = urlsplit(prepared.url)
    body = prepared.body or b""
    response = client.generic(
        prepared.method,
        url.path + (f"?{url.query}" if url.query else ""),
        data=body.encode() if isinstance(body, str) else body,
        content_type=prepared.headers.get("Content-Type", "application/octet-stream"),
        headers={
            name: value
            for name, value in prepared.headers.items()
            if name.lower() not in ("content-type", "content-length")
        },
    )
    return Response(
        status_code=response.status_code,
        headers={name.lower(): [value] for name, value in response.headers.items()},
        content=response.content,
        request=prepared,
        elapsed=0.0,
        verify=True,
        message=response.reason_phrase,
    )


class World:
    """The objects whose ids a generated request may use instead of random ones."""

    def __init__(self, organisation, make_member) -> None:
        self.professional = make_member(Role.PROFESSIONAL, organisation)
        self.admin = make_member(Role.FUNCTIONAL_ADMIN, organisation)
        actor = actor_for_user(user=self.professional)
        self.case = signals_case(actor)
        self.result = record_result(actor, self.case)
        records = directory_records(organisation)
        self.ids = {
            "case_id": self.case.pk,
            "result_id": self.result.pk,
            "user_id": self.professional.pk,
            "organisation_id": organisation.pk,
            "key": SCAN,
            "organization_uid": str(records.provider.uid),
            "service_uid": str(records.service.uid),
        }

    def holder_of(self, role: str) -> tuple[Any, dict[str, Any]]:
        """A member in `role` ('veilig_thuis': a Veilig Thuis professional) and the ids of
        objects of their own: the organisation's case, a coordination file, a report."""
        organisation = self.professional.memberships.get().organisation
        if role in (Role.MELDCODE_OFFICER, Role.CONTENT_EDITOR):
            user = MembershipFactory(role=role, organisation=organisation).user
            return user, {}
        if role == Role.CASE_COORDINATOR:
            user = coordinator()
            file = file_open(user)
            return user, {"file_id": file.pk, "organisation_id": file.lead_organisation_id}
        if role == Role.POLICY_ADVISER:
            municipality = OrganisationFactory(sector=Sector.MUNICIPALITY)
            user = MembershipFactory(role=role, organisation=municipality).user
            return user, {"organisation_id": municipality.pk}
        assert role == "veilig_thuis"
        region = inbox_builders.veilig_thuis()
        user = inbox_builders.member(region)
        report = inbox_builders.send(inbox_builders.reporter(), region)
        return user, {"report_id": report.pk, "organisation_id": region.pk}

    def use_real_ids(self, case) -> None:
        for name in case.path_parameters or {}:
            if name in self.ids:
                case.path_parameters[name] = self.ids[name]
        if isinstance(case.body, dict) and "version" in case.body:
            case.body["version"] = Case.objects.get(pk=self.case.pk).version

    def token(self, user) -> str:
        allow_api_keys_for(user)
        _, secret = api_token_create(actor=actor_for_user(user=user), name="contract")
        return secret


@pytest.fixture
def world(organisation, make_member) -> World:
    return World(organisation, make_member)


def run_contract(
    client: Client,
    world: World,
    headers: dict[str, str],
    modes,
    examples: dict[GenerationMode, int] = EXAMPLES,
    always_real: bool = False,
) -> Counter:
    schema = schemathesis.openapi.from_dict(client.get("/api/v1/schema/").json())
    operations = [result.ok() for result in schema.get_all_operations()]
    summary: Counter = Counter()
    summary["operations"] = len(operations)

    def contract(operation: Any, mode: GenerationMode) -> Any:
        @given(data=st.data())
        @settings(
            max_examples=examples[mode],
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(data) -> None:
            case = data.draw(operation.as_strategy(generation_mode=mode))
            if always_real or data.draw(st.booleans()):
                world.use_real_ids(case)
            cache.clear()  # the rate limit counts real use, not this test
            response = send(client, case, headers)
            summary["examples"] += 1
            summary[response.status_code] += 1
            case.validate_response(response, checks=CHECKS)

        return check

    for operation in operations:
        for mode in modes:
            contract(operation, mode)()
    return summary


@pytest.mark.parametrize("role", ["professional", "admin"])
def test_every_answer_is_documented_for_each_role(world, role):
    user = getattr(world, role)
    headers = {"Authorization": f"Bearer {world.token(user)}"}
    modes = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
    summary = run_contract(Client(), world, headers, modes)
    print(f"\n{role}: {dict(summary)}")
    assert summary["operations"] >= 27
    assert summary[200] + summary[201] > 0, "no request succeeded; the real ids are not used"


@pytest.mark.parametrize(
    "role",
    [
        Role.MELDCODE_OFFICER,
        Role.CASE_COORDINATOR,
        Role.POLICY_ADVISER,
        Role.CONTENT_EDITOR,
        "veilig_thuis",
    ],
)
def test_every_answer_is_documented_for_the_other_roles(world, role):
    user, ids = world.holder_of(role)
    world.ids |= ids
    headers = {"Authorization": f"Bearer {world.token(user)}"}
    summary = run_contract(
        Client(), world, headers, [GenerationMode.POSITIVE], examples=FEW, always_real=True
    )
    print(f"\n{role}: {dict(summary)}")
    assert summary[200] > 0


def test_every_answer_is_documented_for_the_platformbeheerder(world, make_member, organisation):
    """The platformbeheerder never holds an API key: the verified session instead."""
    client = force_verified_login(Client(), make_member(Role.PLATFORM_ADMIN, organisation))
    # The session cookie in place of the one schemathesis makes up for the cookie scheme, and
    # no made-up API key (a wrong key is refused before the session is looked at).
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    headers = {"Cookie": f"{cookie.key}={cookie.coded_value}", "Authorization": ""}
    summary = run_contract(client, world, headers, [GenerationMode.POSITIVE])
    print(f"\nplatformbeheerder: {dict(summary)}")
    assert summary[200] > 0


def test_every_answer_is_documented_for_an_anonymous_caller(world):
    summary = run_contract(Client(), world, {}, [GenerationMode.POSITIVE])
    print(f"\nanonymous: {dict(summary)}")
    assert summary[401] > 0 and summary[200] > 0


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
def test_hostile_query_parameters_get_a_clear_400(world, query):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {world.token(world.admin)}")
    for path in ["/api/v1/organisations/", "/api/v1/access-log/"]:
        response = client.get(f"{path}?{query}")
        assert response.status_code < 500, response.content
        if response.status_code >= 400:
            assert set(response.json()["error"]) >= {"status", "code", "message"}
