"""Who may do what with a case, and what a step needs before the case can move on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from meldwijzer.cases.workflow import OPEN_PHASES, Phase
from meldwijzer.organisations.roles import Permission

if TYPE_CHECKING:
    from meldwijzer.cases.models import Case
    from meldwijzer.organisations.actor import Actor


def can_read(actor: Actor, case: Case) -> bool:
    """The one rule for reading and changing a case (page, report, API): the responsible
    professional of the same organisation always, and the organisation's aandachtsfunctionaris
    while the case is open. The aandachtsfunctionaris is there to advise and think along while a
    colleague works through the meldcode; a closed case stays with the professional who held it,
    and is opened to the aandachtsfunctionaris again only when it is re-opened."""
    if case.organisation_id != actor.organisation.pk:
        return False
    if actor.can(Permission.CASE_WORK) and case.responsible_id == actor.user.pk:
        return True
    return actor.can(Permission.CASE_OVERSEE) and case.phase in OPEN_PHASES


can_write = can_read


def can_see_access_history(actor: Actor, case: Case) -> bool:
    """Who looked at this client's data is shown to the responsible professional of the case
    only: they answer to the client for the dossier. The aandachtsfunctionaris advises on the
    case but does not supervise its access; supervising the log is the functioneel beheerder's
    (the organisation's whole log) and platformbeheer's."""
    return (
        case.organisation_id == actor.organisation.pk
        and actor.can(Permission.CASE_WORK)
        and case.responsible_id == actor.user.pk
    )


@dataclass(frozen=True)
class Requirement:
    text: str
    met: Callable[[Case, set[str], dict[str, str]], bool]


def _has(*kinds: str) -> Callable[[Case, set[str], dict[str, str]], bool]:
    return lambda case, present, answers: bool(present & set(kinds))


def _child_check(case: Case, present: set[str], answers: dict[str, str]) -> bool:
    # `answers` carries the kindcheck's answer under "child_check" (see `selectors._missing`):
    # "weet ik (nog) niet" is an open task, not a finished check.
    return not case.needs_child_check or answers.get("child_check") in ("ja", "nee")


# What must be in the dossier before a case may leave a step (moving forward).
REQUIREMENTS: dict[str, list[Requirement]] = {
    Phase.SIGNALS: [
        Requirement("Minstens één signaal vastgelegd", _has("signal")),
        Requirement(
            "Kindcheck afgerond: zijn er minderjarige kinderen of is de cliënt zwanger "
            "(de cliënt is volwassen; ‘weet ik nog niet’ is nog niet afgerond)",
            _child_check,
        ),
    ],
    Phase.CONSULTATION: [
        Requirement("Een collegiale consultatie vastgelegd", _has("consultation")),
    ],
    Phase.CONVERSATION: [
        Requirement(
            "Het gesprek vastgelegd, of met een wettelijke reden overgeslagen",
            _has("conversation", "conversation_skipped"),
        ),
    ],
    Phase.WEIGHING: [
        Requirement("Afweging 1 beantwoord", lambda c, p, a: "afweging_1" in a),
        Requirement(
            "Afweging 2 beantwoord (als er een vermoeden is)",
            lambda c, p, a: a.get("afweging_1") == "nee" or "afweging_2" in a,
        ),
    ],
}
