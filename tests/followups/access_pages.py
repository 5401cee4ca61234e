"""Who may open which follow-up page: each URL's rule, per role and scope, tried in
`test_page_access.py`.

The scopes: `own` — a plan of the own organisation (closed and followed by its professional; an
aandachtsfunctionaris of that organisation reads and manages it); `grant` — a plan another
organisation closed, followed by a professional of the own organisation on the family's consent
(a grant on the plan); `foreign` — a plan of an organisation the actor has nothing to do with.
In the own and grant scopes the professional is the plan's own professional.

A role without case work is refused at the door (403, logged); a case worker asking for a plan
out of reach gets 'not found' (404, logged). The POST-only pages are tried without input: whoever
may use them gets the form's errors (400) or is sent on (302), and nothing changes."""

from __future__ import annotations

from dataclasses import dataclass

from meldwijzer.organisations.roles import Role

NOBODY: frozenset[Role] = frozenset()
CASE_ROLES = frozenset({Role.PROFESSIONAL, Role.MELDCODE_OFFICER, Role.CASE_COORDINATOR})
PROFESSIONAL = frozenset({Role.PROFESSIONAL})
OFFICER = frozenset({Role.MELDCODE_OFFICER})
READERS = PROFESSIONAL | OFFICER  # the plan's professional, the closing organisation's officer


@dataclass(frozen=True)
class PageAccess:
    own: frozenset[Role]
    grant: frozenset[Role] = NOBODY
    foreign: frozenset[Role] = NOBODY
    method: str = "get"
    ok: int = 200
    door: frozenset[Role] = CASE_ROLES
    """Roles let through the door (`actor_required`); the others get 403, logged."""
    denied: int = 404
    """What a role through the door gets without access (a plan out of reach: 404)."""


LIST = PageAccess(CASE_ROLES, CASE_ROLES, CASE_ROLES)
PLAN = PageAccess(READERS, PROFESSIONAL)

URL_ACCESS: dict[str, PageAccess] = {
    "followups:week": LIST,
    "followups:plans": LIST,
    "followups:alerts": LIST,
    "followups:organisation": PageAccess(OFFICER, OFFICER, OFFICER, door=OFFICER, denied=403),
    "followups:plan": PLAN,
    "followups:contact_record": PageAccess(PROFESSIONAL, PROFESSIONAL),
    "followups:plan_change": PLAN,
    "followups:planned_move": PLAN,
    "followups:plan_end": PLAN,
    "followups:signal_seen": PageAccess(READERS, PROFESSIONAL, method="post", ok=302),
    # The alert goes to who closed the case (no casusregisseur); an empty note is refused.
    "followups:alert_acknowledge": PageAccess(PROFESSIONAL, method="post", ok=400),
}

ELSEWHERE: dict[str, str] = {
    "followups:calendar": "tests/followups/test_calendar.py (case work only, 403 logged)",
    "followups:calendar_feed": "tests/followups/test_calendar.py (no login: the secret address)",
    "followups:figures": "tests/followups/test_figures_access.py (policy roles only)",
}
"""Pages whose access is tested beside their own feature, with where."""
