"""The registry's line on the meldcode overview: the actor's own training status."""

from __future__ import annotations

from typing import Any

from django import template

from meldwijzer.organisations.roles import Permission
from meldwijzer.trainings import registry

register = template.Library()


@register.simple_tag(takes_context=True)
def registry_own_status(context: Any) -> dict[str, Any]:
    """The actor's own status and whether they keep the organisation's registry."""
    actor = getattr(context.get("request"), "actor", None)
    if actor is None:
        return {}
    own = registry.own_status(actor=actor)
    return {"own": own, "manages": actor.can(Permission.TRAININGS_MANAGE)}
