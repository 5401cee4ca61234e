"""Reads of accounts data, with the access rules applied."""

from __future__ import annotations

from meldwijzer.accounts.models import ApiToken
from meldwijzer.audit.models import Action, Purpose
from meldwijzer.audit.services import access_denied
from meldwijzer.organisations.actor import Actor


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
