"""Changes to accounts: logging in and out, two-factor devices, sessions and API tokens.

Each function is one transaction and writes its access log row inside it.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.contrib.auth import login, logout
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from meldwijzer.accounts.models import ApiToken, User, UserSession
from meldwijzer.audit.models import Action, Outcome, Purpose
from meldwijzer.audit.services import access_log_record
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.selectors import actor_api_key_roles, actor_for_user

SESSION_LOGIN_AT_KEY = "meldwijzer_login_at"
API_TOKEN_DAYS = 90
API_KEYS_NOT_ALLOWED = (
    "Uw organisatie staat voor uw rol geen API-sleutels toe. Hebt u er een nodig voor een "
    "koppeling? Vraag het de functioneel beheerder van uw organisatie."
)


class AccountError(Exception):
    """A change to an account that is not allowed; the message is shown to the user."""


# --- Logging in and out --------------------------------------------------------------------------


@transaction.atomic
def login_complete(*, request: HttpRequest, user: User, device: TOTPDevice) -> None:
    """Both factors are right: start the session and record the login."""
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    otp_login(request, device)
    request.session[SESSION_LOGIN_AT_KEY] = timezone.now().isoformat()
    access_log_record(
        actor=actor_for_user(user=user),
        user=user,
        action=Action.LOGIN,
        subject_type="sessie",
        purpose=Purpose.SECURITY,
    )


def login_failed_record(*, username: str, user: User | None = None) -> None:
    access_log_record(
        actor=None,
        user=user,
        username=username,
        action=Action.LOGIN,
        subject_type="sessie",
        purpose=Purpose.SECURITY,
        outcome=Outcome.DENIED,
    )


@transaction.atomic
def logout_complete(*, request: HttpRequest) -> None:
    user = request.user
    if user.is_authenticated:
        access_log_record(
            actor=getattr(request, "actor", None),
            user=user,
            action=Action.LOGOUT,
            subject_type="sessie",
            purpose=Purpose.SECURITY,
        )
        UserSession.objects.filter(session_key=request.session.session_key).delete()
    logout(request)


def sessions_end_for_user(*, user: User) -> int:
    """End every open session of `user` on the server."""
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user=user).delete()
    return len(keys)


# --- Two-factor devices --------------------------------------------------------------------------


def totp_device_for_enrolment(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator a person is setting up (made on first use)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator-app", confirmed=False)
    return device


def totp_device_confirm(*, device: TOTPDevice) -> None:
    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])


# --- API tokens ----------------------------------------------------------------------------------


def api_token_refusal_record(
    *, actor: Actor, action: Action, token: ApiToken | None = None
) -> None:
    """Log that the actor was refused API keys (making one, or using `token`) because their
    organisation does not allow them for their roles. Call it outside the transaction of the
    refused action, so the row stays."""
    access_log_record(
        actor=actor,
        action=action,
        subject_type="api-sleutel",
        subject_id=str(token.pk) if token else "",
        part="niet toegestaan",
        purpose=Purpose.SECURITY,
        outcome=Outcome.DENIED,
    )


def api_token_create(*, actor: Actor, name: str) -> tuple[ApiToken, str]:
    """Make a token for the actor on behalf of their current organisation, if it allows API keys
    for one of their roles there; otherwise the refusal is logged and `AccountError` raised.
    Returns the token and its full secret, which is shown once and never stored."""
    if not actor_api_key_roles(actor=actor):
        api_token_refusal_record(actor=actor, action=Action.CREATE)
        raise AccountError(API_KEYS_NOT_ALLOWED)
    return _api_token_store(actor=actor, name=name)


@transaction.atomic
def _api_token_store(*, actor: Actor, name: str) -> tuple[ApiToken, str]:
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor.user,
        organisation=actor.organisation,
        name=name,
        prefix=prefix,
        secret_hash=ApiToken.hash_secret(secret),
        expires_at=timezone.now() + timedelta(days=API_TOKEN_DAYS),
    )
    access_log_record(
        actor=actor,
        action=Action.CREATE,
        subject_type="api-sleutel",
        subject_id=str(token.pk),
        purpose=Purpose.SECURITY,
    )
    return token, f"mw_{prefix}_{secret}"


@transaction.atomic
def api_token_revoke(*, actor: Actor, token: ApiToken) -> None:
    """Revoke one of the actor's own tokens (read it through `accounts.selectors.api_token_get`)."""
    if token.user_id != actor.user.pk or token.revoked_at is not None:
        raise AccountError("Deze API-sleutel bestaat niet of is al ingetrokken.")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    access_log_record(
        actor=actor,
        action=Action.DELETE,
        subject_type="api-sleutel",
        subject_id=str(token.pk),
        purpose=Purpose.SECURITY,
    )
