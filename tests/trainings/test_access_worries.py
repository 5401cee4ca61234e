"""Every page and API operation of the worries area × every role × a colleague's worry of the
own organisation and another organisation's worry (`access_worries.RULES`): the allowed status,
or a refusal that is in the access log. Every mismatch is reported at once."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from meldwijzer.audit.models import AccessLogEntry, AccessOutcome
from meldwijzer.organisations.roles import Role
from meldwijzer.trainings.models import Worry, WorryMessage
from tests.conftest import force_verified_login
from tests.trainings.access_worries import RULES
from tests.trainings.builders_worries import member, region, share

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("scope", ["colleague", "foreign"])
def test_every_role_gets_what_the_table_says(scope):
    world = region()
    worry = share(world.teacher if scope == "colleague" else world.other_teacher)
    state = (Worry.objects.count(), WorryMessage.objects.count())
    problems = []
    for role in Role:
        user = member(world.school, role)
        client = force_verified_login(Client(), user)
        for name, rule in RULES.items():
            kwargs = {"worry_id": worry.pk} if rule.has_object else {}
            url = reverse(name, kwargs=kwargs)
            allowed = role in (rule.colleague if scope == "colleague" else rule.foreign)
            expected = rule.ok if allowed else (404 if role in rule.door else 403)
            before = AccessLogEntry.objects.filter(user=user, outcome=AccessOutcome.DENIED).count()
            if rule.method == "post":
                response = client.post(url, {}, content_type="application/json")
            else:
                response = client.get(url)
            if response.status_code != expected:
                problems.append(f"{role} {name}: {response.status_code}, expected {expected}")
                continue
            if expected in (403, 404):
                after = AccessLogEntry.objects.filter(
                    user=user, outcome=AccessOutcome.DENIED
                ).count()
                if after != before + 1:
                    problems.append(f"{role} {name}: refused without a row in the access log")
    assert not problems, "\n".join(problems)
    assert (Worry.objects.count(), WorryMessage.objects.count()) == state
    assert Worry.objects.get(pk=worry.pk).state == "open"
