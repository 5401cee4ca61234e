"""Setting up the authenticator at the first login, or after the beheerder reset it."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from meldwijzer.audit.models import AccessLogEntry, Action, Outcome
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from meldwijzer.organisations.services import member_mfa_reset
from tests.factories import TEST_PASSWORD, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _code(device: TOTPDevice, offset: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{(totp.token() + offset) % 1_000_000:06d}"


@pytest.fixture
def newcomer(organisation):
    user = UserFactory(totp=False)
    MembershipFactory(user=user, organisation=organisation, role=Role.PROFESSIONAL)
    return user


def _password_step(client, user):
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": TEST_PASSWORD}
    )
    assert response["Location"] == reverse("accounts:mfa")
    return client.get(response["Location"])


def test_without_a_device_the_code_page_sends_on_to_setup(client, newcomer):
    response = _password_step(client, newcomer)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:mfa_setup")


def test_setup_page_shows_a_qr_code_and_the_key(client, newcomer):
    _password_step(client, newcomer)
    response = client.get(reverse("accounts:mfa_setup"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'src="data:image/svg+xml' in body
    device = TOTPDevice.objects.get(user=newcomer)
    assert not device.confirmed
    assert response.context["secret"].replace(" ", "") in body.replace(" ", "")
    # Reloading shows the same key, not a new one each time.
    client.get(reverse("accounts:mfa_setup"))
    assert TOTPDevice.objects.filter(user=newcomer).count() == 1
    assert SESSION_KEY not in client.session


def test_right_code_confirms_the_device_and_logs_in(client, newcomer, organisation):
    _password_step(client, newcomer)
    client.get(reverse("accounts:mfa_setup"))
    device = TOTPDevice.objects.get(user=newcomer)
    response = client.post(reverse("accounts:mfa_setup"), {"token": _code(device)})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:start")
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("core:start")).status_code == 200
    entry = AccessLogEntry.objects.get(action=Action.LOGIN)
    assert (entry.user, entry.outcome, entry.organisation) == (
        newcomer,
        Outcome.ALLOWED,
        organisation,
    )


def test_wrong_code_does_not_confirm_or_log_in(client, newcomer):
    _password_step(client, newcomer)
    client.get(reverse("accounts:mfa_setup"))
    device = TOTPDevice.objects.get(user=newcomer)
    response = client.post(reverse("accounts:mfa_setup"), {"token": _code(device, 1)})
    assert response.status_code == 200
    assert "Deze code klopt niet" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert SESSION_KEY not in client.session
    assert client.get(reverse("core:start")).status_code == 302


def test_setup_needs_the_password_first(client, newcomer):
    response = client.get(reverse("accounts:mfa_setup"))
    assert response["Location"] == reverse("accounts:login")
    assert not TOTPDevice.objects.filter(user=newcomer).exists()


def test_someone_with_a_device_cannot_set_up_another(client, make_member, organisation):
    user = make_member(Role.PROFESSIONAL, organisation)
    client.post(reverse("accounts:login"), {"username": user.username, "password": TEST_PASSWORD})
    response = client.get(reverse("accounts:mfa_setup"))
    assert response["Location"] == reverse("accounts:mfa")
    attacker_device = TOTPDevice(user=user, confirmed=False)
    response = client.post(reverse("accounts:mfa_setup"), {"token": _code(attacker_device)})
    assert response["Location"] == reverse("accounts:mfa")
    assert TOTPDevice.objects.filter(user=user).count() == 1
    assert SESSION_KEY not in client.session


def test_after_a_reset_the_next_login_sets_up_a_new_device(client, make_member, organisation):
    admin = make_member(Role.FUNCTIONAL_ADMIN, organisation)
    user = make_member(Role.PROFESSIONAL, organisation)
    old_key = TOTPDevice.objects.get(user=user).key
    member_mfa_reset(actor=actor_for_user(user=admin), user=user)
    assert not TOTPDevice.objects.filter(user=user).exists()

    assert _password_step(client, user)["Location"] == reverse("accounts:mfa_setup")
    client.get(reverse("accounts:mfa_setup"))
    device = TOTPDevice.objects.get(user=user)
    assert device.key != old_key
    client.post(reverse("accounts:mfa_setup"), {"token": _code(device)})
    assert client.get(reverse("core:start")).status_code == 200
