"""The safety plan as revisions, its printout for the family, and contact notes that always answer the safety question."""

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
