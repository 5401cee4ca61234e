"""What follow-up adds to pages of the apps below it: the case page, the start page."""

from __future__ import annotations

from meldwijzer.cases.extensions import CaseAction
from meldwijzer.cases.models import Case
from meldwijzer.organisations.actor import Actor


def case_actions(actor: Actor, case: Case) -> list[CaseAction]:
    """On a closed case with a follow-up plan the actor may read: a link to the plan."""
    return []
