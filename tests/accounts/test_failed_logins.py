"""Failed logins without a known user cannot grow the access log without bound.

Anyone can post a wrong password, so those rows are bounded per cool-off period (15 minutes): per
username + address as many as the throttle lets through, then one summary row; per address and
in total a fixed number, then one summary row. django-axes still counts every attempt, and one
address that fails for many usernames waits the cool-off like a locked username.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meldwijzer.audit.models import AccessLogEntry, AccessOutcome, Action
from meldwijzer.audit.verification import audit_chain_verify
from meldwijzer.organisations.roles import Role
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

ATTEMPTS = 1_000
MANY = 200  # enough to pass every bound by far, for the cases that reach their bound early


def _fail(client: Client, username: str, address: str) -> int:
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": "verkeerd-wachtwoord"},
        REMOTE_ADDR=address,
    ).status_code


def _failure_rows():
    return AccessLogEntry.objects.filter(
        action=Action.LOGIN, outcome=AccessOutcome.DENIED, user=None
    )


def test_the_bounds():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.LOGIN_FAILURE_ROWS_PER_ADDRESS == 20
    assert settings.LOGIN_FAILURE_ROWS_TOTAL == 100
    assert settings.LOGIN_ADDRESS_FAILURE_LIMIT == 30


def test_many_failures_for_one_username_from_one_address_add_six_rows(client):
    statuses = [_fail(client, "docent", "192.0.2.10") for _ in range(MANY)]
    assert statuses[:4] == [200] * 4
    assert set(statuses[5:]) == {429}
    rows = list(_failure_rows().order_by("sequence"))
    assert len(rows) == settings.AXES_FAILURE_LIMIT + 1
    assert [row.part for row in rows] == [""] * 5 + ["verdere pogingen: naam en adres"]
    assert audit_chain_verify().ok


def test_many_failures_for_every_username_from_one_address_are_bounded(
    client, make_member, organisation
):
    user = make_member(Role.PROFESSIONAL, organisation)
    statuses = [_fail(client, f"naam{i}", "192.0.2.10") for i in range(MANY)]
    # The address is throttled as a whole after 30 failures, for any username...
    assert set(statuses[:30]) == {200}
    assert set(statuses[30:]) == {429}
    response = client.post(
        reverse("accounts:login"),
        {"username": user.username, "password": TEST_PASSWORD},
        REMOTE_ADDR="192.0.2.10",
    )
    assert response.status_code == 429
    # ...not anyone else.
    response = Client().post(
        reverse("accounts:login"),
        {"username": user.username, "password": TEST_PASSWORD},
        REMOTE_ADDR="192.0.2.11",
    )
    assert response["Location"] == reverse("accounts:mfa")
    rows = _failure_rows()
    assert rows.count() == settings.LOGIN_FAILURE_ROWS_PER_ADDRESS + 1
    assert rows.filter(part="verdere pogingen: dit adres").count() == 1


def test_a_thousand_failures_from_everywhere_are_bounded(client):
    statuses = {
        _fail(client, f"naam{i}", f"198.51.{i // 250}.{i % 250 + 1}") for i in range(ATTEMPTS)
    }
    assert statuses == {200}  # each address and username fails once: nothing to throttle
    rows = _failure_rows()
    assert rows.count() == settings.LOGIN_FAILURE_ROWS_TOTAL + 1
    assert rows.filter(part="verdere pogingen: alle adressen").count() == 1
    assert audit_chain_verify().ok


def test_after_the_cool_off_failures_are_logged_again(client):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(10):
            _fail(client, "docent", "192.0.2.10")
        assert _failure_rows().count() == 6
        traveller.shift(settings.AXES_COOLOFF_TIME + timedelta(seconds=1))
        assert _fail(client, "docent", "192.0.2.10") == 200
        assert _failure_rows().count() == 7


def test_wrong_codes_after_a_right_password_are_each_logged(client, make_member, organisation):
    """Those come from someone who knows the password: every one is a row, and after five the
    password is asked again (tests/accounts/test_login.py)."""
    user = make_member(Role.PROFESSIONAL, organisation)
    client.post(reverse("accounts:login"), {"username": user.username, "password": TEST_PASSWORD})
    for _ in range(3):
        client.post(reverse("accounts:mfa"), {"token": "000000"})
    assert AccessLogEntry.objects.filter(user=user, outcome=AccessOutcome.DENIED).count() == 3
