"""Who may open which coordination URL: every page and API operation of a family's file × every
role × the organisation that leads the file (own), a partner organisation in the team (team), and
an organisation outside it (foreign); and anonymous.

`tests/test_url_access.py` hands every `coordination:` URL and every `api:coordination-` operation
to this table: a new one has to be added, with its rule, before it can be merged. Each area keeps
its rows in `access_<area>.py`; the objects a URL names (`file_id`, an agreement, a revision…) all
belong to one file, and `OBJECTS` says how to make each kind.

The leading organisation is a Veilig Thuis (it receives reports and opens files); the partner a
school. In the own scope a role with case work is in the team (the casusregisseur is the file's
casusregisseur); in the team scope it is a team member of another organisation, on a consent grant
for every part; in the foreign scope it works for an organisation without any part in the file.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from meldwijzer.audit.models import AccessLogEntry, AccessOutcome
from meldwijzer.organisations.roles import Role
from tests.conftest import force_verified_login
from tests.coordination import (
    access_closing,
    access_conferences,
    access_inbox,
    access_matching,
    access_plan,
    access_team,
)
from tests.coordination.access import (
    FILE_PAGE,
    SCOPES,
    WORKERS,
    FileAccess,
    World,
    world_make,
)
from tests.test_url_access import LOGIN, url_kwargs, url_patterns

AREAS = (
    access_inbox,
    access_team,
    access_plan,
    access_matching,
    access_conferences,
    access_closing,
)

FILE_URL_ACCESS: dict[str, FileAccess] = {
    "coordination:list": FileAccess(WORKERS, team=WORKERS, foreign=WORKERS, denied=403),
    "coordination:detail": FILE_PAGE,
}
for area in AREAS:
    FILE_URL_ACCESS.update(area.URL_ACCESS)

# How to make the object a URL keyword argument names, in the world's file.
OBJECTS: dict[str, Callable[[World], int]] = {
    "file_id": lambda world: world.file.pk,
}
for area in AREAS:
    OBJECTS.update(area.OBJECTS)


def is_coordination_url(name: str) -> bool:
    return name.startswith("coordination:") or name.startswith("api:coordination-")


@pytest.fixture
def world(db: None) -> World:
    return world_make()


def test_every_coordination_url_is_in_the_table():
    names = {name for name, _, _ in url_patterns() if is_coordination_url(name)}
    assert names == set(FILE_URL_ACCESS), (
        f"missing: {sorted(names - set(FILE_URL_ACCESS))}; "
        f"stale: {sorted(set(FILE_URL_ACCESS) - names)}"
    )
    for name in names:
        unknown = url_kwargs(name) - set(OBJECTS)
        assert not unknown, f"{name} has URL arguments OBJECTS cannot make: {unknown}"


def _request(client: Client, rule: FileAccess, url: str, world: World) -> Any:
    if rule.method == "get":
        return client.get(url)
    data = rule.data(world) if rule.data is not None else {}
    if url.startswith("/api/"):
        return getattr(client, rule.method)(url, data, content_type="application/json")
    return getattr(client, rule.method)(url, data)


def _role_problem(
    client: Client, world: World, user: Any, name: str, role: Role, scope: str
) -> str:
    """What is wrong with one URL for one role and scope, or '' when it answers as the table says."""
    rule = FILE_URL_ACCESS[name]
    url = world.url(name, OBJECTS)
    before = AccessLogEntry.objects.filter(user=user, outcome=AccessOutcome.DENIED).count()

    response = _request(client, rule, url, world)

    allowed = role in getattr(rule, scope)
    denied = AccessLogEntry.objects.filter(user=user, outcome=AccessOutcome.DENIED).count()
    if allowed:
        if response.status_code != rule.ok:
            return f"{name}: {response.status_code}, expected {rule.ok}: {response.content[:300]!r}"
        if denied != before:
            return f"{name}: allowed, yet a refusal was logged"
        return ""
    refusal = rule.denied if role in WORKERS else 403 if not url.startswith("/api/") else 404
    if response.status_code not in {rule.denied, refusal}:
        return f"{name}: {response.status_code}, expected {refusal}: {response.content[:300]!r}"
    if denied != before + 1:
        return f"{name}: refused, but not in the access log"
    return ""


def _each_url_undone(
    client: Client, world: World, names: Iterable[str], check: Callable[[str], str]
) -> list[str]:
    """Try every URL in a savepoint that is rolled back afterwards, so each one meets the world
    as it was built: one URL's write (a POST that is allowed), or the objects made for it (an
    open handover), cannot change what the next sees."""
    problems = []
    for name in names:
        made, cookies = dict(world.made), copy.deepcopy(client.cookies)
        with transaction.atomic():
            problem = check(name)
            transaction.set_rollback(True)
        world.made, client.cookies = made, cookies
        if problem:
            problems.append(problem)
    return problems


@pytest.mark.parametrize(
    ("role", "scope"),
    [pytest.param(role, scope, id=f"{role.value}-{scope}") for role in Role for scope in SCOPES],
)
def test_role_access(client, world, role, scope):
    """Every URL of the table, for one role in one scope; the world is built once for them all."""
    user = world.actor_with(role, scope)
    force_verified_login(client, user)
    problems = _each_url_undone(
        client,
        world,
        FILE_URL_ACCESS,
        lambda name: _role_problem(client, world, user, name, role, scope),
    )
    assert not problems, f"{role.value} ({scope}):\n" + "\n".join(problems)


def _anonymous_problem(client: Client, world: World, name: str) -> str:
    rule = FILE_URL_ACCESS[name]
    response = _request(client, rule, world.url(name, OBJECTS), world)
    if rule.anonymous == LOGIN:
        if response.status_code != 302 or not response["Location"].startswith(
            reverse("accounts:login")
        ):
            return f"{name}: {response.status_code}, expected the login page"
    elif response.status_code != rule.anonymous:
        return f"{name}: {response.status_code}, expected {rule.anonymous}"
    return ""


def test_anonymous_access(client, world):
    problems = _each_url_undone(
        client, world, FILE_URL_ACCESS, lambda name: _anonymous_problem(client, world, name)
    )
    assert not problems, "anonymous:\n" + "\n".join(problems)
