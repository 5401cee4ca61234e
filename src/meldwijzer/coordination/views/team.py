"""The team: invitations with what to expect of each professional, leaving, the family and network, the next contact, agreements, and the "wie doet wat" overview for the family."""

from __future__ import annotations

from meldwijzer.cases.extensions import CaseAction
from meldwijzer.cases.models import Case
from meldwijzer.coordination.overview import NavItem, Section
from meldwijzer.coordination.rules import FileAccess
from meldwijzer.organisations.actor import Actor


def sections(actor: Actor, access: FileAccess) -> list[Section]:
    return []


def worklist(actor: Actor) -> list[Section]:
    return []


def file_nav(access: FileAccess) -> list[NavItem]:
    return []


def case_actions(actor: Actor, case: Case) -> list[CaseAction]:
    return []
