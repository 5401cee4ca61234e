"""Who may open which datalab page or API operation: every URL × every role, the own datalab and
another's, and anonymous.

Only a role that may see aggregates (the policy adviser, the platform's administrator) reads a
datalab, and only their own organisation's: anyone else is refused (403, logged); an import of
another datalab is 'not found' (404). A URL missing from `PAGES`/`API` fails
`test_every_datalab_url_has_a_rule`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import reverse

from meldwijzer.accounts.services import api_token_create
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from tests.conftest import force_verified_login
from tests.datalab.builders import source_with_import
from tests.factories import MembershipFactory, OrganisationFactory, allow_api_keys
from tests.test_url_access import url_patterns

READERS = frozenset({Role.POLICY_ADVISER, Role.PLATFORM_ADMIN})


def is_datalab_url(name: str) -> bool:
    return name.startswith("datalab:") or name.startswith("api:datalab")


@dataclass(frozen=True)
class Rule:
    kwargs: dict[str, str] = field(default_factory=dict)
    """Fixed URL arguments; 'import_id' is filled in with an import of the datalab tried."""
    method: str = "get"
    ok: frozenset[int] = frozenset({200})
    object_url: bool = False
    """Whether another datalab's object must be 'not found' (404)."""


PAGES: dict[str, Rule] = {
    "datalab:overview": Rule(),
    "datalab:analysis": Rule({"analysis": "meldingen"}, ok=frozenset({200, 404})),
    "datalab:map": Rule({"table": "wijken"}, ok=frozenset({200, 404})),
    "datalab:export": Rule(
        {"analysis": "meldingen", "file_format": "csv"}, ok=frozenset({200, 404})
    ),
    "datalab:report_pdf": Rule(),
    "datalab:imports": Rule(),
    "datalab:import_new": Rule(),
    "datalab:import": Rule({"import_id": ""}, object_url=True),
    "datalab:schema": Rule(),
    "datalab:meldcode": Rule(),
    "datalab:meldcode_csv": Rule(),
}

API: dict[str, Rule] = {
    "api:datalab-import-list": Rule(),
    "api:datalab-import-detail": Rule({"import_id": ""}, object_url=True),
    "api:datalab-report": Rule(),
    "api:datalab-analysis": Rule({"key": "meldingen"}, ok=frozenset({200, 404})),
}


def test_every_datalab_url_has_a_rule():
    names = {name for name, _, _ in url_patterns() if is_datalab_url(name)}
    missing = sorted(names - set(PAGES) - set(API))
    assert not missing, f"datalab URLs without an access rule: {missing}"
    stale = sorted((set(PAGES) | set(API)) - names)
    assert not stale, f"access rules for datalab URLs that no longer exist: {stale}"


@pytest.fixture
def datalabs(db):
    own = OrganisationFactory(name="Gemeente Proefpolder")
    other = OrganisationFactory(name="Gemeente Elders")
    return own, source_with_import(own), source_with_import(other)


def _url(name: str, rule: Rule, import_id: int) -> str:
    kwargs = {k: (str(import_id) if k == "import_id" else v) for k, v in rule.kwargs.items()}
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("role", sorted(Role))
def test_pages_by_role(datalabs, role):
    own, own_import, other_import = datalabs
    membership = MembershipFactory(organisation=own, role=role)
    client = force_verified_login(Client(), membership.user)
    for name, rule in PAGES.items():
        response = getattr(client, rule.method)(_url(name, rule, own_import.pk))
        if role in READERS:
            assert response.status_code in rule.ok, (name, response.status_code)
            if rule.object_url:
                foreign = getattr(client, rule.method)(_url(name, rule, other_import.pk))
                assert foreign.status_code == 404, (name, "another datalab's object")
        else:
            assert response.status_code == 403, (name, role, response.status_code)


def test_pages_refuse_anonymous(datalabs):
    _, own_import, _ = datalabs
    for name, rule in PAGES.items():
        response = getattr(Client(), rule.method)(_url(name, rule, own_import.pk))
        assert response.status_code == 302 and "/account/" in response["Location"], name


@pytest.mark.parametrize("role", [Role.POLICY_ADVISER, Role.PROFESSIONAL])
def test_api_by_role(datalabs, role):
    own, own_import, other_import = datalabs
    membership = MembershipFactory(organisation=own, role=role)
    allow_api_keys(own, role)
    _, secret = api_token_create(
        actor=actor_for_user(user=membership.user, organisation_id=own.pk), name="t"
    )
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    for name, rule in API.items():
        response = getattr(client, rule.method)(_url(name, rule, own_import.pk))
        if role in READERS:
            assert response.status_code in rule.ok, (name, response.status_code)
            if rule.object_url:
                foreign = getattr(client, rule.method)(_url(name, rule, other_import.pk))
                assert foreign.status_code == 404, name
        else:
            assert response.status_code in {403, 404}, (name, role, response.status_code)
    for name, rule in API.items():
        assert Client().get(_url(name, rule, own_import.pk)).status_code == 401, name
