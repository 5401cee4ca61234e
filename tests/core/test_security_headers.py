"""Security headers on every page, and cookies that scripts and plain HTTP cannot reach."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meldwijzer.organisations.roles import Role

pytestmark = pytest.mark.django_db


def _directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.mark.parametrize("name", ["core:home", "accounts:login", "accounts:password_reset"])
def test_public_pages_send_the_security_headers(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    csp = _directives(response)
    assert csp["script-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    for directive in ("script-src", "default-src"):
        assert "'unsafe-inline'" not in csp[directive]
        assert "'unsafe-eval'" not in csp[directive]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_logged_in_pages_are_not_stored(verified, make_member, organisation):
    client = verified(make_member(Role.FUNCTIONAL_ADMIN, organisation))
    for name in ("core:start", "organisations:member_list"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        cache_control = [v.strip() for v in response["Cache-Control"].split(",")]
        assert "no-store" in cache_control
        assert "private" in cache_control
        assert "public" not in cache_control
        assert "Content-Security-Policy" in response


def test_api_responses_are_not_stored(verified, make_member, organisation):
    client = verified(make_member(Role.PROFESSIONAL, organisation))
    response = client.get(reverse("api:me"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_error_pages_send_the_headers_too(verified, make_member, organisation):
    client = verified(make_member(Role.PROFESSIONAL, organisation))
    response = client.get(reverse("organisations:member_list"))
    assert response.status_code == 403
    assert _directives(response)["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert "no-store" in response["Cache-Control"]


def test_hsts_on_a_secure_request(client):
    response = client.get(reverse("core:home"), secure=True)
    hsts = response["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts
    assert "includeSubDomains" in hsts


def test_no_hsts_on_plain_http(client):
    assert "Strict-Transport-Security" not in client.get(reverse("core:home"))


def test_session_and_csrf_cookies_are_secure(client, make_member, organisation):
    user = make_member(Role.PROFESSIONAL, organisation)
    response = client.get(reverse("accounts:login"))
    csrf = response.cookies["csrftoken"]
    assert csrf["secure"] is True
    assert csrf["httponly"] is True
    assert csrf["samesite"] == "Lax"

    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": "Test-wachtwoord-123"}
    )
    session = response.cookies["meldwijzer_sessie"]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"


def test_login_form_is_protected_against_csrf(make_member, organisation):
    from django.test import Client

    user = make_member(Role.PROFESSIONAL, organisation)
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        reverse("accounts:login"), {"username": user.username, "password": "Test-wachtwoord-123"}
    )
    assert response.status_code == 403
    assert "inloggen" not in response.get("Location", "")
