"""Who may open the pages and API operations of the worries area: URL name → rule, tried per
role in `test_access_worries.py` on two worries — a colleague's worry of the own organisation
addressed to its aandachtsfunctionaris, and a worry of another organisation.

A role without case work is refused at the door (403, logged). A case worker asking for a worry
out of reach gets 'not found' (404, logged). The POST operations are tried without input: whoever
may use them gets the form's or the service's refusal (400) or is sent on (302), and nothing
changes. The asker's own paths (reply, close, case) are tested in `test_worries_pages.py` and
`test_worries_api.py`."""

from __future__ import annotations

from dataclasses import dataclass

from meldwijzer.organisations.roles import Role

CASE_ROLES = frozenset({Role.PROFESSIONAL, Role.MELDCODE_OFFICER, Role.CASE_COORDINATOR})
OFFICER = frozenset({Role.MELDCODE_OFFICER})
NOBODY: frozenset[Role] = frozenset()


@dataclass(frozen=True)
class Rule:
    colleague: frozenset[Role]
    """Roles that reach a colleague's worry of the own organisation (or the page itself)."""
    foreign: frozenset[Role] = NOBODY
    """Roles that reach a worry of another organisation (or the page itself)."""
    method: str = "get"
    ok: int = 200
    door: frozenset[Role] = CASE_ROLES
    """Roles let through the door; the others get 403, logged."""
    has_object: bool = True


PAGE = Rule(CASE_ROLES, CASE_ROLES, has_object=False)

RULES: dict[str, Rule] = {
    "trainings:worries": PAGE,
    "trainings:worry_create": PAGE,
    "trainings:worry_inbox": PAGE,
    "trainings:worry": Rule(OFFICER),
    "trainings:worry_message": Rule(OFFICER, method="post", ok=400),
    # The officer reaches the worry but only the asker closes it: sent back with the reason.
    "trainings:worry_close": Rule(OFFICER, method="post", ok=302),
    # The officer reaches the worry but only the asker makes a case of it: sent back.
    "trainings:worry_case": Rule(OFFICER, ok=302),
    "api:trainings-worry-list": PAGE,
    "api:trainings-worry-inbox": PAGE,
    "api:trainings-worry-detail": Rule(OFFICER),
    "api:trainings-worry-messages": Rule(OFFICER, method="post", ok=400),
    "api:trainings-worry-close": Rule(OFFICER, method="post", ok=400),
    "api:trainings-worry-case": Rule(OFFICER, method="post", ok=400),
}
