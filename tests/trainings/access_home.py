"""Who may open the meldcode overview: every role (it shows each role what it may do)."""

from __future__ import annotations

from meldwijzer.organisations.roles import Role

RULES: dict[str, frozenset[Role]] = {"trainings:home": frozenset(Role)}
