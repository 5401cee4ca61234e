"""What each area of coordination adds to the file's overview page, to 'Mijn regiedossiers' and
to a meldcode case page. Each area module provides its own function; this module only lists them,
so the pages do not need to know the areas.

A section is a template and its context; `sections` returns those the actor may see.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from meldwijzer.cases.extensions import CaseAction
from meldwijzer.cases.models import Case
from meldwijzer.coordination.rules import FileAccess
from meldwijzer.organisations.actor import Actor


@dataclass(frozen=True)
class Section:
    template: str
    context: dict[str, Any]


def sections(actor: Actor, access: FileAccess) -> list[Section]:
    """The overview's sections, in order, that `access` allows."""
    found: list[Section] = []
    return found


def worklist_context(actor: Actor) -> dict[str, Any]:
    """What needs the actor's attention across their files (overdue agreements and reviews,
    unsafe contacts, invitations, hand-overs, match signals), for 'Mijn regiedossiers' and the
    start page."""
    return {}


def case_actions(actor: Actor, case: Case) -> list[CaseAction]:
    return []
