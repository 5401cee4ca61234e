"""What apps above the dossier offer on the case page, without the dossier importing them.

`cases` sits below the apps that work on a case (instruments, the sociale kaart). Such an app
registers a function in its `AppConfig.ready()` that says, for one actor and case, what can be done
there (`case_actions_register`); the case page asks every registered function
(`case_actions`). The dossier never names the app, and an app that is not installed adds nothing.
What such an app records in the dossier comes back as entries (`EntryKind`), never as its own
models.

In the same way an app may want to know that someone was recorded in a case — coordination looks
for the same person registered by another organisation (match signals). It registers a listener
(`person_recorded_register`); the services call `person_recorded` after saving a person. A
listener runs only once the save is committed, so it can neither slow the save down nor undo it,
and a listener that fails is logged, never shown to the professional.

Closing after afweging 5 = ja needs agreements on how the family's safety is followed
(`FollowupAgreement`: who, how, until when). The dossier checks that they are there; the app that
keeps follow-up plans registers a starter (`followup_starter_register`) that checks the rest and
creates the plan inside the same transaction, so a refused plan leaves the case open. A
coordination file closes the same way (`FollowupSource` says which file a plan follows).

An app may also show a section of its own on the case page (the copies given to the client and
the client's own statements): it registers a function (`case_sections_register`) that gives, for
one actor and case, a title and the section's HTML, rendered by the app itself (`case_sections`).

A step-2 consultation can name a registered aandachtsfunctionaris: the app that keeps the registry
offers them per actor (`consultants_register`), and the consultation form lets the professional
pick one of those (`consultants`); any other id is refused as a field error.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import partial

from django.db import transaction

from meldwijzer.cases.models import Case, Person
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


@dataclass(frozen=True)
class CaseSection:
    """A section on the case page that another app renders: its heading, an anchor for the
    page's links, and its content as safe HTML."""

    title: str
    anchor: str
    html: str


CaseSections = Callable[[Actor, Case], list[CaseSection]]

_SECTIONS: list[CaseSections] = []


def case_sections_register(provider: CaseSections) -> None:
    """Add a section an app shows on the case page (once, however often `ready()` runs)."""
    if provider not in _SECTIONS:
        _SECTIONS.append(provider)


def case_sections(*, actor: Actor, case: Case) -> list[CaseSection]:
    """The sections the registered apps show this actor on this case. Call only after
    `selectors.case_get` allowed the case."""
    return [section for provider in _SECTIONS for section in provider(actor, case)]


PersonListener = Callable[[Person], None]

_PERSON_LISTENERS: list[PersonListener] = []
_quiet: ContextVar[bool] = ContextVar("person_recorded_quiet", default=False)

logger = logging.getLogger(__name__)


def person_recorded_register(listener: PersonListener) -> None:
    """Be told of every person recorded in a case (once, however often `ready()` runs)."""
    if listener not in _PERSON_LISTENERS:
        _PERSON_LISTENERS.append(listener)


def person_recorded(*, person: Person) -> None:
    """Hand a newly saved person to every listener once the surrounding transaction commits
    (at once, outside one). Called by the services that save a person."""
    if _quiet.get():
        return
    for listener in _PERSON_LISTENERS:
        transaction.on_commit(partial(_listener_run, listener, person))


def _listener_run(listener: PersonListener, person: Person) -> None:
    try:
        listener(person)
    except Exception:
        # The person is saved; what a listener does with it must never fail the request.
        logger.exception("Listener %s failed for person %s", listener.__qualname__, person.pk)


def person_recorded_is_quiet() -> bool:
    """Whether listeners are silenced now (`person_recorded_quiet`)."""
    return _quiet.get()


@contextmanager
def person_recorded_quiet() -> Iterator[None]:
    """No listeners while loading many people at once (the demo); whoever loads them calls what
    they need explicitly."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


@dataclass(frozen=True)
class FollowupAgreement:
    """What is agreed when a case or coordination file closes with follow-up: who follows the
    family's safety (a named professional acting for an organisation), how, until when, on which
    schedule (empty: the default), and the ground for sharing when that professional works for
    another organisation (a recorded one, or the family's consent given now)."""

    follower_id: int | None
    organisation_id: int | None
    how: str
    until: datetime.date | None
    schedule: str = ""
    ground_id: int | None = None
    consent_given_by: str = ""
    """Instead of a ground already on record: who in the family gave consent just now (name and
    role); the consent is then recorded for this plan, until its end."""


@dataclass(frozen=True)
class FollowupSource:
    """The file a follow-up plan follows: a meldcode dossier (`casus`) or a coordination file
    (`regiedossier`), named by its id and client pseudonym."""

    kind: str
    id: int
    client_pseudonym: str


FollowupStarter = Callable[..., object]
"""Called as `starter(actor=, source=, agreement=)`: checks the agreement and creates the plan;
raises `cases.services.CaseInputError` (field errors) when it cannot, which rolls the closing
back."""

_FOLLOWUP_STARTERS: list[FollowupStarter] = []


def followup_starter_register(starter: FollowupStarter) -> None:
    """Let an app create the follow-up plan when a case or file closes with agreements (once)."""
    if starter not in _FOLLOWUP_STARTERS:
        _FOLLOWUP_STARTERS.append(starter)


def followup_start(
    *, actor: Actor, source: FollowupSource, agreement: FollowupAgreement
) -> list[object]:
    """Hand the agreement to every registered starter, inside the caller's transaction. Without
    one, closing with follow-up cannot be recorded (nothing would keep the agreement)."""
    if not _FOLLOWUP_STARTERS:
        raise LookupError("Geen app voor vervolgplannen geïnstalleerd.")
    return [
        starter(actor=actor, source=source, agreement=agreement) for starter in _FOLLOWUP_STARTERS
    ]


@dataclass(frozen=True)
class StepKnowledge:
    """Knowledge for the case's current step and beroepsgroep, shown on the case page: a title,
    the text as safe HTML, its 'stand' date and the page with everything about the step."""

    title: str
    html: str
    as_of: datetime.date
    url: str


StepKnowledgeProvider = Callable[[Actor, Case], StepKnowledge | None]

_STEP_KNOWLEDGE: list[StepKnowledgeProvider] = []


def step_knowledge_register(provider: StepKnowledgeProvider) -> None:
    """Let an app show knowledge for the current step on the case page (once)."""
    if provider not in _STEP_KNOWLEDGE:
        _STEP_KNOWLEDGE.append(provider)


def step_knowledge(*, actor: Actor, case: Case) -> StepKnowledge | None:
    """The first registered app's knowledge for this case's step, or None. Call only after
    `selectors.case_get` allowed the case."""
    for provider in _STEP_KNOWLEDGE:
        found = provider(actor, case)
        if found is not None:
            return found
    return None


@dataclass(frozen=True)
class SignalGuide:
    """A short guide on signals at a target group, for a kind of signal (`entries.CATEGORIES`)."""

    category: str
    label: str
    url: str


SignalGuideProvider = Callable[[], list[SignalGuide]]

_SIGNAL_GUIDES: list[SignalGuideProvider] = []


def signal_guides_register(provider: SignalGuideProvider) -> None:
    """Let an app link kinds of signal to its guides on signals at a target group (once)."""
    if provider not in _SIGNAL_GUIDES:
        _SIGNAL_GUIDES.append(provider)


def signal_guides() -> list[SignalGuide]:
    """Every registered guide, per kind of signal."""
    return [guide for provider in _SIGNAL_GUIDES for guide in provider()]


ConsultantOptions = Callable[[Actor], list[tuple[int, str]]]
"""Called as `provider(actor)`: the registered aandachtsfunctionarissen the actor may consult in
step 2, as (user id, 'Naam — Organisatie')."""

_CONSULTANTS: list[ConsultantOptions] = []


def consultants_register(provider: ConsultantOptions) -> None:
    """Let an app offer registered aandachtsfunctionarissen for a consultation (once)."""
    if provider not in _CONSULTANTS:
        _CONSULTANTS.append(provider)


def consultants(*, actor: Actor) -> list[tuple[int, str]]:
    """Whom the actor may pick as the aandachtsfunctionaris consulted: every registered
    provider's options, each person once."""
    seen: dict[int, str] = {}
    for provider in _CONSULTANTS:
        for user_id, label in provider(actor):
            seen.setdefault(user_id, label)
    return list(seen.items())
