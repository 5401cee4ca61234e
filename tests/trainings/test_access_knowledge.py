"""Every knowledge page × every role (`access_knowledge.RULES`): the allowed status, or 403 with a
refusal in the access log; a text that does not exist is 'not found', logged; only a redacteur's
post saves a version; and someone not logged in is sent to the login page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from meldwijzer.audit.models import AccessLogEntry, AccessOutcome
from meldwijzer.organisations.roles import Role
from meldwijzer.trainings.models import KnowledgeVersion
from tests.conftest import force_verified_login
from tests.factories import MembershipFactory, OrganisationFactory
from tests.trainings.access_knowledge import ARGS, MISSING, RULES
from tests.trainings.knowledge_builders import edit_data


def _denied_rows() -> int:
    return AccessLogEntry.objects.filter(outcome=AccessOutcome.DENIED).count()


@pytest.mark.django_db
def test_every_role_on_every_knowledge_page():
    organisation = OrganisationFactory()
    problems = []
    for role in Role:
        client = force_verified_login(
            Client(), MembershipFactory(role=role, organisation=organisation).user
        )
        for name, allowed in RULES.items():
            before = _denied_rows()
            status = client.get(reverse(name, args=ARGS.get(name, []))).status_code
            expected = 200 if role in allowed else 403
            if status != expected:
                problems.append(f"{role} {name}: {status}, expected {expected}")
            if expected == 403 and _denied_rows() != before + 1:
                problems.append(f"{role} {name}: refusal not logged")
            if role in allowed and name in MISSING:
                before = _denied_rows()
                missing = client.get(reverse(name, args=MISSING[name])).status_code
                if missing != 404 or _denied_rows() != before + 1:
                    problems.append(f"{role} {name} (missing text): {missing}, not logged 404")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_only_a_redacteur_saves_a_version():
    organisation = OrganisationFactory()
    url = reverse("trainings:knowledge_edit", args=ARGS["trainings:knowledge_edit"])
    post = {**edit_data(), "versie": 0, "actie": "opslaan"}
    for role in Role:
        client = force_verified_login(
            Client(), MembershipFactory(role=role, organisation=organisation).user
        )
        response = client.post(url, post)
        if role == Role.CONTENT_EDITOR:
            assert response.status_code == 302
        else:
            assert response.status_code == 403, role
            assert KnowledgeVersion.objects.count() == 0, role
    assert KnowledgeVersion.objects.count() == 1


@pytest.mark.django_db
def test_someone_not_logged_in_is_sent_to_the_login_page(client):
    login = reverse("accounts:login")
    for name in RULES:
        response = client.get(reverse(name, args=ARGS.get(name, [])))
        assert response.status_code == 302, name
        assert response["Location"].startswith(login), name
