"""Session rules: a session ends after 30 idle minutes and lives at most 12 hours, and a logged-in
session is always MFA-verified."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from meldwijzer.accounts.services import SESSION_LOGIN_AT_KEY

SESSION_ACTIVE_AT_KEY = "meldwijzer_active_at"


class SessionLifetimeMiddleware:
    """Ends sessions older than SESSION_ABSOLUTE_LIFETIME, however active they are.
    (The 30-minute idle timeout is the session's own expiry, renewed by SessionActivityMiddleware.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            started = request.session.get(SESSION_LOGIN_AT_KEY)
            too_old = (
                started is None
                or timezone.now() - datetime.fromisoformat(started)
                > settings.SESSION_ABSOLUTE_LIFETIME
            )
            if too_old:
                logout(request)
                if not request.path.startswith("/api/"):
                    messages.info(request, "Uw sessie is verlopen. Log opnieuw in.")
                    return redirect(settings.LOGIN_URL)
        return self.get_response(request)


class MfaRequiredMiddleware:
    """A session that is logged in without a verified second factor is ended at once."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not user.is_verified():  # type: ignore[attr-defined]
            logout(request)
            if not request.path.startswith("/api/"):
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)


class SessionActivityMiddleware:
    """Renews the idle timeout (the session row's expiry) at most once per
    SESSION_ACTIVITY_INTERVAL: a request after that interval records the time, which saves the
    session with a fresh expiry; requests in between write nothing. The session thus ends at
    most one interval before 30 minutes after its last request, never later."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        renewed = session.get(SESSION_ACTIVE_AT_KEY)  # loads the session, or finds none
        if session.session_key is not None:
            now = timezone.now()
            if (
                renewed is None
                or now - datetime.fromisoformat(renewed) >= settings.SESSION_ACTIVITY_INTERVAL
            ):
                session[SESSION_ACTIVE_AT_KEY] = now.isoformat()
        return self.get_response(request)
