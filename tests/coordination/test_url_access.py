"""Who may open which coordination URL: every page and API operation of a family's file × every
role × the organisation that leads the file (own), a partner organisation in the team (team), and
an organisation outside it (foreign); and anonymous.

`tests/test_url_access.py` hands every `coordination:` URL and every `api:coordination-` operation
to this table: a new one has to be added here, with its rule, before it can be merged. The objects
a URL names (`file_id`, an agreement, a revision…) all belong to one file; `OBJECTS` says how to
make each kind.

The leading organisation is a Veilig Thuis (it receives reports and opens files); the partner a
school. In the own scope a role with case work is in the team (the casusregisseur is the file's
casusregisseur); in the team scope it is a team member of another organisation, on a consent grant
for every part; in the foreign scope it works for an organisation without any part in the file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from meldwijzer.accounts.models import User
from meldwijzer.accounts.services import api_token_create
from meldwijzer.audit.models import AccessLogEntry, AccessOutcome
from meldwijzer.coordination.models import CoordinationFile, FileParts
from meldwijzer.organisations.models import Organisation, Sector
from meldwijzer.organisations.roles import API_KEY_ROLES, Role
from tests.conftest import force_verified_login
from tests.coordination.builders import actor_of, add_member, file_open
from tests.factories import MembershipFactory, OrganisationFactory, allow_api_keys
from tests.test_url_access import LOGIN, NOBODY, url_kwargs, url_patterns

SCOPES = ("own", "team", "foreign")
WORKERS = frozenset({Role.PROFESSIONAL, Role.MELDCODE_OFFICER, Role.CASE_COORDINATOR})
LEADER = frozenset({Role.CASE_COORDINATOR})


@dataclass(frozen=True)
class FileAccess:
    own: frozenset[Role]
    """Roles of the leading organisation that may open it (in the team, or the casusregisseur)."""
    team: frozenset[Role] = NOBODY
    """Roles of a partner organisation in the team that may open it."""
    foreign: frozenset[Role] = NOBODY
    """Roles of an organisation outside the file that may open it."""
    method: str = "get"
    ok: int = 200
    anonymous: int | str = LOGIN
    denied: int = 404
    """Status for a role that may not: the file is 'not found'."""


FILE_PAGE = FileAccess(WORKERS, team=WORKERS)
FILE_API = FileAccess(WORKERS, team=WORKERS, anonymous=401)

FILE_URL_ACCESS: dict[str, FileAccess] = {
    "coordination:list": FileAccess(WORKERS, team=WORKERS, foreign=WORKERS, denied=403),
    "coordination:detail": FILE_PAGE,
}

# How to make the object a URL keyword argument names, in the world's file.
OBJECTS: dict[str, Callable[[World], int]] = {
    "file_id": lambda world: world.file.pk,
}


def is_coordination_url(name: str) -> bool:
    return name.startswith("coordination:") or name.startswith("api:coordination-")


@dataclass
class World:
    lead: Organisation
    partner: Organisation
    outsider: Organisation
    file: CoordinationFile
    made: dict[str, int] = field(default_factory=dict)

    def actor_with(self, role: Role, scope: str) -> User:
        if scope == "own" and role == Role.CASE_COORDINATOR:
            return self.file.coordinator
        organisation = {"own": self.lead, "team": self.partner, "foreign": self.outsider}[scope]
        user = MembershipFactory(role=role, organisation=organisation).user
        if scope in ("own", "team") and role in WORKERS:
            add_member(self.file, user, parts=tuple(FileParts))
        if role in API_KEY_ROLES:
            api_token_create(actor=actor_of(user), name="eigen")
        return user

    def url(self, name: str) -> str:
        kwargs = {}
        for kwarg in url_kwargs(name):
            if kwarg not in self.made:
                self.made[kwarg] = OBJECTS[kwarg](self)
            kwargs[kwarg] = self.made[kwarg]
        return reverse(name, kwargs=kwargs)


@pytest.fixture
def world(db: None) -> World:
    lead = OrganisationFactory(name="Veilig Thuis Leidend", sector=Sector.VEILIG_THUIS)
    partner = OrganisationFactory(name="School Partner", sector=Sector.EDUCATION)
    outsider = OrganisationFactory(name="Opvang Buiten", sector=Sector.CHILDCARE)
    for organisation in (lead, partner, outsider):
        allow_api_keys(organisation, *API_KEY_ROLES)
    coordinator = MembershipFactory(role=Role.CASE_COORDINATOR, organisation=lead).user
    return World(lead, partner, outsider, file_open(coordinator))


def test_every_coordination_url_is_in_the_table():
    names = {name for name, _, _ in url_patterns() if is_coordination_url(name)}
    assert names == set(FILE_URL_ACCESS), (
        f"missing: {sorted(names - set(FILE_URL_ACCESS))}; "
        f"stale: {sorted(set(FILE_URL_ACCESS) - names)}"
    )
    for name in names:
        unknown = url_kwargs(name) - set(OBJECTS)
        assert not unknown, f"{name} has URL arguments OBJECTS cannot make: {unknown}"


def _cases() -> list[Any]:
    return [
        pytest.param(name, role, scope, id=f"{name}-{role.value}-{scope}")
        for name in FILE_URL_ACCESS
        for role in Role
        for scope in SCOPES
    ]


def _request(client: Client, rule: FileAccess, url: str) -> Any:
    if rule.method == "post":
        return client.post(url, {})
    return client.get(url)


@pytest.mark.parametrize(("name", "role", "scope"), _cases())
def test_role_access(client, world, name, role, scope):
    rule = FILE_URL_ACCESS[name]
    user = world.actor_with(role, scope)
    force_verified_login(client, user)
    url = world.url(name)
    before = AccessLogEntry.objects.filter(user=user, outcome=AccessOutcome.DENIED).count()

    response = _request(client, rule, url)

    allowed = role in getattr(rule, scope)
    denied = AccessLogEntry.objects.filter(user=user, outcome=AccessOutcome.DENIED).count()
    if allowed:
        assert response.status_code == rule.ok, response.content[:300]
        assert denied == before
    else:
        refusal = rule.denied if role in WORKERS else 403 if not url.startswith("/api/") else 404
        assert response.status_code in {rule.denied, refusal}, response.content[:300]
        assert denied == before + 1, "every refusal is in the access log"


@pytest.mark.parametrize("name", list(FILE_URL_ACCESS))
def test_anonymous_access(client, world, name):
    rule = FILE_URL_ACCESS[name]
    response = _request(client, rule, world.url(name))
    if rule.anonymous == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == rule.anonymous
