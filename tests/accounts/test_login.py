from __future__ import annotations

import pytest
from django.urls import reverse

from meldwijzer.audit.models import AccessLogEntry, Action, Outcome
from meldwijzer.organisations.roles import Role
from tests.conftest import login_with_mfa

pytestmark = pytest.mark.django_db


def test_login_with_password_and_code_opens_start_page(client, make_member, organisation):
    user = make_member(Role.PROFESSIONAL, organisation)
    login_with_mfa(client, user)
    response = client.get(reverse("core:start"))
    assert response.status_code == 200
    assert "Mijn casussen" in response.content.decode()
    entry = AccessLogEntry.objects.filter(user=user, action=Action.LOGIN).get()
    assert entry.outcome == Outcome.ALLOWED


def test_password_alone_does_not_log_in(client, make_member, organisation):
    user = make_member(Role.PROFESSIONAL, organisation)
    client.post(
        reverse("accounts:login"), {"username": user.username, "password": "Test-wachtwoord-123"}
    )
    response = client.get(reverse("core:start"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
