"""Who may open the pages of the knowledge area: URL name → roles. `test_access_knowledge.py`
tries every role on each page.

The texts belong to no organisation: every logged-in professional reads the same knowledge, in
every role, and only a redacteur (`Role.CONTENT_EDITOR`, `KNOWLEDGE_EDIT`) edits and reads the
history. A role that may not open a page gets 403 (logged); what is 'another organisation's
object' elsewhere is here a text that does not exist: 404, logged."""

from __future__ import annotations

from meldwijzer.organisations.roles import Role

READERS = frozenset(Role)
EDITORS = frozenset({Role.CONTENT_EDITOR})

RULES: dict[str, frozenset[Role]] = {
    "trainings:knowledge": READERS,
    "trainings:knowledge_step": READERS,
    "trainings:knowledge_target_groups": READERS,
    "trainings:knowledge_target_group": READERS,
    "trainings:knowledge_editor": EDITORS,
    "trainings:knowledge_edit": EDITORS,
    "trainings:knowledge_history": EDITORS,
}

ARGS: dict[str, list[object]] = {
    "trainings:knowledge_step": [3, "onderwijs"],
    "trainings:knowledge_target_group": ["ouderen"],
    "trainings:knowledge_edit": ["stap-3", "onderwijs"],
    "trainings:knowledge_history": ["doelgroep", "ouderen"],
}
"""An existing text for each page that names one."""

MISSING: dict[str, list[object]] = {
    "trainings:knowledge_step": [7, "onderwijs"],
    "trainings:knowledge_target_group": ["bakkers"],
    "trainings:knowledge_edit": ["stap-3", "bakkers"],
    "trainings:knowledge_history": ["doelgroep", "bakkers"],
}
"""A text that does not exist, for each page that names one."""
