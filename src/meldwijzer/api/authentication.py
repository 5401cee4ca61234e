"""API authentication: personal tokens bound to one organisation, or an MFA-verified session.

A token acts only in the roles its organisation allows API keys for, checked on every request:
when the functioneel beheerder switches a role off, its keys stop working at once. It works at
most `API_TOKEN_LIFETIME` after it was made, and not after `API_TOKEN_IDLE_TIMEOUT` unused; the
recovery actions (new password, logging out everywhere, deactivation, authenticator reset)
revoke it.
"""

from __future__ import annotations

import dataclasses
import hmac
from datetime import timedelta

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from meldwijzer.accounts.models import ApiToken, User
from meldwijzer.accounts.services import api_token_refusal_record
from meldwijzer.audit.models import Action
from meldwijzer.organisations.selectors import actor_api_key_roles, actor_for_user


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        header = authentication.get_authorization_header(request).decode(errors="replace")
        if not header:
            return None
        keyword, _, value = header.partition(" ")
        if keyword != self.keyword:
            return None
        parts = value.strip().split("_", 2)
        if len(parts) != 3 or parts[0] != "mw":
            raise exceptions.AuthenticationFailed("Ongeldige API-sleutel.")
        token = (
            ApiToken.objects.select_related("user", "organisation")
            .filter(prefix=parts[1], revoked_at=None, expires_at__gt=timezone.now())
            .first()
        )
        if token is None or not hmac.compare_digest(
            token.secret_hash, ApiToken.hash_secret(parts[2])
        ):
            raise exceptions.AuthenticationFailed("Ongeldige, verlopen of ingetrokken API-sleutel.")
        if token.is_idle(timezone.now()):
            raise exceptions.AuthenticationFailed(
                "Deze API-sleutel is te lang niet gebruikt en werkt niet meer. Maak een nieuwe."
            )
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("Dit account is uitgeschakeld.")
        actor = actor_for_user(user=token.user, organisation_id=token.organisation_id)
        if actor is None or actor.organisation.pk != token.organisation_id:
            raise exceptions.AuthenticationFailed(
                "U werkt niet meer voor de organisatie van deze API-sleutel."
            )
        roles = actor_api_key_roles(actor=actor)
        if not roles:
            api_token_refusal_record(actor=actor, action=Action.LOGIN, token=token)
            raise exceptions.AuthenticationFailed(
                "Uw organisatie staat voor uw rol geen API-sleutels (meer) toe."
            )
        # Only the roles that may use API keys: a beheerder who is also a professional
        # does not reach case data through a key that the organisation allows beheerders.
        actor = dataclasses.replace(actor, roles=roles)
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        request._request.actor = actor  # type: ignore[attr-defined]
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class VerifiedSessionAuthentication(authentication.SessionAuthentication):
    """The browser session, only when it passed two-factor login (the actor is set by middleware)."""

    def authenticate(self, request: Request) -> tuple[User, None] | None:
        result = super().authenticate(request)
        if result is None or not result[0].is_verified():
            return None
        return result


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "meldwijzer.api.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema: object) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "bearerFormat": "mw_<prefix>_<geheim>"}


class VerifiedSessionScheme(OpenApiAuthenticationExtension):
    target_class = "meldwijzer.api.authentication.VerifiedSessionAuthentication"
    name = "sessie"

    def get_security_definition(self, auto_schema: object) -> dict[str, str]:
        return {"type": "apiKey", "in": "cookie", "name": "meldwijzer_sessie"}
