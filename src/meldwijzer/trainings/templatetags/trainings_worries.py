"""Template helpers for the worries area's section on the meldcode overview."""

from __future__ import annotations

from django import template

from meldwijzer.organisations.actor import Actor
from meldwijzer.trainings.worries import answers_worries, worries_waiting_count

register = template.Library()


@register.simple_tag
def worries_waiting(actor: Actor | None) -> int | None:
    """How many worries wait for this actor's answer (one count, no content); None for someone
    who does not answer worries."""
    if actor is None or not answers_worries(actor=actor):
        return None
    return worries_waiting_count(actor=actor)
