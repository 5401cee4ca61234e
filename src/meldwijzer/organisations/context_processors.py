from __future__ import annotations

from django.http import HttpRequest

from meldwijzer.organisations.roles import Permission


def actor(request: HttpRequest) -> dict[str, object]:
    current = getattr(request, "actor", None)
    return {
        "actor": current,
        "perms_granted": {p.name: current.can(p) for p in Permission} if current else {},
        # Read with the actor (`selectors.actor_for_user`): no query of its own.
        "may_hold_api_keys": bool(current.api_key_roles) if current else False,
    }
