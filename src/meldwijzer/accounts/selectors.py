"""Reads of accounts data, with the access rules applied."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from meldwijzer.accounts import events
from meldwijzer.accounts.models import ApiToken, EnrolmentCode, User, UserSession
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.selectors import actor_api_key_roles, actor_for_user


@dataclass(frozen=True)
class TokenRow:
    token: ApiToken
    state: str
    """In words: active, revoked, expired (by age or unused too long), or not allowed (any more)
    by its organisation."""


def api_token_get(*, actor: Actor, token_id: int) -> ApiToken:
    """One of the actor's own API tokens; anyone else's is 'not found' (and logged as denied)."""
    token = ApiToken.objects.filter(pk=token_id, user=actor.user).first()
    if token is None:
        events.api_key_refused_not_found(actor=actor, token_id=token_id)
    return token


def api_token_list(*, actor: Actor) -> list[TokenRow]:
    """The actor's own API tokens, for every organisation they work for, with whether each one
    works now. A token works only while its organisation allows API keys for the holder's role
    there (checked again on every API request in `api.authentication`)."""
    now = timezone.now()
    rows = []
    for token in ApiToken.objects.filter(user=actor.user).select_related("organisation"):
        if token.revoked_at is not None:
            state = "Ingetrokken"
        elif token.expires_at <= now:
            state = "Verlopen"
        elif token.is_idle(now):
            state = "Verlopen: te lang niet gebruikt"
        else:
            holder = actor_for_user(user=actor.user, organisation_id=token.organisation_id)
            if holder is None or holder.organisation.pk != token.organisation_id:
                state = "Werkt niet: u werkt niet meer voor deze organisatie"
            elif not actor_api_key_roles(actor=holder):
                state = "Werkt niet: niet toegestaan door de organisatie"
            else:
                state = "Actief"
        rows.append(TokenRow(token, state))
    return rows


@dataclass(frozen=True)
class EnrolmentState:
    """Whether a person has an authenticator, and else until when their enrolment code works."""

    enrolled: bool
    code_expires_at: datetime | None


def enrolment_state(*, user: User) -> EnrolmentState:
    """For the beheerder's page about `user` (read through `organisations.selectors.member_get`,
    which applies the access rules)."""
    code = (
        EnrolmentCode.objects.filter(user=user, used_at=None, expires_at__gt=timezone.now())
        .order_by("-expires_at")
        .first()
    )
    return EnrolmentState(
        enrolled=TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        code_expires_at=code.expires_at if code else None,
    )


def session_count(*, actor: Actor) -> int:
    """How many sessions the actor has open (this one included)."""
    return UserSession.objects.filter(user=actor.user).count()
