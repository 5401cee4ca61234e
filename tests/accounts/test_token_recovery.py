"""API keys do not outlive recovery, stop when unused, and are made only with a fresh second factor.

Each recovery action — a new password, logging out everywhere, deactivation or the end of a
membership, an authenticator reset — revokes the keys that the lost password, session or device
could have made. A key also stops after `API_TOKEN_IDLE_TIMEOUT` unused, besides its lifetime.
Making a key, or letting a role hold them, asks for the authenticator code again when it was last
given more than five minutes ago: a stolen session alone makes no key.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meldwijzer.accounts.models import ApiToken, UserSession
from meldwijzer.accounts.services import api_token_create
from meldwijzer.audit.models import AccessLogEntry, AccessOutcome, Action
from meldwijzer.organisations import services as organisation_services
from meldwijzer.organisations.models import ApiKeyRole, Membership
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from tests.conftest import current_code, force_verified_login
from tests.factories import ApiTokenFactory, allow_api_keys

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"


@pytest.fixture
def holder(make_member, organisation):
    allow_api_keys(organisation, Role.PROFESSIONAL)
    return make_member(Role.PROFESSIONAL, organisation)


@pytest.fixture
def admin(make_member, organisation):
    return make_member(Role.FUNCTIONAL_ADMIN, organisation)


def _key(user, organisation_id=None) -> str:
    _, secret = api_token_create(
        actor=actor_for_user(user=user, organisation_id=organisation_id), name="koppeling"
    )
    return secret


def _works(secret: str) -> bool:
    status = Client().get(ME, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code
    assert status in (200, 401)
    return status == 200


# --- Recovery actions revoke ---------------------------------------------------------------------


def test_a_password_reset_revokes_every_key(client, holder, other_organisation):
    allow_api_keys(other_organisation, Role.PROFESSIONAL)
    Membership.objects.create(user=holder, organisation=other_organisation, role=Role.PROFESSIONAL)
    keys = [_key(holder), _key(holder, other_organisation.pk)]
    assert all(_works(key) for key in keys)

    client.post(reverse("accounts:password_reset"), {"email": holder.email})
    link = re.search(
        r"https?://testserver(/account/wachtwoord-instellen/\S+/)", mail.outbox[0].body
    )
    form_url = client.get(link.group(1))["Location"]
    new = "Nieuw-en-lang-wachtwoord-2026"
    client.post(form_url, {"new_password1": new, "new_password2": new})

    holder.refresh_from_db()
    assert holder.check_password(new)
    assert not any(_works(key) for key in keys)
    row = AccessLogEntry.objects.get(part="wachtwoord opnieuw ingesteld")
    assert (row.user, row.subject_id, row.outcome) == (
        holder,
        str(holder.pk),
        AccessOutcome.ALLOWED,
    )


def test_logging_out_everywhere_ends_every_session_and_revokes_every_key(client, holder):
    key = _key(holder)
    elsewhere = force_verified_login(Client(), holder)
    force_verified_login(client, holder)
    page = client.get(reverse("accounts:account"))
    assert page.status_code == 200
    assert page.context["sessions"] == 2

    response = client.post(reverse("accounts:logout_everywhere"))
    assert response["Location"] == reverse("accounts:login")
    assert not _works(key)
    assert not UserSession.objects.filter(user=holder).exists()
    for browser in (client, elsewhere):
        assert browser.get(reverse("core:start"))["Location"].startswith(reverse("accounts:login"))
    row = AccessLogEntry.objects.get(action=Action.LOGOUT)
    assert (row.user, row.part) == (holder, "overal uitgelogd")


def test_logging_out_everywhere_needs_a_post_and_a_login(client, holder):
    key = _key(holder)
    force_verified_login(client, holder)
    assert client.get(reverse("accounts:logout_everywhere")).status_code == 405
    anonymous = Client().post(reverse("accounts:logout_everywhere"))
    assert anonymous["Location"].startswith(reverse("accounts:login"))
    assert _works(key)


def test_an_authenticator_reset_revokes_every_key(holder, admin):
    key = _key(holder)
    organisation_services.member_mfa_reset(actor=actor_for_user(user=admin), user=holder)
    assert not _works(key)


def test_deactivation_revokes_the_keys_for_the_organisation(holder, admin, other_organisation):
    """Keys for another organisation the person still works for stay that organisation's
    (organisations/test_services.py); once the account is off, none comes back with it."""
    key = _key(holder)
    organisation_services.member_deactivate(actor=actor_for_user(user=admin), user=holder)
    organisation_services.member_reactivate(actor=actor_for_user(user=admin), user=holder)
    assert not _works(key)


def test_switching_the_account_off_revokes_keys_of_any_organisation(
    holder, admin, other_organisation
):
    """A key for an organisation the person left earlier (made before its end revoked keys)
    must not come back if that organisation takes them on again."""
    left_behind = ApiTokenFactory(user=holder, organisation=other_organisation)
    organisation_services.member_deactivate(actor=actor_for_user(user=admin), user=holder)
    holder.refresh_from_db()
    assert not holder.is_active
    assert not ApiToken.objects.filter(user=holder, revoked_at=None).exists()
    assert ApiToken.objects.get(pk=left_behind.pk).revoked_at is not None


def test_the_end_of_a_membership_revokes_its_keys_for_good(holder, admin):
    key = _key(holder)
    actor = actor_for_user(user=admin)
    organisation_services.member_role_set(actor=actor, user=holder, roles=set())
    assert not _works(key)
    organisation_services.member_role_set(actor=actor, user=holder, roles={Role.PROFESSIONAL})
    assert not _works(key)
    assert _works(_key(holder))


def test_a_role_change_that_keeps_the_membership_keeps_the_key(holder, admin, organisation):
    allow_api_keys(organisation, Role.MELDCODE_OFFICER)
    key = _key(holder)
    organisation_services.member_role_set(
        actor=actor_for_user(user=admin), user=holder, roles={Role.MELDCODE_OFFICER}
    )
    assert _works(key)


# --- Idle timeout and lifetime -------------------------------------------------------------------


def test_settings_give_keys_a_lifetime_and_an_idle_timeout():
    assert timedelta(days=90) == settings.API_TOKEN_LIFETIME
    assert timedelta(days=30) == settings.API_TOKEN_IDLE_TIMEOUT


def test_a_key_unused_for_the_idle_timeout_stops_working(holder):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        unused, used = _key(holder), _key(holder)
        traveller.shift(timedelta(days=20))
        assert _works(used)
        traveller.shift(timedelta(days=10, seconds=1))  # 30 days after it was made
        assert not _works(unused)
        assert _works(used)  # used 10 days ago
        response = Client().get(ME, HTTP_AUTHORIZATION=f"Bearer {unused}")
        assert "te lang niet gebruikt" in response.json()["error"]["message"]
        traveller.shift(timedelta(days=29))
        assert _works(used)
        traveller.shift(timedelta(days=31, seconds=1))  # 90 days after it was made
        assert not _works(used)


def test_the_key_list_says_when_a_key_stopped_for_being_unused(verified, holder):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        _key(holder)
        traveller.shift(timedelta(days=31))
        page = verified(holder).get(reverse("accounts:api_tokens"))
        assert [row.state for row in page.context["tokens"]] == ["Verlopen: te lang niet gebruikt"]


# --- A fresh second factor to make a key ---------------------------------------------------------


def test_right_after_login_a_key_is_made_without_the_code_again(client, holder):
    force_verified_login(client, holder)
    page = client.get(reverse("accounts:api_tokens"))
    assert "token" not in page.context["form"].fields
    response = client.post(reverse("accounts:api_tokens"), {"name": "koppeling"})
    assert response.context["new_secret"]


def test_five_minutes_after_login_a_key_needs_the_code_again(client, holder):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        force_verified_login(client, holder)
        traveller.shift(timedelta(minutes=5, seconds=1))
        page = client.get(reverse("accounts:api_tokens"))
        assert "token" in page.context["form"].fields
        assert "opnieuw de code" in page.content.decode()

        response = client.post(reverse("accounts:api_tokens"), {"name": "koppeling"})
        assert response.status_code == 200
        assert response.context["form"].errors["token"] == ["Vul de code in."]
        response = client.post(
            reverse("accounts:api_tokens"), {"name": "koppeling", "token": "000000"}
        )
        assert response.status_code == 403
        assert not ApiToken.objects.exists()
        refused = AccessLogEntry.objects.get(outcome=AccessOutcome.DENIED)
        assert (refused.user, refused.part) == (holder, "code opnieuw gevraagd")

        traveller.shift(timedelta(seconds=2))  # django-otp's delay after a wrong code
        response = client.post(
            reverse("accounts:api_tokens"), {"name": "koppeling", "token": current_code(holder)}
        )
        assert response.status_code == 200
        assert response.context["new_secret"]
        assert ApiToken.objects.filter(user=holder).count() == 1
        # The code just given counts as fresh for the next five minutes.
        traveller.shift(timedelta(minutes=4))
        again = client.post(reverse("accounts:api_tokens"), {"name": "tweede"})
        assert again.context["new_secret"]


def test_allowing_a_role_keys_needs_a_fresh_second_factor_switching_off_does_not(
    client, admin, organisation
):
    url = reverse("organisations:api_keys")
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        force_verified_login(client, admin)
        traveller.shift(timedelta(minutes=6))
        response = client.post(url, {"roles": [Role.PROFESSIONAL]})
        assert response.status_code == 403
        assert "om API-sleutels aan te zetten" in response.content.decode()
        assert not ApiKeyRole.objects.filter(organisation=organisation).exists()

        response = client.post(url, {"roles": [Role.PROFESSIONAL], "token": current_code(admin)})
        assert response["Location"] == url
        assert ApiKeyRole.objects.filter(organisation=organisation, role=Role.PROFESSIONAL).exists()

        traveller.shift(timedelta(minutes=6))
        response = client.post(url, {"roles": []})
        assert response["Location"] == url
        assert not ApiKeyRole.objects.filter(organisation=organisation).exists()
