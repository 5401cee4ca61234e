"""What each area of coordination adds to the file's pages, to 'Mijn regiedossiers' and to a
meldcode case page. The areas register themselves (`apps.py`); this module asks each of them, so
the shared pages do not need to know the areas and the areas do not import each other.

An area is a module with four functions:

- `sections(actor, access)` — the blocks it adds to the file's overview page;
- `worklist(actor)` — the blocks it adds to 'Mijn regiedossiers' (what needs attention);
- `file_nav(access)` — its entries in the file's menu;
- `case_actions(actor, case)` — what it offers on a meldcode case page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from django.urls import reverse

from meldwijzer.cases.extensions import CaseAction
from meldwijzer.cases.models import Case
from meldwijzer.coordination.models import MemberState
from meldwijzer.coordination.rules import FileAccess
from meldwijzer.organisations.actor import Actor


@dataclass(frozen=True)
class Section:
    """A block of a page: a template and its context."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class NavItem:
    """An entry in a file's menu: a URL name that takes `file_id`, and the URL names that mark
    the entry current."""

    label: str
    url_name: str
    current: frozenset[str] = frozenset()

    def url(self, file_id: int) -> str:
        return reverse(self.url_name, kwargs={"file_id": file_id})


_AREAS: list[ModuleType] = []


def area_register(area: ModuleType) -> None:
    if area not in _AREAS:
        _AREAS.append(area)


def sections(actor: Actor, access: FileAccess) -> list[Section]:
    """The overview's sections, in area order, that `access` allows."""
    return [section for area in _AREAS for section in area.sections(actor, access)]


def worklist(actor: Actor) -> list[Section]:
    """What needs the actor's attention across their files (invitations, hand-overs, overdue
    agreements and reviews, unsafe contacts, match signals)."""
    return [section for area in _AREAS for section in area.worklist(actor)]


def file_nav(access: FileAccess) -> list[tuple[NavItem, str]]:
    """The file's menu after 'Overzicht', each entry with its URL."""
    return [(item, item.url(access.file.pk)) for area in _AREAS for item in area.file_nav(access)]


def case_actions(actor: Actor, case: Case) -> list[CaseAction]:
    """What coordination offers on a meldcode case page (registered in `apps.py`)."""
    return [action for area in _AREAS for action in area.case_actions(actor, case)]


def file_context(access: FileAccess, **extra: Any) -> dict[str, Any]:
    """What `file_base.html` needs on every page of a file: the file, the actor's access, the
    casusregisseur with their team entry (phone, role) and the file's menu."""
    file = access.file
    coordinator_member = (
        file.team.filter(user_id=file.coordinator_id, state=MemberState.ACTIVE)
        .select_related("organisation")
        .first()
    )
    return {
        "file": file,
        "access": access,
        "coordinator_member": coordinator_member,
        "file_nav": file_nav(access),
        **extra,
    }
