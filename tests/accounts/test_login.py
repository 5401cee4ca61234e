from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from meldwijzer.accounts.models import User
from meldwijzer.accounts.services import SESSION_LOGIN_AT_KEY
from meldwijzer.audit.models import AccessLogEntry, AccessOutcome, Action, Purpose
from meldwijzer.organisations.roles import Role
from tests.conftest import current_code, force_verified_login, login_with_mfa
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_login_with_password_and_code_opens_start_page(client, make_member, organisation):
    user = make_member(Role.PROFESSIONAL, organisation)
    login_with_mfa(client, user)
    response = client.get(reverse("core:start"))
    assert response.status_code == 200
    assert "Mijn casussen" in response.content.decode()
    entry = AccessLogEntry.objects.filter(user=user, action=Action.LOGIN).get()
    assert entry.outcome == AccessOutcome.ALLOWED


def test_password_alone_does_not_log_in(client, make_member, organisation):
    user = make_member(Role.PROFESSIONAL, organisation)
    client.post(
        reverse("accounts:login"), {"username": user.username, "password": "Test-wachtwoord-123"}
    )
    response = client.get(reverse("core:start"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def _password_step(client, user, url: str | None = None, password: str = TEST_PASSWORD):
    return client.post(
        url or reverse("accounts:login"), {"username": user.username, "password": password}
    )


def _wrong_code(user) -> str:
    return f"{(int(current_code(user)) + 1) % 1_000_000:06d}"


def test_password_step_only_sends_on_to_the_code_page(client, make_member, organisation):
    user = make_member(Role.PROFESSIONAL, organisation)
    response = _password_step(client, user)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:mfa")
    session = client.session
    assert SESSION_KEY not in session
    assert not AccessLogEntry.objects.filter(
        action=Action.LOGIN, outcome=AccessOutcome.ALLOWED
    ).exists()


def test_wrong_password_is_refused_in_dutch_and_logged(client, make_member, organisation):
    user = make_member(Role.PROFESSIONAL, organisation)
    response = _password_step(client, user, password="helemaal-fout-123")
    assert response.status_code == 200
    assert "combinatie van gebruikersnaam en wachtwoord is onjuist" in response.content.decode()
    entry = AccessLogEntry.objects.get(action=Action.LOGIN)
    assert (entry.username, entry.outcome) == (user.username, AccessOutcome.DENIED)
    assert client.get(reverse("accounts:mfa"))["Location"] == reverse("accounts:login")


def test_wrong_code_is_refused_with_a_dutch_message(client, make_member, organisation):
    user = make_member(Role.PROFESSIONAL, organisation)
    _password_step(client, user)
    response = client.post(reverse("accounts:mfa"), {"token": _wrong_code(user)})
    assert response.status_code == 200
    assert "Deze code klopt niet of is verlopen" in response.content.decode()
    assert SESSION_KEY not in client.session
    assert client.get(reverse("core:start"))["Location"].startswith(reverse("accounts:login"))
    entry = AccessLogEntry.objects.get(action=Action.LOGIN)
    assert (entry.user, entry.outcome) == (user, AccessOutcome.DENIED)


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("", "Vul de code in."),
        ("12345", "De code bestaat uit zes cijfers."),
        ("1234567", "De code bestaat uit zes cijfers."),
        ("abcdef", "De code bestaat uit zes cijfers."),
    ],
)
def test_malformed_codes_are_refused_in_dutch(client, make_member, organisation, token, message):
    user = make_member(Role.PROFESSIONAL, organisation)
    _password_step(client, user)
    response = client.post(reverse("accounts:mfa"), {"token": token})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert SESSION_KEY not in client.session


def test_after_five_wrong_codes_the_password_must_be_given_again(client, make_member, organisation):
    user = make_member(Role.PROFESSIONAL, organisation)
    _password_step(client, user)
    for _ in range(4):
        response = client.post(reverse("accounts:mfa"), {"token": _wrong_code(user)})
        assert response.status_code == 200
    response = client.post(reverse("accounts:mfa"), {"token": _wrong_code(user)})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    page = client.get(response["Location"]).content.decode()
    assert "Te vaak een verkeerde code. Log opnieuw in." in page

    # Even the right code does not help now: the password step has to be done again.
    response = client.post(reverse("accounts:mfa"), {"token": current_code(user)})
    assert response["Location"] == reverse("accounts:login")
    assert SESSION_KEY not in client.session
    denied = AccessLogEntry.objects.filter(
        user=user, action=Action.LOGIN, outcome=AccessOutcome.DENIED
    )
    assert denied.count() == 5


def test_a_pending_login_expires_after_five_minutes(client, make_member, organisation):
    user = make_member(Role.PROFESSIONAL, organisation)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        _password_step(client, user)
        traveller.shift(timedelta(minutes=5, seconds=1))
        response = client.post(reverse("accounts:mfa"), {"token": current_code(user)})
    assert response["Location"] == reverse("accounts:login")
    assert SESSION_KEY not in client.session


def test_login_with_mfa_records_organisation_and_role(client, make_member, organisation):
    user = make_member(Role.MELDCODE_OFFICER, organisation)
    login_with_mfa(client, user)
    entry = AccessLogEntry.objects.get(user=user, action=Action.LOGIN)
    assert entry.organisation == organisation
    assert entry.role == Role.MELDCODE_OFFICER
    assert entry.purpose == Purpose.SECURITY
    assert entry.outcome == AccessOutcome.ALLOWED
    assert entry.ip_address == "127.0.0.1"


def test_session_key_changes_at_login(client, make_member, organisation):
    user = make_member(Role.PROFESSIONAL, organisation)
    client.get(reverse("accounts:login"))
    client.session.save()
    before = client.session.session_key
    _password_step(client, user)
    middle = client.session.session_key
    client.post(reverse("accounts:mfa"), {"token": current_code(user)})
    after = client.session.session_key
    assert len({before, middle, after}) == 3


def test_unverified_session_is_logged_out_by_the_middleware(client, make_member, organisation):
    user = make_member(Role.FUNCTIONAL_ADMIN, organisation)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[SESSION_LOGIN_AT_KEY] = timezone.now().isoformat()  # fresh, but no second factor
    session.save()
    session_key = session.session_key
    response = client.get(reverse("organisations:member_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert not Session.objects.filter(session_key=session_key).exists()
    assert SESSION_KEY not in client.session
    assert not AccessLogEntry.objects.filter(user=user, outcome=AccessOutcome.ALLOWED).exists()


def test_session_without_login_time_is_ended(client, make_member, organisation):
    user = make_member(Role.FUNCTIONAL_ADMIN, organisation)
    force_verified_login(client, user)
    session = client.session
    del session[SESSION_LOGIN_AT_KEY]
    session.save()
    response = client.get(reverse("organisations:member_list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert "Uw sessie is verlopen" in client.get(response["Location"]).content.decode()
    assert SESSION_KEY not in client.session


def test_verified_session_is_not_logged_out(client, make_member, organisation):
    user = make_member(Role.FUNCTIONAL_ADMIN, organisation)
    force_verified_login(client, user)
    assert client.get(reverse("organisations:member_list")).status_code == 200


def test_next_on_this_site_is_followed_after_login(client, make_member, organisation):
    user = make_member(Role.FUNCTIONAL_ADMIN, organisation)
    wanted = reverse("organisations:member_list")
    response = client.get(wanted)
    login_url = response["Location"]
    assert login_url == f"{reverse('accounts:login')}?next={wanted}"
    _password_step(client, user, url=login_url)
    response = client.post(reverse("accounts:mfa"), {"token": current_code(user)})
    assert response["Location"] == wanted


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/start/",
        "http://evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "https:evil.example",
        "javascript:alert(1)",
        " //evil.example",
    ],
)
@pytest.mark.parametrize("step", ["login", "mfa"])
def test_next_to_another_site_is_ignored(client, make_member, organisation, target, step):
    user = make_member(Role.PROFESSIONAL, organisation)
    query = "?" + urlencode({"next": target})
    _password_step(client, user, url=reverse("accounts:login") + (query if step == "login" else ""))
    mfa_url = reverse("accounts:mfa") + (query if step == "mfa" else "")
    response = client.post(mfa_url, {"token": current_code(user)})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:start")


def test_inactive_user_cannot_log_in(client, make_member, organisation):
    user = make_member(Role.PROFESSIONAL, organisation)
    user.is_active = False
    user.save()
    response = _password_step(client, user)
    assert response.status_code == 200
    assert client.get(reverse("accounts:mfa"))["Location"] == reverse("accounts:login")


def test_user_deactivated_between_password_and_code_is_not_logged_in(
    client, make_member, organisation
):
    user = make_member(Role.PROFESSIONAL, organisation)
    _password_step(client, user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = client.post(reverse("accounts:mfa"), {"token": current_code(user)})
    assert response["Location"] == reverse("accounts:login")
    assert SESSION_KEY not in client.session


def test_argon2_is_the_first_password_hasher_in_production_settings():
    from meldwijzer.conf import settings as production

    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    hasher = import_string(production.PASSWORD_HASHERS[0])()
    encoded = hasher.encode("Een-lang-wachtwoord-1", hasher.salt())
    assert encoded.startswith("argon2$")
    assert hasher.verify("Een-lang-wachtwoord-1", encoded)
    assert not hasher.verify("een-lang-wachtwoord-1", encoded)


def test_production_settings_require_long_passwords():
    from meldwijzer.conf import settings as production

    validators = {v["NAME"].rsplit(".", 1)[1]: v for v in production.AUTH_PASSWORD_VALIDATORS}
    assert validators["MinimumLengthValidator"]["OPTIONS"]["min_length"] >= 12
    assert {"CommonPasswordValidator", "UserAttributeSimilarityValidator"} <= set(validators)


def test_a_code_cannot_be_used_twice(make_member, organisation):
    user = make_member(Role.PROFESSIONAL, organisation)
    first, second = Client(), Client()
    with time_machine.travel(timezone.now(), tick=False):
        login_with_mfa(first, user)
        _password_step(second, user)
        response = second.post(reverse("accounts:mfa"), {"token": current_code(user)})
    assert response.status_code == 200
    assert SESSION_KEY not in second.session


def test_unknown_username_and_wrong_password_look_the_same(client, make_member, organisation):
    user = make_member(Role.PROFESSIONAL, organisation)
    wrong_password = _password_step(client, user, password="verkeerd-wachtwoord-1")
    unknown = client.post(
        reverse("accounts:login"), {"username": "bestaat-niet", "password": "verkeerd-1"}
    )
    assert wrong_password.status_code == unknown.status_code == 200
    assert wrong_password.context["form"].errors == unknown.context["form"].errors


@pytest.mark.parametrize("demo_mode", [False, True])
def test_the_code_is_never_shown_for_a_real_account(
    client, make_member, organisation, settings, demo_mode
):
    settings.DEMO_MODE = demo_mode
    user = make_member(Role.PROFESSIONAL, organisation)
    _password_step(client, user)
    response = client.get(reverse("accounts:mfa"))
    assert response.status_code == 200
    assert response.context["demo_code"] is None
    assert current_code(user) not in response.content.decode()
    assert 'data-testid="demo-code"' not in response.content.decode()
