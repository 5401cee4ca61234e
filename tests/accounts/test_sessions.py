"""Sessions live on the server: 30 minutes idle, 12 hours at most, and they can be ended there."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meldwijzer.accounts.models import UserSession
from meldwijzer.audit.models import AccessLogEntry, Action
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from meldwijzer.organisations.services import member_deactivate
from tests.conftest import force_verified_login, login_with_mfa

pytestmark = pytest.mark.django_db

START = "core:start"


def _is_logged_in(client: Client) -> bool:
    response = client.get(reverse(START))
    if response.status_code == 200:
        return True
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    return False


@pytest.fixture
def traveller():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def test_session_survives_29_idle_minutes(client, make_member, organisation, traveller):
    login_with_mfa(client, make_member(Role.PROFESSIONAL, organisation))
    traveller.shift(timedelta(minutes=29))
    assert _is_logged_in(client)


def test_session_ends_after_31_idle_minutes_on_the_server(
    client, make_member, organisation, traveller
):
    login_with_mfa(client, make_member(Role.PROFESSIONAL, organisation))
    session_key = client.session.session_key
    traveller.shift(timedelta(minutes=31))
    # The server no longer accepts the session, whatever the browser keeps.
    assert not Session.objects.filter(
        session_key=session_key, expire_date__gt=timezone.now()
    ).exists()
    assert not _is_logged_in(client)


def test_activity_renews_the_idle_timeout(client, make_member, organisation, traveller):
    login_with_mfa(client, make_member(Role.PROFESSIONAL, organisation))
    for _ in range(4):
        traveller.shift(timedelta(minutes=25))
        assert _is_logged_in(client)


def test_a_read_within_a_minute_writes_no_session(client, make_member, organisation, traveller):
    login_with_mfa(client, make_member(Role.PROFESSIONAL, organisation))
    traveller.shift(timedelta(minutes=5))
    assert _is_logged_in(client)  # renews the idle timeout
    traveller.shift(timedelta(seconds=50))
    with CaptureQueriesContext(connection) as queries:
        assert _is_logged_in(client)
    writes = [q["sql"] for q in queries if "django_session" in q["sql"]]
    assert not [sql for sql in writes if not sql.startswith("SELECT")], writes
    # A minute after the renewal the next request renews again: 30 idle minutes from then.
    traveller.shift(timedelta(seconds=20))
    assert _is_logged_in(client)
    traveller.shift(timedelta(minutes=29, seconds=30))
    assert _is_logged_in(client)
    traveller.shift(timedelta(minutes=31))
    assert not _is_logged_in(client)


def test_session_ends_after_12_hours_however_active(client, make_member, organisation, traveller):
    user = make_member(Role.PROFESSIONAL, organisation)
    login_with_mfa(client, user)
    for _ in range(36):  # 12 hours in steps of 20 minutes
        traveller.shift(timedelta(minutes=20))
        assert _is_logged_in(client)
    traveller.shift(timedelta(minutes=1))
    response = client.get(reverse(START))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert "Uw sessie is verlopen" in client.get(response["Location"]).content.decode()
    assert not _is_logged_in(client)


def test_session_cookie_is_not_kept_after_closing_the_browser(client, make_member, organisation):
    login_with_mfa(client, make_member(Role.PROFESSIONAL, organisation))
    cookie = client.cookies["meldwijzer_sessie"]  # as the login set it
    assert not cookie["expires"]
    assert not cookie["max-age"]


def test_logout_is_post_only(client, make_member, organisation):
    login_with_mfa(client, make_member(Role.PROFESSIONAL, organisation))
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert _is_logged_in(client)


def test_logout_deletes_the_server_side_session(client, make_member, organisation):
    user = make_member(Role.PROFESSIONAL, organisation)
    login_with_mfa(client, user)
    session_key = client.session.session_key
    assert Session.objects.filter(session_key=session_key).exists()
    assert UserSession.objects.filter(user=user, session_key=session_key).exists()
    old_cookie = client.cookies["meldwijzer_sessie"].value

    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert not Session.objects.filter(session_key=session_key).exists()
    assert not UserSession.objects.filter(user=user).exists()

    # Replaying the old cookie does not bring the session back.
    replay = Client()
    replay.cookies["meldwijzer_sessie"] = old_cookie
    assert not _is_logged_in(replay)


def test_logout_is_logged_once(client, make_member, organisation):
    user = make_member(Role.PROFESSIONAL, organisation)
    login_with_mfa(client, user)
    client.post(reverse("accounts:logout"))
    entry = AccessLogEntry.objects.get(action=Action.LOGOUT)
    assert entry.user == user
    client.post(reverse("accounts:logout"))  # already logged out: nothing to record
    assert AccessLogEntry.objects.filter(action=Action.LOGOUT).count() == 1


def test_deactivation_ends_open_sessions_at_once(make_member, organisation):
    admin = make_member(Role.FUNCTIONAL_ADMIN, organisation)
    user = make_member(Role.PROFESSIONAL, organisation)
    laptop, phone = Client(), Client()
    login_with_mfa(laptop, user)
    force_verified_login(phone, user)
    keys = set(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    assert keys == {laptop.session.session_key, phone.session.session_key}

    member_deactivate(actor=actor_for_user(user=admin), user=user)

    assert not Session.objects.filter(session_key__in=keys).exists()
    assert not UserSession.objects.filter(user=user).exists()
    assert not _is_logged_in(laptop)
    assert not _is_logged_in(phone)


def test_deactivation_ends_sessions_even_when_the_account_stays_active(
    make_member, organisation, other_organisation
):
    """Roles elsewhere keep the account on; the sessions still end, so the actor is refreshed."""
    from meldwijzer.organisations.models import Membership

    admin = make_member(Role.FUNCTIONAL_ADMIN, organisation)
    user = make_member(Role.PROFESSIONAL, organisation)
    Membership.objects.create(user=user, organisation=other_organisation, role=Role.PROFESSIONAL)
    browser = Client()
    login_with_mfa(browser, user)
    member_deactivate(actor=actor_for_user(user=admin), user=user)
    user.refresh_from_db()
    assert user.is_active
    assert SESSION_KEY not in browser.session
    assert not _is_logged_in(browser)


def test_deactivated_user_cannot_log_in_again(client, make_member, organisation):
    admin = make_member(Role.FUNCTIONAL_ADMIN, organisation)
    user = make_member(Role.PROFESSIONAL, organisation)
    member_deactivate(actor=actor_for_user(user=admin), user=user)
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": "Test-wachtwoord-123"}
    )
    assert response.status_code == 200
    assert client.get(reverse("accounts:mfa"))["Location"] == reverse("accounts:login")
