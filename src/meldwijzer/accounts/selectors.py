"""Reads of accounts data, with the access rules applied."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from meldwijzer.accounts.models import ApiToken
from meldwijzer.audit.models import Action, Purpose
from meldwijzer.audit.services import access_denied
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.selectors import actor_api_key_roles, actor_for_user


@dataclass(frozen=True)
class TokenRow:
    token: ApiToken
    state: str
    """In words: active, revoked, expired, or not allowed (any more) by its organisation."""


def api_token_get(*, actor: Actor, token_id: int) -> ApiToken:
    """One of the actor's own API tokens; anyone else's is 'not found' (and logged as denied)."""
    token = ApiToken.objects.filter(pk=token_id, user=actor.user).first()
    if token is None:
        access_denied(
            actor=actor,
            action=Action.READ,
            subject_type="api-sleutel",
            subject_id=str(token_id),
            purpose=Purpose.SECURITY,
            not_found=True,
        )
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
