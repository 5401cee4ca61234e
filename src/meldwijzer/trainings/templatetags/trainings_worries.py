"""Template helpers for the worries area's section on the meldcode overview."""

from __future__ import annotations

from django import template

from meldwijzer.organisations.actor import Actor
from meldwijzer.trainings.worries import worries_waiting_count

register = template.Library()


@register.simple_tag
def worries_waiting(actor: Actor | None) -> int:
    """How many worries wait for this actor's answer (one count, no content)."""
    return worries_waiting_count(actor=actor) if actor is not None else 0
