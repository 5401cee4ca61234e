"""Login throttling (django-axes): per username and address, temporary, and not a lock-out tool."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meldwijzer.organisations.roles import Role
from tests.conftest import current_code
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

OWN_ADDRESS = "192.0.2.10"
ATTACKER_ADDRESS = "198.51.100.66"


def _login(client: Client, username: str, password: str, address: str = OWN_ADDRESS):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def _fail(client: Client, username: str, times: int, address: str = OWN_ADDRESS) -> list[int]:
    return [
        _login(client, username, "verkeerd-wachtwoord", address).status_code for _ in range(times)
    ]


def test_settings_lock_username_and_address_together_for_a_quarter():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_five_failures_lock_out_with_a_dutch_429_page(client, make_member, organisation):
    user = make_member(Role.PROFESSIONAL, organisation)
    assert _fail(client, user.username, 4) == [200, 200, 200, 200]
    response = _login(client, user.username, "verkeerd-wachtwoord")
    assert response.status_code == 429
    assert "Te veel mislukte pogingen" in response.content.decode()

    # Locked: even the right password does not get through now.
    response = _login(client, user.username, TEST_PASSWORD)
    assert response.status_code == 429
    assert "Te veel mislukte pogingen" in response.content.decode()
    assert client.get(reverse("accounts:mfa"))["Location"] == reverse("accounts:login")


def test_lock_ends_after_the_cool_off(client, make_member, organisation):
    user = make_member(Role.PROFESSIONAL, organisation)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        _fail(client, user.username, 5)
        traveller.shift(timedelta(minutes=14))
        assert _login(client, user.username, TEST_PASSWORD).status_code == 429
        traveller.shift(timedelta(minutes=1, seconds=1))
        response = _login(client, user.username, TEST_PASSWORD)
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:mfa")
        response = client.post(
            reverse("accounts:mfa"), {"token": current_code(user)}, REMOTE_ADDR=OWN_ADDRESS
        )
        assert response["Location"] == reverse("core:start")
        assert client.get(reverse("core:start"), REMOTE_ADDR=OWN_ADDRESS).status_code == 200


def test_failures_from_another_address_do_not_lock_the_user_out(client, make_member, organisation):
    user = make_member(Role.PROFESSIONAL, organisation)
    attacker = Client()
    assert _fail(attacker, user.username, 6, ATTACKER_ADDRESS)[-1] == 429
    response = _login(client, user.username, TEST_PASSWORD, OWN_ADDRESS)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:mfa")


def test_failures_for_another_username_do_not_lock_this_one(client, make_member, organisation):
    user = make_member(Role.PROFESSIONAL, organisation)
    other = make_member(Role.PROFESSIONAL, organisation)
    assert _fail(client, other.username, 5)[-1] == 429
    assert _login(client, user.username, TEST_PASSWORD).status_code == 302


def test_a_successful_login_resets_the_failure_count(client, make_member, organisation):
    user = make_member(Role.PROFESSIONAL, organisation)
    _fail(client, user.username, 4)
    _login(client, user.username, TEST_PASSWORD)
    client.post(reverse("accounts:mfa"), {"token": current_code(user)}, REMOTE_ADDR=OWN_ADDRESS)
    client.post(reverse("accounts:logout"), REMOTE_ADDR=OWN_ADDRESS)
    # Had the four failures still counted, the next one would lock.
    assert _fail(client, user.username, 4) == [200, 200, 200, 200]
    assert _login(client, user.username, TEST_PASSWORD).status_code == 302


def test_attempts_during_the_lock_do_not_extend_it(client, make_member, organisation):
    user = make_member(Role.PROFESSIONAL, organisation)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        _fail(client, user.username, 5)
        for _ in range(3):
            traveller.shift(timedelta(minutes=4))
            assert _fail(client, user.username, 1) == [429]
            assert _login(client, user.username, TEST_PASSWORD).status_code == 429
        traveller.shift(timedelta(minutes=3, seconds=1))  # 15 minutes after the fifth failure
        assert _login(client, user.username, TEST_PASSWORD).status_code == 302


def test_the_wrong_password_is_not_stored_with_the_attempt(client, make_member, organisation):
    from axes.models import AccessAttempt

    user = make_member(Role.PROFESSIONAL, organisation)
    _login(client, user.username, "Mijn-geheime-poging-42")
    attempt = AccessAttempt.objects.get(username=user.username)
    assert attempt.failures_since_start == 1
    assert "Mijn-geheime-poging-42" not in attempt.post_data
