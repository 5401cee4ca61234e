"""Changes to accounts: logging in and out, two-factor devices, sessions and API tokens.

Each function is one transaction and writes its access log row inside it.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import login, logout
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from meldwijzer.accounts import events
from meldwijzer.accounts.models import ApiToken, EnrolmentCode, User, UserSession
from meldwijzer.audit.context import client_ip
from meldwijzer.audit.models import NO_ORGANISATION_CHAIN, AccessLogEntry, AccessOutcome, Action
from meldwijzer.audit.services import access_log_chain_lock
from meldwijzer.core.network import normalised_address
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.selectors import actor_api_key_roles, actor_for_user

SESSION_LOGIN_AT_KEY = "meldwijzer_login_at"
SESSION_SECOND_FACTOR_AT_KEY = "meldwijzer_second_factor_at"
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
    request.session.pop(SESSION_SECOND_FACTOR_AT_KEY, None)
    events.logged_in(actor=actor_for_user(user=user), user=user)


LOGIN_FAILURES_SUMMARISED = {
    "pair": "verdere pogingen: naam en adres",
    "address": "verdere pogingen: dit adres",
    "total": "verdere pogingen: alle adressen",
}


def login_failed_record(*, username: str, user: User | None = None, part: str = "") -> None:
    """Log a failed login step. With `user` (the password was right, the code was not) every
    failure is a row: django-otp's growing delay and the return to the password step bound them.

    Without a known user anyone can fail, as often as they like, so those rows are bounded per
    cool-off period (`AXES_COOLOFF_TIME`): for one username from one address as many as the
    throttle allows (`AXES_FAILURE_LIMIT`), from one address `LOGIN_FAILURE_ROWS_PER_ADDRESS`,
    from everywhere `LOGIN_FAILURE_ROWS_TOTAL`. Reaching a bound writes one summary row saying
    that further attempts are no longer logged one by one; django-axes still counts them all.
    """
    if user is not None:
        events.login_failed(username=username, user=user, part=part)
        return
    with transaction.atomic():
        # One failure at a time, so the counts below cannot be passed by requests in parallel.
        access_log_chain_lock(chain=NO_ORGANISATION_CHAIN)
        recent = AccessLogEntry.objects.filter(
            user=None,
            action=Action.LOGIN,
            outcome=AccessOutcome.DENIED,
            occurred_at__gt=timezone.now() - settings.AXES_COOLOFF_TIME,
        )
        address = normalised_address(client_ip.get())
        bounds = [
            ("total", recent, settings.LOGIN_FAILURE_ROWS_TOTAL),
            ("address", recent.filter(ip_address=address), settings.LOGIN_FAILURE_ROWS_PER_ADDRESS),
            (
                "pair",
                recent.filter(ip_address=address, username=username[:150]),
                settings.AXES_FAILURE_LIMIT,
            ),
        ]
        for scope, rows, bound in bounds:
            logged = rows.count()
            if logged > bound:
                return
            if logged == bound:
                events.login_failed(username=username, part=LOGIN_FAILURES_SUMMARISED[scope])
                return
        events.login_failed(username=username, part=part)


def login_address_throttled() -> bool:
    """Whether the current client address failed the password step for any usernames together
    `LOGIN_ADDRESS_FAILURE_LIMIT` times in the cool-off period: then it waits like a locked
    username (the throttle per username + address alone lets one address try every username)."""
    address = normalised_address(client_ip.get())
    if address is None:
        return False
    failures = AccessAttempt.objects.filter(
        ip_address=address, attempt_time__gt=timezone.now() - settings.AXES_COOLOFF_TIME
    ).aggregate(total=Sum("failures_since_start"))["total"]
    return (failures or 0) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT


@transaction.atomic
def logout_complete(*, request: HttpRequest) -> None:
    user = request.user
    if user.is_authenticated:
        events.logged_out(actor=getattr(request, "actor", None), user=user)
        UserSession.objects.filter(session_key=request.session.session_key).delete()
    logout(request)


def sessions_end_for_user(*, user: User) -> int:
    """End every open session of `user` on the server."""
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user=user).delete()
    return len(keys)


CredentialRevoker = Callable[..., int]
"""Called as `revoker(user=, organisation_id=)`: ends the secrets an app keeps for the user (for
one organisation, or all when `organisation_id` is None) and says how many."""

_CREDENTIAL_REVOKERS: list[CredentialRevoker] = []


def credential_revoker_register(revoker: CredentialRevoker) -> None:
    """Let an app end its own secrets for a user — a private calendar address — whenever their
    API tokens are revoked (once, however often `ready()` runs)."""
    if revoker not in _CREDENTIAL_REVOKERS:
        _CREDENTIAL_REVOKERS.append(revoker)


def api_tokens_revoke_for_user(*, user: User, organisation_id: int | None = None) -> int:
    """Revoke every API token of `user` that still works (only those for `organisation_id` when
    given), and every other secret an app keeps for them (`credential_revoker_register`). Part of
    a recovery action that logs itself: a password reset, logging out everywhere, deactivation,
    the end of a membership, an authenticator reset."""
    tokens = ApiToken.objects.filter(user=user, revoked_at=None)
    if organisation_id is not None:
        tokens = tokens.filter(organisation_id=organisation_id)
    revoked = tokens.update(revoked_at=timezone.now())
    for revoker in _CREDENTIAL_REVOKERS:
        revoker(user=user, organisation_id=organisation_id)
    return revoked


@transaction.atomic
def logout_everywhere(*, request: HttpRequest, actor: Actor) -> None:
    """The person ends all their sessions, this one included, and revokes all their API keys:
    what to do when they think someone else got in."""
    events.logged_out_everywhere(actor=actor)
    api_tokens_revoke_for_user(user=actor.user)
    sessions_end_for_user(user=actor.user)
    logout(request)


@transaction.atomic
def password_reset_record(*, user: User) -> None:
    """A new password was set through the e-mailed link: whoever had the old one loses what it
    gave them, sessions (ended by the password change already) and API keys alike."""
    api_tokens_revoke_for_user(user=user)
    sessions_end_for_user(user=user)
    events.password_reset(user=user)


# --- The second factor ---------------------------------------------------------------------------


def second_factor_is_fresh(*, request: HttpRequest) -> bool:
    """Whether this session gave its code within `SECOND_FACTOR_FRESH_FOR`: at login, or again
    for an action that asks for it (making an API key, allowing a role keys)."""
    moments = [
        request.session.get(SESSION_LOGIN_AT_KEY),
        request.session.get(SESSION_SECOND_FACTOR_AT_KEY),
    ]
    latest = max((datetime.fromisoformat(m) for m in moments if m), default=None)
    return latest is not None and timezone.now() - latest <= settings.SECOND_FACTOR_FRESH_FOR


def second_factor_confirm(*, request: HttpRequest, actor: Actor, code: str) -> bool:
    """Check a code from the actor's authenticator for an action that needs a fresh second
    factor. A wrong code is logged and counts towards django-otp's growing delay."""
    device = TOTPDevice.objects.filter(user=actor.user, confirmed=True).first()
    if device is not None and device.verify_token(code):
        request.session[SESSION_SECOND_FACTOR_AT_KEY] = timezone.now().isoformat()
        return True
    events.second_factor_failed(actor=actor)
    return False


# --- Setting up the authenticator ----------------------------------------------------------------

ENROLMENT_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32
ENROLMENT_CODE_LENGTH = 12
ENROLMENT_CODE_USED = (
    "Deze activeringscode is al gebruikt of verlopen. Vraag de functioneel beheerder van uw "
    "organisatie om een nieuwe."
)
ENROLMENT_CODE_WRONG = (
    "Deze activeringscode klopt niet, is al gebruikt of is verlopen. Controleer de code of vraag "
    "de functioneel beheerder van uw organisatie om een nieuwe."
)


def enrolment_code_normalise(code: str) -> str:
    """The code as stored: without dashes and spaces, upper case, and the letters people mix up
    with digits read as those digits (Crockford's base 32)."""
    text = "".join(code.split()).replace("-", "").upper()
    return text.translate(str.maketrans("OIL", "011"))


def enrolment_code_new(*, user: User, created_by: User | None) -> str:
    """Make the one-time code with which `user` sets up an authenticator; an earlier unused code
    stops working. Returns the code, to be shown once and never stored: only its hash is kept,
    and it expires after `ENROLMENT_CODE_LIFETIME`.

    For an action that logs itself and always comes with a code (adding a person, resetting
    their authenticator); callers check who may do it and call it inside their transaction."""
    EnrolmentCode.objects.filter(user=user, used_at=None).delete()
    raw = "".join(secrets.choice(ENROLMENT_CODE_ALPHABET) for _ in range(ENROLMENT_CODE_LENGTH))
    EnrolmentCode.objects.create(
        user=user,
        code_hash=EnrolmentCode.hash_code(raw),
        created_by=created_by,
        expires_at=timezone.now() + settings.ENROLMENT_CODE_LIFETIME,
    )
    return "-".join(raw[i : i + 4] for i in range(0, ENROLMENT_CODE_LENGTH, 4))


def enrolment_code_issue(
    *, user: User, actor: Actor | None, role: str | None = None, issued_by: str = ""
) -> str:
    """A new enrolment code on its own (the earlier one expired or got lost), logged as such.
    `issued_by` names who made it when there is no actor (the command line)."""
    code = enrolment_code_new(user=user, created_by=actor.user if actor else None)
    events.enrolment_code_issued(actor=actor, user=user, issued_by=issued_by, role=role)
    return code


def enrolment_code_find(*, user: User, code: str) -> EnrolmentCode | None:
    """`user`'s unused, unexpired enrolment code that matches `code`, if there is one."""
    return EnrolmentCode.objects.filter(
        user=user,
        code_hash=EnrolmentCode.hash_code(enrolment_code_normalise(code)),
        used_at=None,
        expires_at__gt=timezone.now(),
    ).first()


@transaction.atomic
def totp_device_enrol(
    *, user: User, enrolment_code: EnrolmentCode, key: str, last_t: int
) -> TOTPDevice:
    """Confirm the authenticator `user` set up with `key` (a secret that lived only in their
    session) and use up the enrolment code that allowed it. Any earlier device goes."""
    code = (
        EnrolmentCode.objects.select_for_update()
        .filter(pk=enrolment_code.pk, user=user, used_at=None, expires_at__gt=timezone.now())
        .first()
    )
    if code is None:
        raise AccountError(ENROLMENT_CODE_USED)
    code.used_at = timezone.now()
    code.save(update_fields=["used_at"])
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(
        user=user, name="Authenticator-app", key=key, confirmed=True, last_t=last_t
    )
    events.authenticator_enrolled(actor=actor_for_user(user=user), user=user)
    return device


# --- API tokens ----------------------------------------------------------------------------------


def api_token_refusal_record(
    *, actor: Actor, action: Action, token: ApiToken | None = None
) -> None:
    """Log that the actor was refused API keys (making one, or using `token`) because their
    organisation does not allow them for their roles. Call it outside the transaction of the
    refused action, so the row stays."""
    events.api_key_refused(actor=actor, action=action, token=token)


def api_token_create(*, actor: Actor, name: str) -> tuple[ApiToken, str]:
    """Make a token for the actor on behalf of their current organisation, if it allows API keys
    for one of their roles there; otherwise the refusal is logged and `AccountError` raised.
    Returns the token and its full secret, which is shown once and never stored.

    A page that offers this asks for a fresh second factor first (`second_factor_is_fresh`,
    `second_factor_confirm`)."""
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
        expires_at=timezone.now() + settings.API_TOKEN_LIFETIME,
    )
    events.api_key_created(actor=actor, token=token)
    return token, f"mw_{prefix}_{secret}"


@transaction.atomic
def api_token_revoke(*, actor: Actor, token: ApiToken) -> None:
    """Revoke one of the actor's own tokens (read it through `accounts.selectors.api_token_get`)."""
    if token.user_id != actor.user.pk or token.revoked_at is not None:
        raise AccountError("Deze API-sleutel bestaat niet of is al ingetrokken.")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    events.api_key_revoked(actor=actor, token=token)
