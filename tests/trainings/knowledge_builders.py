"""Helpers for the knowledge tests: people in roles, a redacteur's actor, a valid text directory."""

from __future__ import annotations

import datetime
from pathlib import Path

from meldwijzer.accounts.models import User
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.models import Organisation
from meldwijzer.organisations.roles import Role
from meldwijzer.trainings import knowledge
from tests.coordination.builders import actor_of
from tests.factories import MembershipFactory


def member(role: Role, organisation: Organisation | None = None) -> User:
    if organisation is None:
        return MembershipFactory(role=role).user
    return MembershipFactory(role=role, organisation=organisation).user


def editor() -> Actor:
    return actor_of(member(Role.CONTENT_EDITOR))


def text_file(directory: Path, key: str, head: str | None = None, body: str = "Tekst.") -> Path:
    """Write one knowledge file; `head` replaces the valid front matter."""
    path = directory / f"{key}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    if head is None:
        head = 'titel: "Een titel"\nstand: 2026-11-01\nbron: "Een bron"'
    path.write_text(f"---\n{head}\n---\n{body}\n", encoding="utf-8")
    return path


def valid_directory(directory: Path) -> Path:
    """The smallest valid set: the general text of each step."""
    for number in knowledge.STEP_NUMBERS:
        text_file(directory, knowledge.step_key(number))
    return directory


def edit_data(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Stap 2 in het onderwijs",
        "body": "## Nieuw\n\nOverleg met de intern begeleider.",
        "as_of": datetime.date(2026, 12, 1).isoformat(),
        "source": "Redactie Meldwijzer",
        "note": "Intern begeleider toegevoegd.",
    }
    data.update(changes)
    return data
