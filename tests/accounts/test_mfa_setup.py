"""Setting up the authenticator at the first login, or after the beheerder reset it.

The password alone never shows a secret: setting up needs the one-time activeringscode the
beheerder got when adding the person or resetting their authenticator. The secret then shown
belongs to that session only and expires; a second session gets another one.
"""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from meldwijzer.accounts.models import EnrolmentCode
from meldwijzer.accounts.services import enrolment_code_normalise
from meldwijzer.audit.models import AccessLogEntry, AccessOutcome, Action
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from meldwijzer.organisations.services import (
    member_create,
    member_enrolment_code_issue,
    member_mfa_reset,
)
from tests.factories import TEST_PASSWORD, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

SETUP = "accounts:mfa_setup"


def _code_for_key(key_b32: str, offset: int = 0) -> str:
    key = base64.b32decode(key_b32 + "=" * (-len(key_b32) % 8))
    totp = TOTP(key)
    return f"{(totp.token() + offset) % 1_000_000:06d}"


@pytest.fixture
def admin(make_member, organisation):
    return make_member(Role.FUNCTIONAL_ADMIN, organisation)


@pytest.fixture
def newcomer(organisation):
    user = UserFactory(totp=False)
    MembershipFactory(user=user, organisation=organisation, role=Role.PROFESSIONAL)
    return user


@pytest.fixture
def enrolment_code(admin, newcomer) -> str:
    """The code the beheerder passed on to the newcomer."""
    return member_enrolment_code_issue(actor=actor_for_user(user=admin), user=newcomer)


def _password_step(client, user):
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": TEST_PASSWORD}
    )
    assert response["Location"] == reverse("accounts:mfa")
    return client.get(response["Location"])


def _secret_shown(client, user, code: str) -> str:
    """Password, then the activeringscode: the key the set-up page shows this session."""
    _password_step(client, user)
    response = client.post(reverse(SETUP), {"code": code})
    assert response["Location"] == reverse(SETUP)
    page = client.get(reverse(SETUP))
    assert page.status_code == 200
    return page.context["secret"].replace(" ", "")


def test_without_a_device_the_code_page_sends_on_to_setup(client, newcomer):
    response = _password_step(client, newcomer)
    assert response.status_code == 302
    assert response["Location"] == reverse(SETUP)


def test_the_password_alone_never_shows_a_secret(client, newcomer, enrolment_code):
    _password_step(client, newcomer)
    for _ in range(2):  # and not on a second visit either
        page = client.get(reverse(SETUP))
        assert page.status_code == 200
        assert "secret" not in page.context
        assert "Activeringscode" in page.content.decode()
        assert "data:image/svg+xml" not in page.content.decode()
    assert not TOTPDevice.objects.filter(user=newcomer).exists()
    assert SESSION_KEY not in client.session


def test_a_wrong_activeringscode_shows_nothing_and_is_logged(client, newcomer, enrolment_code):
    _password_step(client, newcomer)
    response = client.post(reverse(SETUP), {"code": "AAAA-BBBB-CCCC"})
    assert response.status_code == 200
    assert "Deze activeringscode klopt niet" in response.content.decode()
    assert "secret" not in response.context
    denied = AccessLogEntry.objects.get(outcome=AccessOutcome.DENIED)
    assert (denied.user, denied.action, denied.part) == (newcomer, Action.LOGIN, "activeringscode")


def test_five_wrong_activeringscodes_send_back_to_the_password(client, newcomer, enrolment_code):
    _password_step(client, newcomer)
    for _ in range(4):
        assert client.post(reverse(SETUP), {"code": "AAAA-BBBB-CCCC"}).status_code == 200
    response = client.post(reverse(SETUP), {"code": "AAAA-BBBB-CCCC"})
    assert response["Location"] == reverse("accounts:login")
    # Even the right code needs the password again now.
    assert client.post(reverse(SETUP), {"code": enrolment_code})["Location"] == reverse(
        "accounts:login"
    )


def test_the_code_of_someone_else_does_not_work(client, admin, newcomer, organisation):
    other = UserFactory(totp=False)
    MembershipFactory(user=other, organisation=organisation, role=Role.PROFESSIONAL)
    others_code = member_enrolment_code_issue(actor=actor_for_user(user=admin), user=other)
    _password_step(client, newcomer)
    response = client.post(reverse(SETUP), {"code": others_code})
    assert response.status_code == 200
    assert "secret" not in response.context


def test_setup_shows_a_qr_code_and_a_key_for_this_session_only(client, newcomer, enrolment_code):
    secret = _secret_shown(client, newcomer, enrolment_code)
    page = client.get(reverse(SETUP))
    assert 'src="data:image/svg+xml' in page.content.decode()
    assert page.context["secret"].replace(" ", "") == secret  # the same on reloading
    # Nothing is stored in the devices table until the person confirms it.
    assert not TOTPDevice.objects.filter(user=newcomer).exists()
    # Another session with the password and the same code gets another key.
    assert _secret_shown(Client(), newcomer, enrolment_code) != secret


def test_the_right_code_confirms_the_key_of_this_session_and_logs_in(
    client, newcomer, organisation, enrolment_code
):
    secret = _secret_shown(client, newcomer, enrolment_code)
    response = client.post(reverse(SETUP), {"token": _code_for_key(secret)})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:start")
    device = TOTPDevice.objects.get(user=newcomer)
    assert device.confirmed
    assert base64.b32encode(device.bin_key).decode().rstrip("=") == secret
    assert client.get(reverse("core:start")).status_code == 200
    login = AccessLogEntry.objects.get(action=Action.LOGIN, outcome=AccessOutcome.ALLOWED)
    assert (login.user, login.organisation) == (newcomer, organisation)
    enrolled = AccessLogEntry.objects.get(part="authenticator ingesteld")
    assert (enrolled.user, enrolled.subject_id) == (newcomer, str(newcomer.pk))
    assert EnrolmentCode.objects.get(user=newcomer).used_at is not None


def test_a_code_for_another_sessions_key_does_not_confirm(client, newcomer, enrolment_code):
    _secret_shown(client, newcomer, enrolment_code)
    other_secret = _secret_shown(Client(), newcomer, enrolment_code)
    response = client.post(reverse(SETUP), {"token": _code_for_key(other_secret)})
    assert response.status_code == 200
    assert "Deze code klopt niet" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=newcomer).exists()
    assert SESSION_KEY not in client.session


def test_the_activeringscode_works_once(client, newcomer, enrolment_code):
    first = _secret_shown(client, newcomer, enrolment_code)
    late = Client()
    late_secret = _secret_shown(late, newcomer, enrolment_code)
    client.post(reverse(SETUP), {"token": _code_for_key(first)})
    key = TOTPDevice.objects.get(user=newcomer).key

    # The session that took a key before the code was used up cannot confirm it any more...
    response = late.post(reverse(SETUP), {"token": _code_for_key(late_secret)})
    assert response["Location"] == reverse("accounts:mfa")  # the person has a device now
    assert TOTPDevice.objects.get(user=newcomer).key == key
    assert SESSION_KEY not in late.session
    # ...and a new login with the used code does not get a key either.
    fresh = Client()
    _password_step(fresh, newcomer)
    assert fresh.get(reverse(SETUP))["Location"] == reverse("accounts:mfa")


def test_a_used_code_that_is_no_longer_valid_is_refused_at_confirmation(
    client, admin, newcomer, enrolment_code
):
    secret = _secret_shown(client, newcomer, enrolment_code)
    # Meanwhile the beheerder made a new code: the old one stops working.
    member_enrolment_code_issue(actor=actor_for_user(user=admin), user=newcomer)
    response = client.post(reverse(SETUP), {"token": _code_for_key(secret)})
    assert response["Location"] == reverse(SETUP)
    assert not TOTPDevice.objects.filter(user=newcomer).exists()
    assert SESSION_KEY not in client.session


def test_the_activeringscode_expires_after_72_hours(client, newcomer):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        admin = MembershipFactory(
            organisation=newcomer.memberships.first().organisation, role=Role.FUNCTIONAL_ADMIN
        ).user
        code = member_enrolment_code_issue(actor=actor_for_user(user=admin), user=newcomer)
        traveller.shift(timedelta(hours=72, seconds=1))
        _password_step(client, newcomer)
        response = client.post(reverse(SETUP), {"code": code})
        assert response.status_code == 200
        assert "secret" not in response.context


def test_the_key_shown_expires_after_15_minutes(client, newcomer, enrolment_code):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        secret = _secret_shown(client, newcomer, enrolment_code)
        traveller.shift(timedelta(minutes=15, seconds=1))
        page = client.get(reverse(SETUP))
        assert page["Location"] == reverse("accounts:login")
        response = client.post(reverse(SETUP), {"token": _code_for_key(secret)})
        assert response["Location"] == reverse("accounts:login")
        assert not TOTPDevice.objects.filter(user=newcomer).exists()
        # The code still works for a new attempt, which shows a new key.
        assert _secret_shown(client, newcomer, enrolment_code) != secret


def test_the_code_is_read_however_it_is_typed(client, newcomer, enrolment_code):
    typed = enrolment_code.replace("-", " ").lower()
    assert enrolment_code_normalise(typed) == enrolment_code.replace("-", "")
    _password_step(client, newcomer)
    assert client.post(reverse(SETUP), {"code": typed})["Location"] == reverse(SETUP)


def test_only_a_hash_of_the_code_is_stored_and_making_it_is_logged(
    admin, newcomer, organisation, enrolment_code
):
    stored = EnrolmentCode.objects.get(user=newcomer)
    assert stored.code_hash == EnrolmentCode.hash_code(enrolment_code.replace("-", ""))
    assert stored.created_by == admin
    assert abs(stored.expires_at - stored.created_at - timedelta(hours=72)) < timedelta(seconds=5)
    values = " ".join(str(v) for v in EnrolmentCode.objects.values_list().get())
    assert enrolment_code.replace("-", "") not in values
    row = AccessLogEntry.objects.get(part="activeringscode")
    assert (row.user, row.organisation, row.action, row.subject_id) == (
        admin,
        organisation,
        Action.CREATE,
        str(newcomer.pk),
    )


def test_setup_needs_the_password_first(client, newcomer, enrolment_code):
    response = client.get(reverse(SETUP))
    assert response["Location"] == reverse("accounts:login")
    response = client.post(reverse(SETUP), {"code": enrolment_code})
    assert response["Location"] == reverse("accounts:login")
    assert not TOTPDevice.objects.filter(user=newcomer).exists()


def test_someone_with_a_device_cannot_set_up_another(client, make_member, organisation, admin):
    user = make_member(Role.PROFESSIONAL, organisation)
    client.post(reverse("accounts:login"), {"username": user.username, "password": TEST_PASSWORD})
    response = client.get(reverse(SETUP))
    assert response["Location"] == reverse("accounts:mfa")
    response = client.post(reverse(SETUP), {"code": "AAAA-BBBB-CCCC"})
    assert response["Location"] == reverse("accounts:mfa")
    assert TOTPDevice.objects.filter(user=user).count() == 1
    assert SESSION_KEY not in client.session


def test_after_a_reset_the_password_alone_is_not_enough(client, admin, make_member, organisation):
    """The finding: after a reset, whoever knew the password captured the secret before the
    real user enrolled. Now the secret needs the code the beheerder got from the reset."""
    user = make_member(Role.PROFESSIONAL, organisation)
    old_key = TOTPDevice.objects.get(user=user).key
    code = member_mfa_reset(actor=actor_for_user(user=admin), user=user)
    assert not TOTPDevice.objects.filter(user=user).exists()

    attacker = Client()
    assert _password_step(attacker, user)["Location"] == reverse(SETUP)
    assert "secret" not in attacker.get(reverse(SETUP)).context

    secret = _secret_shown(client, user, code)
    client.post(reverse(SETUP), {"token": _code_for_key(secret)})
    assert client.get(reverse("core:start")).status_code == 200
    assert TOTPDevice.objects.get(user=user).key != old_key


def test_a_new_person_enrols_with_the_code_from_their_creation(client, admin):
    user, code = member_create(
        actor=actor_for_user(user=admin),
        username="nieuw",
        first_name="Nieuw",
        last_name="Persoon",
        email="nieuw@example.invalid",
        role=Role.PROFESSIONAL,
    )
    user.set_password(TEST_PASSWORD)  # as through the e-mailed link
    user.save()
    secret = _secret_shown(client, user, code)
    client.post(reverse(SETUP), {"token": _code_for_key(secret)})
    assert client.get(reverse("core:start")).status_code == 200


def test_wrong_code_does_not_confirm_or_log_in(client, newcomer, enrolment_code):
    secret = _secret_shown(client, newcomer, enrolment_code)
    response = client.post(reverse(SETUP), {"token": _code_for_key(secret, 1)})
    assert response.status_code == 200
    assert "Deze code klopt niet" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=newcomer).exists()
    assert SESSION_KEY not in client.session
    assert client.get(reverse("core:start")).status_code == 302
