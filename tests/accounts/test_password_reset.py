"""Password reset sets a password only: no login, and the next login still asks for the code."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse

from meldwijzer.organisations.roles import Role
from tests.conftest import force_verified_login
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Nieuw-en-lang-wachtwoord-2026"


def _request_link(client: Client, email: str) -> str:
    response = client.post(reverse("accounts:password_reset"), {"email": email})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    match = re.search(
        r"https?://testserver(/account/wachtwoord-instellen/\S+/)", mail.outbox[0].body
    )
    assert match, mail.outbox[0].body
    return match.group(1)


def _set_password(client: Client, link: str, password: str = NEW_PASSWORD):
    response = client.get(link)
    assert response.status_code == 302  # Django moves the token out of the URL first
    form_url = response["Location"]
    assert client.get(form_url).status_code == 200
    return client.post(form_url, {"new_password1": password, "new_password2": password})


def _password_step(client: Client, username: str, password: str):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_reset_sets_the_password_but_does_not_log_in(client, make_member, organisation):
    user = make_member(Role.PROFESSIONAL, organisation)
    link = _request_link(client, user.email)
    assert user.username in mail.outbox[0].body

    response = _set_password(client, link)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_complete")
    assert SESSION_KEY not in client.session
    start = client.get(reverse("core:start"))
    assert start.status_code == 302
    assert start["Location"].startswith(reverse("accounts:login"))

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not user.check_password(TEST_PASSWORD)


def test_next_login_after_a_reset_still_needs_the_code(client, make_member, organisation):
    user = make_member(Role.PROFESSIONAL, organisation)
    _set_password(client, _request_link(client, user.email))

    assert _password_step(client, user.username, TEST_PASSWORD).status_code == 200
    response = _password_step(client, user.username, NEW_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:mfa")
    assert SESSION_KEY not in client.session
    assert client.get(reverse("core:start"))["Location"].startswith(reverse("accounts:login"))


def test_reset_ends_sessions_that_were_open(client, make_member, organisation):
    user = make_member(Role.PROFESSIONAL, organisation)
    browser = force_verified_login(Client(), user)
    assert browser.get(reverse("core:start")).status_code == 200
    _set_password(client, _request_link(client, user.email))
    assert browser.get(reverse("core:start")).status_code == 302


def test_a_reset_link_works_once(client, make_member, organisation):
    user = make_member(Role.PROFESSIONAL, organisation)
    link = _request_link(client, user.email)
    _set_password(client, link)
    again = Client()
    response = again.get(link, follow=True)
    assert response.status_code == 200
    assert "Deze link is niet meer geldig" in response.content.decode()


def test_a_short_password_is_refused(client, make_member, organisation):
    user = make_member(Role.PROFESSIONAL, organisation)
    response = _set_password(client, _request_link(client, user.email), "kort-1A")
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)


def test_unknown_address_gets_the_same_answer_and_no_mail(client, make_member, organisation):
    make_member(Role.PROFESSIONAL, organisation)
    response = client.post(reverse("accounts:password_reset"), {"email": "niemand@example.invalid"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_deactivated_account_gets_no_reset_mail(client, make_member, organisation):
    user = make_member(Role.PROFESSIONAL, organisation)
    user.is_active = False
    user.save()
    client.post(reverse("accounts:password_reset"), {"email": user.email})
    assert mail.outbox == []
