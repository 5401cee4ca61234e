"""The client's address behind the reverse proxy, the same for login throttling and the access log.

Without `MELDWIJZER_BEHIND_PROXY`, `X-Forwarded-For` is ignored: anyone can send it. With it, only
the entries the `MELDWIJZER_TRUSTED_PROXY_COUNT` nearest proxies wrote count: the right-most of the
rest is never believed.
"""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from meldwijzer.audit.models import AccessLogEntry, AccessOutcome, Action
from meldwijzer.core.network import ClientAddressMiddleware, client_address
from meldwijzer.organisations.roles import Role
from tests.conftest import current_code
from tests.factories import TEST_PASSWORD

PROXY = "10.0.0.5"
REAL_USER = "192.0.2.10"
ATTACKER = "198.51.100.66"

behind_one_proxy = override_settings(BEHIND_PROXY=True, TRUSTED_PROXY_COUNT=1)


def _request(remote_addr: str = PROXY, forwarded: str | None = None) -> HttpRequest:
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote_addr, **extra)


# --- The function --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        (None, PROXY),
        ("", PROXY),
        (REAL_USER, REAL_USER),
        (f"{ATTACKER}, {REAL_USER}", REAL_USER),  # the client wrote the left one itself
        (f"1.2.3.4,{ATTACKER} ,  {REAL_USER}", REAL_USER),
        (f"{REAL_USER}:51234", REAL_USER),
        ("[2001:DB8::1]:443", "2001:db8::1"),
        ("2001:db8:0:0::7", "2001:db8::7"),
        (f"{REAL_USER}, unknown", PROXY),  # not an address: the proxy's own, never a guess
        ("<script>", PROXY),
    ],
)
def test_behind_one_proxy_the_address_the_proxy_saw_counts(forwarded, expected):
    with behind_one_proxy:
        assert client_address(_request(forwarded=forwarded)) == expected


@override_settings(BEHIND_PROXY=True, TRUSTED_PROXY_COUNT=2)
@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        (f"{ATTACKER}, {REAL_USER}, 10.0.0.9", REAL_USER),
        (f"{REAL_USER}, 10.0.0.9", REAL_USER),
        (REAL_USER, REAL_USER),  # fewer entries than proxies: all written by them
    ],
)
def test_behind_two_proxies_the_outer_proxys_entry_counts(forwarded, expected):
    assert client_address(_request(forwarded=forwarded)) == expected


@pytest.mark.parametrize("behind", [False, True])
def test_without_the_proxy_setting_the_header_is_never_believed(behind):
    with override_settings(BEHIND_PROXY=behind, TRUSTED_PROXY_COUNT=0 if behind else 1):
        assert client_address(_request(REAL_USER, forwarded=ATTACKER)) == REAL_USER


def test_the_middleware_gives_later_code_the_client_and_hides_the_header():
    seen: dict[str, object] = {}

    def view(request: HttpRequest) -> HttpResponse:
        seen.update(request.META)
        return HttpResponse()

    with behind_one_proxy:
        ClientAddressMiddleware(view)(_request(forwarded=f"{ATTACKER}, {REAL_USER}"))
    assert seen["REMOTE_ADDR"] == REAL_USER
    assert seen["MELDWIJZER_PROXY_ADDR"] == PROXY
    # Django REST framework's throttle would take a header it finds as the identity.
    assert "HTTP_X_FORWARDED_FOR" not in seen
    assert client_address(_request(REAL_USER)) == REAL_USER


# --- Throttling and the access log, through the real login --------------------------------------


WRONG = "verkeerd-wachtwoord"


def _attempt(address: str, username: str, password: str = WRONG):
    """A login attempt from `address`, as it arrives through the proxy."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{ATTACKER}, {address}").post(
        reverse("accounts:login"), {"username": username, "password": password}
    )


@pytest.mark.django_db
def test_behind_the_proxy_an_attacker_does_not_lock_the_real_user_out(make_member, organisation):
    user = make_member(Role.PROFESSIONAL, organisation)
    with behind_one_proxy:
        statuses = [_attempt(ATTACKER, user.username).status_code for _ in range(6)]
        assert statuses[-1] == 429
        response = _attempt(REAL_USER, user.username, TEST_PASSWORD)
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:mfa")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}


@pytest.mark.django_db
def test_behind_the_proxy_the_access_log_records_the_client(make_member, organisation):
    user = make_member(Role.PROFESSIONAL, organisation)
    browser = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{ATTACKER}, {REAL_USER}")
    with behind_one_proxy:
        _attempt(ATTACKER, "iemand")
        browser.post(
            reverse("accounts:login"), {"username": user.username, "password": TEST_PASSWORD}
        )
        browser.post(reverse("accounts:mfa"), {"token": current_code(user)})
    failed = AccessLogEntry.objects.get(outcome=AccessOutcome.DENIED)
    login = AccessLogEntry.objects.get(action=Action.LOGIN, outcome=AccessOutcome.ALLOWED)
    assert (failed.ip_address, login.ip_address) == (ATTACKER, REAL_USER)


@pytest.mark.django_db
def test_without_the_proxy_setting_a_forged_header_changes_nothing(make_member, organisation):
    user = make_member(Role.PROFESSIONAL, organisation)
    forged = Client(REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=REAL_USER)
    for _ in range(5):
        forged.post(reverse("accounts:login"), {"username": user.username, "password": "x"})
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}
    assert set(AccessLogEntry.objects.values_list("ip_address", flat=True)) == {ATTACKER}
