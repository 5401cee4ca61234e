"""Shared fixtures: people with a role, logged in the real way (password + TOTP code)."""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from meldwijzer.accounts.models import User
from meldwijzer.accounts.services import SESSION_LOGIN_AT_KEY
from meldwijzer.organisations.models import Organisation
from meldwijzer.organisations.roles import Role
from tests.factories import TEST_PASSWORD, MembershipFactory, OrganisationFactory

DATABASE_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
        "live_server",
    }
)
SECOND_DATABASE_RUN = "MELDWIJZER_SECOND_DATABASE_RUN"
"""Set by `tasks.py test` for the run on PostgreSQL, after the same suite passed on SQLite."""

WHOLE_FLOWS = frozenset(
    {
        "test_case_flow.py",
        "test_coordination_flow.py",
        "test_followup_flow.py",
        "test_followup_closing.py",
        "test_datalab_flow.py",
    }
)
"""The browser tests that write through a whole route (report, coordination, follow-up, datalab):
the ones the second database's run repeats in Chromium."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On the second database's run, leave out the tests that cannot reach a database: no
    `django_db` mark and no database fixture, directly or through another fixture (pytest-django
    refuses them any query). They ran on SQLite and would give the same result again.

    Of the browser tests that run repeats only the whole flows (`WHOLE_FLOWS`): they write through
    every step on this database too. The page checks (axe at two widths, keyboard, login variants,
    the sociale kaart's views) ran in Chromium on SQLite; their pages run on this database in the
    Django client tests.

    The checks of the demo's contents (`demo` mark) are left out too: `meldwijzer demo` refuses a
    database server and runs only on SQLite, where they ran."""
    if not os.environ.get(SECOND_DATABASE_RUN):
        return
    keep: list[pytest.Item] = []
    left_out: list[pytest.Item] = []
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        uses_database = item.get_closest_marker("django_db") or names & DATABASE_FIXTURES
        page_check = item.get_closest_marker("browser") and item.path.name not in WHOLE_FLOWS
        demo_check = item.get_closest_marker("demo")
        (keep if uses_database and not (page_check or demo_check) else left_out).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = keep


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


def force_verified_login(client: Client, user: User) -> Client:
    """A logged-in, MFA-verified session without going through the login pages (faster)."""
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[SESSION_LOGIN_AT_KEY] = timezone.now().isoformat()
    session.save()
    return client


@pytest.fixture(autouse=True)
def _own_audit_checkpoints(settings, tmp_path_factory) -> None:
    """Each test gets its own file for the access log's checkpoints: a checkpoint another test
    wrote would not match this test's database."""
    directory = tmp_path_factory.mktemp("controlepunten")
    settings.AUDIT_CHECKPOINT_FILE = directory / "controlepunten.jsonl"


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


@pytest.fixture
def verified(client: Client) -> Callable[[User], Client]:
    """Log `user` in with a verified session, skipping the login pages."""

    def log_in(user: User) -> Client:
        return force_verified_login(client, user)

    return log_in
