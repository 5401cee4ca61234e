"""What apps above the dossier offer on the case page, without the dossier importing them.

`cases` sits below the apps that work on a case (instruments, the sociale kaart). Such an app
registers a function in its `AppConfig.ready()` that says, for one actor and case, what can be done
there (`case_actions_register`); the case page asks every registered function
(`case_actions`). The dossier never names the app, and an app that is not installed adds nothing.
What such an app records in the dossier comes back as entries (`EntryKind`), never as its own
models.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from meldwijzer.cases.models import Case
from meldwijzer.organisations.actor import Actor


@dataclass(frozen=True)
class CaseAction:
    """A button on the case page: what it does and where it goes."""

    label: str
    url: str


CaseActions = Callable[[Actor, Case], list[CaseAction]]

_ACTIONS: list[CaseActions] = []


def case_actions_register(provider: CaseActions) -> None:
    """Add what an app offers on the case page (once, however often `ready()` runs)."""
    if provider not in _ACTIONS:
        _ACTIONS.append(provider)


def case_actions(*, actor: Actor, case: Case) -> list[CaseAction]:
    """What the registered apps offer this actor on this case, in the order they registered.
    Call only after `selectors.case_get` allowed the case."""
    return [action for provider in _ACTIONS for action in provider(actor, case)]
