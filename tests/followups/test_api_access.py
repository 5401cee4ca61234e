"""Every follow-up API operation × every role × own plan / plan followed on a grant / plan of an
organisation outside it (`access_api.URL_ACCESS`): who may gets the answer, anyone else 404 (a
list: 403), and every refusal is in the access log for the person who tried."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meldwijzer.audit.models import AccessLogEntry, AccessOutcome
from meldwijzer.followups.models import FollowupContact, PlanDecision
from meldwijzer.organisations.roles import Role
from tests.conftest import force_verified_login
from tests.followups.access_api import SCOPES, URL_ACCESS, URL_ARGS, scene_make, url_kwargs

pytestmark = pytest.mark.django_db


def _refusals(user) -> int:
    return AccessLogEntry.objects.filter(user=user, outcome=AccessOutcome.DENIED).count()


def _written() -> tuple[int, int]:
    return FollowupContact.objects.count(), PlanDecision.objects.count()


@pytest.mark.parametrize("role", list(Role), ids=[role.value for role in Role])
def test_every_operation_for_every_scope(client, role):
    scene = scene_make(role)
    force_verified_login(client, scene.actor.user)
    written = _written()
    wrong: list[str] = []
    for name, rule in URL_ACCESS.items():
        for scope in SCOPES if rule.object else ("own",):
            url = reverse(name, kwargs=url_kwargs(rule, scene, scope))
            before = _refusals(scene.actor.user)
            if rule.method == "post":
                response = client.post(url, {}, content_type="application/json")
            else:
                response = client.get(url)
            allowed = rule.allowed(role, scope)
            expected = rule.ok if allowed else rule.denied
            refused = _refusals(scene.actor.user) - before
            if response.status_code != expected or refused != (0 if allowed else 1):
                wrong.append(f"{name} {scope}: {response.status_code}, {refused} refusal(s)")
            elif response.status_code == 400:
                # The writes tried empty: a Dutch message per field, in the API's format.
                fields = response.json()["error"]["fields"]
                assert fields and all(isinstance(m, list) for m in fields.values()), fields
    assert not wrong, wrong
    assert _written() == written  # nothing was recorded by any of it


@pytest.mark.parametrize("name", list(URL_ACCESS))
def test_anonymous_is_401_and_a_post_only_operation_refuses_get(client, name):
    rule = URL_ACCESS[name]
    url = reverse(name, kwargs=dict.fromkeys(URL_ARGS[rule.object], 1))
    response = client.post(url) if rule.method == "post" else client.get(url)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    if rule.method == "post":
        assert client.get(url).status_code in (401, 405)
