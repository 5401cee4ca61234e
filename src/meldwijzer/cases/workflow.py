"""The meldcode as a table: the phases a case can be in, the moves allowed between them, and what
each phase offers.

A case goes through steps 1–5 in order; each forward move needs what the law asks for the step it
leaves (see `cases.rules.REQUIREMENTS`). Any earlier step can be revisited — new signals after
step 3 are normal — but every move is recorded with a reason. The decision in step 5 leads to help
(with a review date, then afweging 5 again), a report to Veilig Thuis, or closing the case.

`TRANSITIONS` names every move per trigger (the professional's act that causes it); a move that
is not in it is refused. `cases.services._transition` is the only code that changes a case's phase
or records a `PhaseChange`, and it asks this table first. Pages, the API and templates ask the
table too, through `phase_rules(phase)` (templates: `case.workflow`), never by comparing phases.
The texts professionals read per step are data: `cases/guidance/stappen.yaml`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.db import models


class Phase(models.TextChoices):
    SIGNALS = "stap_1", "Stap 1 · Signalen in kaart brengen"
    CONSULTATION = "stap_2", "Stap 2 · Collegiale consultatie"
    CONVERSATION = "stap_3", "Stap 3 · Gesprek met de cliënt"
    WEIGHING = "stap_4", "Stap 4 · Wegen"
    DECIDING = "stap_5", "Stap 5 · Beslissen"
    HELP = "hulp", "Hulp geboden, evaluatie gepland"
    REPORTED = "gemeld", "Gemeld bij Veilig Thuis"
    CLOSED = "afgesloten", "Afgesloten"


NEW = ""
"""The 'phase' of a case that is being opened: the source of its first move."""


class Trigger(models.TextChoices):
    """What the professional does that moves a case."""

    OPEN = "openen", "Casus openen"
    FORWARD = "verder", "Naar de volgende stap"
    BACK = "terug", "Terug naar een eerdere stap"
    REOPEN = "heropenen", "Heropenen bij nieuwe signalen"
    DECIDE = "besluiten", "Besluit in stap 4 of 5, of bij de evaluatie"
    REPORT_NOW = "direct_melden", "Direct melden bij acuut gevaar"
    CLOSE = "afsluiten", "Afsluiten na de melding"


STEPS: list[str] = [
    Phase.SIGNALS,
    Phase.CONSULTATION,
    Phase.CONVERSATION,
    Phase.WEIGHING,
    Phase.DECIDING,
]
OPEN_PHASES: list[str] = [*STEPS, Phase.HELP, Phase.REPORTED]

S1, S2, S3, S4, S5 = STEPS
_DECIDED = frozenset({Phase.HELP, Phase.REPORTED, Phase.CLOSED})

# Per trigger: from which phase to which phases. Nothing else moves a case.
TRANSITIONS: dict[str, dict[str, frozenset[str]]] = {
    Trigger.OPEN: {NEW: frozenset({S1})},
    Trigger.FORWARD: {
        S1: frozenset({S2}),
        S2: frozenset({S3}),
        S3: frozenset({S4}),
        S4: frozenset({S5}),
    },
    # Any earlier step, also after help has started or a report was made (new signals, or
    # Veilig Thuis asks for a conversation first). Needs a reason.
    Trigger.BACK: {
        S2: frozenset({S1}),
        S3: frozenset({S1, S2}),
        S4: frozenset({S1, S2, S3}),
        S5: frozenset({S1, S2, S3, S4}),
        Phase.HELP: frozenset(STEPS),
        Phase.REPORTED: frozenset(STEPS),
    },
    # A closed case starts a new round of the meldcode at step 1. Needs a reason.
    Trigger.REOPEN: {Phase.CLOSED: frozenset({S1})},
    # The decision (see `DECISION_TARGETS`); at the review of help, afweging 5 leads to it again.
    Trigger.DECIDE: {S4: _DECIDED, S5: _DECIDED, Phase.HELP: _DECIDED},
    # "Direct melden": acute danger waits for no step. What was not done yet is shown as missing.
    Trigger.REPORT_NOW: {
        S1: frozenset({Phase.REPORTED}),
        S2: frozenset({Phase.REPORTED}),
        S3: frozenset({Phase.REPORTED}),
        S4: frozenset({Phase.REPORTED}),
        S5: frozenset({Phase.REPORTED}),
        Phase.HELP: frozenset({Phase.REPORTED}),
    },
    # The reporter's own involvement ends (the child left the school). Needs a reason.
    Trigger.CLOSE: {Phase.REPORTED: frozenset({Phase.CLOSED})},
}

NEEDS_REASON: dict[str, str] = {
    Trigger.BACK: "Geef aan waarom u teruggaat naar een eerdere stap.",
    Trigger.REOPEN: "Geef aan waarom u teruggaat naar een eerdere stap.",
    Trigger.CLOSE: "Geef aan waarom de casus wordt afgesloten.",
}
"""The triggers that need a written reason, with the message when it is missing."""

REFUSED: dict[str, str] = {
    Trigger.OPEN: "Een casus begint bij stap 1.",
    Trigger.FORWARD: "Deze stap is vanuit de huidige fase niet mogelijk.",
    Trigger.BACK: "Deze stap is vanuit de huidige fase niet mogelijk.",
    Trigger.REOPEN: "Deze stap is vanuit de huidige fase niet mogelijk.",
    Trigger.DECIDE: "Een besluit neemt u in stap 4 of 5, of bij de evaluatie van de hulp.",
    Trigger.REPORT_NOW: "Direct melden kan vanuit de stappen of tijdens de hulp.",
    Trigger.CLOSE: "Alleen een gemelde casus sluit u zo af; anders via een besluit.",
}
"""What the professional reads when a move is not in the table."""

DECISION_TARGETS: dict[str, str] = {
    "close": Phase.CLOSED,
    "close_followup": Phase.CLOSED,
    "help": Phase.HELP,
    "report": Phase.REPORTED,
    "report_and_help": Phase.REPORTED,
}
"""Where each decision (`cases.models.Outcome`) takes the case."""

DECISION_FOLLOWS: dict[str, set[str]] = {
    "close": {"close"},
    "close_followup": {"close_followup"},
    "help": {"help"},
    "report": {"report", "report_and_help"},
}
"""The decisions that follow each indication of the kader; another one needs a justification."""

FOLLOWUP_REQUIRED: set[str] = {"close_followup"}
"""The indications after which closing is only possible with agreements on how safety is
followed (afweging 5 = ja): plain closing is refused, a report is not."""

WEIGHING_PHASES: dict[str, set[str]] = {
    Phase.WEIGHING: {Phase.WEIGHING, Phase.DECIDING, Phase.HELP},
    Phase.DECIDING: {Phase.DECIDING, Phase.HELP},
    Phase.HELP: {Phase.HELP},
}
"""In which phases a question of the kader may be answered, by the phase the kader gives it:
steps 4 and 5 in order, and the review question (afweging 5) only once help is under way."""

ENTRY_PHASES: dict[str, set[str]] = {
    "report": {Phase.REPORTED},
    "report_feedback": {Phase.REPORTED},
}
"""Entries that belong to one part of the route only; every other kind may be recorded in any
phase but a closed one."""

OFFERED_ENTRIES: dict[str, tuple[str, ...]] = {
    S1: ("signal", "counter_signal", "child_check", "consultation_request", "note"),
    S2: ("consultation", "consultation_request", "signal", "counter_signal", "note"),
    S3: ("conversation", "conversation_skipped", "signal", "counter_signal", "note"),
    S4: ("signal", "counter_signal", "consultation", "consultation_request", "note"),
    S5: ("consultation", "consultation_request", "note"),
    Phase.HELP: ("signal", "counter_signal", "consultation", "note"),
    # The report itself and Veilig Thuis' feedback are offered in the case page's report section.
    Phase.REPORTED: ("signal", "counter_signal", "note"),
    Phase.CLOSED: (),
}
"""The entries the case page offers in each phase: what a professional typically records there."""

PREPARES_CONVERSATION: set[str] = {S3}
"""Where the case page offers the preparation of the conversation with the client."""

SUGGESTS_INSTRUMENT: set[str] = {S4}
"""Where the case page points to the (optional) instruments for weighing risk."""

SHOWS_REPORT_DRAFT: set[str] = {S5}
"""Where the case page offers the report to Veilig Thuis before a decision to report."""

ANSWERED_WHEN: dict[str, str] = {
    S4: "in stap 4.",
    S5: "in stap 5. Ga op de casuspagina naar stap 5 als alles voor stap 4 is vastgelegd.",
    Phase.HELP: "op de evaluatiedatum van de hulp.",
}
"""When a question of the kader is answered, by the phase the kader gives it (`WEIGHING_PHASES`)."""


@dataclass(frozen=True)
class StepInfo:
    phase: str
    number: int
    short: str

    @property
    def guidance(self) -> str:
        """What the professional does in this step (`cases/guidance/stappen.yaml`)."""
        from meldwijzer.cases.guidance import steps

        return steps().texts[self.phase]


STEP_INFO: dict[str, StepInfo] = {
    S1: StepInfo(S1, 1, "Signalen"),
    S2: StepInfo(S2, 2, "Consultatie"),
    S3: StepInfo(S3, 3, "Gesprek"),
    S4: StepInfo(S4, 4, "Wegen"),
    S5: StepInfo(S5, 5, "Beslissen"),
}


def targets(source: str, trigger: str) -> frozenset[str]:
    """Where `trigger` may take a case that is in `source` (empty: nowhere)."""
    return TRANSITIONS.get(trigger, {}).get(source, frozenset())


def allows(source: str, trigger: str, target: str) -> bool:
    return target in targets(source, trigger)


def move_trigger(source: str, target: str) -> str:
    """Which trigger a chosen step is: re-opening a closed case, going back, or going on."""
    if source == Phase.CLOSED:
        return Trigger.REOPEN
    return Trigger.BACK if is_backward(source, target) else Trigger.FORWARD


def allowed_moves(phase: str) -> set[str]:
    """Every phase the case can go to next, by any trigger but direct melden."""
    moves: set[str] = set()
    for trigger in (Trigger.FORWARD, Trigger.BACK, Trigger.REOPEN, Trigger.DECIDE, Trigger.CLOSE):
        moves |= targets(phase, trigger)
    return moves - {phase}


def is_backward(source: str, target: str) -> bool:
    return target in STEPS and STEPS.index(target) < _position(source)


def _position(phase: str) -> int:
    return STEPS.index(phase) if phase in STEPS else len(STEPS)


def may_answer(phase: str, question_phase: str) -> bool:
    """Whether a question the kader places in `question_phase` may be answered now."""
    return phase in WEIGHING_PHASES.get(question_phase, set())


@dataclass(frozen=True)
class PhaseRules:
    """What one phase allows and offers, for pages and templates (`case.workflow.may_decide`)."""

    phase: str
    step: StepInfo | None
    next_step: str | None
    back_steps: tuple[str, ...]
    offered_entries: tuple[str, ...]
    may_record: bool
    may_weigh: bool
    may_decide: bool
    may_report_now: bool
    may_close: bool
    records_report: bool
    checks_requirements: bool
    prepares_conversation: bool
    suggests_instrument: bool
    shows_report_draft: bool
    is_help: bool
    is_reported: bool
    is_closed: bool

    @property
    def in_steps(self) -> bool:
        return self.step is not None


@cache
def phase_rules(phase: str) -> PhaseRules:
    forward = sorted(targets(phase, Trigger.FORWARD), key=STEPS.index)
    back = targets(phase, Trigger.BACK) | targets(phase, Trigger.REOPEN)
    return PhaseRules(
        phase=phase,
        step=STEP_INFO.get(phase),
        next_step=forward[0] if forward else None,
        back_steps=tuple(step for step in STEPS if step in back),
        offered_entries=OFFERED_ENTRIES.get(phase, ()),
        may_record=phase in OPEN_PHASES,
        may_weigh=any(phase in phases for phases in WEIGHING_PHASES.values()),
        may_decide=bool(targets(phase, Trigger.DECIDE)),
        may_report_now=bool(targets(phase, Trigger.REPORT_NOW)),
        may_close=bool(targets(phase, Trigger.CLOSE)),
        records_report=phase in ENTRY_PHASES["report"],
        # Step 5 leaves by a decision, not by a list of what is missing.
        checks_requirements=bool(forward),
        prepares_conversation=phase in PREPARES_CONVERSATION,
        suggests_instrument=phase in SUGGESTS_INSTRUMENT,
        shows_report_draft=phase in SHOWS_REPORT_DRAFT,
        is_help=phase == Phase.HELP,
        is_reported=phase == Phase.REPORTED,
        is_closed=phase == Phase.CLOSED,
    )
