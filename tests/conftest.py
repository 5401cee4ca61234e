"""Shared fixtures: people with a role, logged in the real way (password + TOTP code)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from meldwijzer.accounts.models import User
from meldwijzer.organisations.models import Organisation
from meldwijzer.organisations.roles import Role
from tests.factories import TEST_PASSWORD, MembershipFactory, OrganisationFactory


def current_code(user: User) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def login_with_mfa(client: Client, user: User, password: str = TEST_PASSWORD) -> None:
    """Log in through the real two-step login pages."""
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": password}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    assert response["Location"] == reverse("accounts:mfa")
    response = client.post(reverse("accounts:mfa"), {"token": current_code(user)})
    assert response.status_code == 302, response.content.decode()[:500]


@pytest.fixture(autouse=True)
def _fresh_throttles() -> None:
    """Login throttling and TOTP throttling state must not leak between tests."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def organisation(db: None) -> Organisation:
    return OrganisationFactory(name="Basisschool Eigen")


@pytest.fixture
def other_organisation(db: None) -> Organisation:
    return OrganisationFactory(name="Kinderopvang Ander")


@pytest.fixture
def make_member(db: None) -> Callable[..., User]:
    def make(role: Role = Role.PROFESSIONAL, organisation: Organisation | None = None) -> User:
        membership = MembershipFactory(
            role=role, organisation=organisation or OrganisationFactory()
        )
        return membership.user

    return make


@pytest.fixture
def logged_in(client: Client) -> Callable[[User], Client]:
    def log_in(user: User) -> Client:
        login_with_mfa(client, user)
        return client

    return log_in
