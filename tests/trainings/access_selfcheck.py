"""Who may open the pages and API operations of the selfcheck area: URL name → roles (own
organisation). `test_access_selfcheck.py` tries every role on its own and another organisation.

Taking the quiz is case work: the other roles are refused at the door (403, logged). The results
are the professional's own: the list shows only one's own attempts, and an attempt opens for the
person who made it and nobody else — whatever their role or organisation, anyone else gets 'not
found' (404) and a refused row about the self-check in the access log."""

from __future__ import annotations

from dataclasses import dataclass

from meldwijzer.organisations.roles import Role

CASE_ROLES = frozenset({Role.PROFESSIONAL, Role.MELDCODE_OFFICER, Role.CASE_COORDINATOR})
ALL = frozenset(Role)


@dataclass(frozen=True)
class Rule:
    roles: frozenset[Role]
    """Roles let through the door; the others get 403, logged."""
    owner_only: bool = False
    """An attempt: only the person who made it; every other role, in the own organisation or
    another, gets 404 and a refused row (`Subject.SELF_CHECK`)."""


RULES: dict[str, Rule] = {
    "trainings:selfcheck_start": Rule(CASE_ROLES),
    "trainings:selfcheck_take": Rule(CASE_ROLES),
    "trainings:selfcheck_attempts": Rule(ALL),
    "trainings:selfcheck_attempt": Rule(ALL, owner_only=True),
}
