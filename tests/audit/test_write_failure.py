"""No log, no action: if the access log cannot be written, the action does not happen."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.db import DatabaseError
from django.test import Client
from django.urls import reverse

from meldwijzer.accounts.models import UserSession
from meldwijzer.audit.models import AccessLogEntry, AccessLogHead
from meldwijzer.audit.services import AuditWriteError
from meldwijzer.audit.verification import audit_chain_verify
from meldwijzer.organisations import services
from meldwijzer.organisations.models import Membership
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from tests.conftest import current_code, force_verified_login, login_with_mfa

pytestmark = pytest.mark.django_db


@pytest.fixture
def broken_log(monkeypatch):
    """Make every write to the access log fail as a database error would."""

    def refuse(**kwargs: object) -> None:
        raise DatabaseError("schijf vol")

    def apply() -> None:
        monkeypatch.setattr("meldwijzer.audit.services.AccessLogEntry.objects.create", refuse)

    return apply


@pytest.fixture
def admin(make_member, organisation):
    return make_member(Role.FUNCTIONAL_ADMIN, organisation)


@pytest.fixture
def colleague(make_member, organisation):
    return make_member(Role.PROFESSIONAL, organisation)


def test_failed_log_write_rolls_the_deactivation_back(admin, colleague, broken_log, monkeypatch):
    browser = force_verified_login(Client(), colleague)
    broken_log()
    with pytest.raises(AuditWriteError):
        services.member_deactivate(actor=actor_for_user(user=admin), user=colleague)
    colleague.refresh_from_db()
    assert colleague.is_active
    assert Membership.objects.get(user=colleague).is_active
    assert UserSession.objects.filter(user=colleague).exists()
    # With the log working again (the start page logs its read of the open work), the
    # colleague's session still works.
    monkeypatch.undo()
    assert browser.get(reverse("core:start")).status_code == 200


def test_failed_log_write_rolls_the_role_change_back(admin, colleague, broken_log):
    broken_log()
    with pytest.raises(AuditWriteError):
        services.member_role_set(
            actor=actor_for_user(user=admin), user=colleague, roles={Role.MELDCODE_OFFICER}
        )
    assert list(Membership.objects.filter(user=colleague, is_active=True).values_list("role")) == [
        (Role.PROFESSIONAL,)
    ]


def test_failed_log_write_rolls_the_member_creation_back(admin, broken_log):
    from meldwijzer.accounts.models import User

    broken_log()
    with pytest.raises(AuditWriteError):
        services.member_create(
            actor=actor_for_user(user=admin),
            username="nieuw",
            first_name="Nieuw",
            last_name="Persoon",
            email="nieuw@example.invalid",
            role=Role.PROFESSIONAL,
        )
    assert not User.objects.filter(username="nieuw").exists()


def test_web_request_gets_the_dutch_503_page(verified, admin, colleague, broken_log):
    client = verified(admin)
    broken_log()
    response = client.post(
        reverse("organisations:member_deactivate", kwargs={"user_id": colleague.pk})
    )
    assert response.status_code == 503
    body = response.content.decode()
    assert "Tijdelijk niet beschikbaar" in body
    assert "Er is niets gewijzigd" in body
    colleague.refresh_from_db()
    assert colleague.is_active


def test_api_request_gets_a_json_503(verified, admin, broken_log):
    client = verified(admin)
    broken_log()
    response = client.get(reverse("api:access-log"))
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "toegangslogboek_onbeschikbaar"


def test_a_refusal_stays_a_refusal_when_the_log_fails(verified, colleague, broken_log):
    client = verified(colleague)
    broken_log()
    response = client.get(reverse("organisations:member_list"))
    assert response.status_code == 503


def test_login_fails_when_it_cannot_be_logged(client, colleague, broken_log):
    client.post(
        reverse("accounts:login"),
        {"username": colleague.username, "password": "Test-wachtwoord-123"},
    )
    broken_log()
    response = client.post(reverse("accounts:mfa"), {"token": current_code(colleague)})
    assert response.status_code == 503
    assert SESSION_KEY not in client.session
    assert not UserSession.objects.filter(user=colleague).exists()


def test_the_chain_stays_whole_after_a_failed_write(client, admin, colleague, monkeypatch):
    login_with_mfa(client, admin)
    head_before = AccessLogHead.objects.values_list("sequence", "entry_hash").get()

    def refuse(**kwargs: object) -> None:
        raise DatabaseError("schijf vol")

    with monkeypatch.context() as patch:
        patch.setattr("meldwijzer.audit.services.AccessLogEntry.objects.create", refuse)
        with pytest.raises(AuditWriteError):
            services.member_mfa_reset(actor=actor_for_user(user=admin), user=colleague)
    assert AccessLogHead.objects.values_list("sequence", "entry_hash").get() == head_before
    services.member_mfa_reset(actor=actor_for_user(user=admin), user=colleague)
    assert AccessLogEntry.objects.count() == 2
    assert audit_chain_verify().ok
