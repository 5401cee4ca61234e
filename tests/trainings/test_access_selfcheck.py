"""Every self-check page × every role × the own organisation and another one (`RULES` in
`access_selfcheck.py`): the allowed status, or a refusal that is in the access log. One world;
every mismatch is reported at once."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from meldwijzer.audit.models import AccessLogEntry, AccessOutcome, Subject
from meldwijzer.organisations.roles import Role
from meldwijzer.trainings.models import SelfCheckAttempt
from tests.conftest import force_verified_login
from tests.factories import MembershipFactory, OrganisationFactory
from tests.trainings.access_selfcheck import RULES

pytestmark = pytest.mark.django_db


def _url(name: str, attempt: SelfCheckAttempt) -> str:
    if name == "trainings:selfcheck_attempt":
        return reverse(name, kwargs={"attempt_id": attempt.pk})
    url = reverse(name)
    return f"{url}?beroepsgroep=onderwijs" if name == "trainings:selfcheck_take" else url


def _refused(user_id: int, subject: str, subject_id: str) -> bool:
    return AccessLogEntry.objects.filter(
        user_id=user_id,
        outcome=AccessOutcome.DENIED,
        subject_type=subject,
        subject_id=subject_id,
    ).exists()


def test_every_role_on_own_and_other_organisation():
    own, other = OrganisationFactory(), OrganisationFactory()
    owner = MembershipFactory(role=Role.PROFESSIONAL, organisation=own).user
    attempt = SelfCheckAttempt.objects.create(
        user=owner,
        organisation=own,
        profession="onderwijs",
        quiz_version="algemeen:1+onderwijs:1",
        score=9,
        total=13,
        answers={"questions": []},
    )
    problems = []
    for scope, organisation in (("own", own), ("other", other)):
        for role in Role:
            user = MembershipFactory(role=role, organisation=organisation).user
            client = force_verified_login(Client(), user)
            for name, rule in RULES.items():
                url = _url(name, attempt)
                response = client.get(url)
                if role not in rule.roles:
                    expected, logged = 403, _refused(user.pk, Subject.PAGE, url.split("?")[0])
                elif rule.owner_only:
                    expected = 404
                    logged = _refused(user.pk, Subject.SELF_CHECK, str(attempt.pk))
                else:
                    expected, logged = 200, True
                if response.status_code != expected or not logged:
                    problems.append(
                        f"{name} {role} ({scope}): {response.status_code}, expected {expected}"
                        + ("" if logged else ", refusal not logged")
                    )
    owner_client = force_verified_login(Client(), owner)
    for name in RULES:
        status = owner_client.get(_url(name, attempt)).status_code
        if status != 200:
            problems.append(f"{name} for the attempt's own professional: {status}")
    assert not problems, "\n".join(problems)
