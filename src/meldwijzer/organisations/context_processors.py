from __future__ import annotations

from functools import partial

from django.http import HttpRequest

from meldwijzer.organisations.roles import Permission
from meldwijzer.organisations.selectors import actor_api_key_roles


def actor(request: HttpRequest) -> dict[str, object]:
    current = getattr(request, "actor", None)
    return {
        "actor": current,
        "perms_granted": {p.name: current.can(p) for p in Permission} if current else {},
        # Called by the template only where it is used (one query).
        "may_hold_api_keys": partial(actor_api_key_roles, actor=current) if current else None,
    }
