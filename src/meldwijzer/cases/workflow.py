"""The meldcode as a table: the phases a case can be in and the moves allowed between them.

A case goes through steps 1–5 in order; each forward move needs what the law asks for the step it
leaves (see `REQUIREMENTS`). Any earlier step can be revisited — new signals after step 3 are
normal — but every move is recorded with a reason. The decision in step 5 leads to help (with a
review date, then afweging 5 again), a report to Veilig Thuis, or closing the case.
`cases.services.case_move` is the only code that changes a case's phase.
"""

from __future__ import annotations

from dataclasses import dataclass

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


STEPS: list[str] = [
    Phase.SIGNALS,
    Phase.CONSULTATION,
    Phase.CONVERSATION,
    Phase.WEIGHING,
    Phase.DECIDING,
]
OPEN_PHASES: list[str] = [*STEPS, Phase.HELP, Phase.REPORTED]


@dataclass(frozen=True)
class StepInfo:
    number: int
    short: str
    guidance: str


STEP_INFO: dict[str, StepInfo] = {
    Phase.SIGNALS: StepInfo(
        1,
        "Signalen",
        "Leg vast wat u zag of hoorde, met datum en bron. Houd feiten en interpretaties uit "
        "elkaar, en noteer ook wat de zorg tegenspreekt.",
    ),
    Phase.CONSULTATION: StepInfo(
        2,
        "Consultatie",
        "Bespreek de signalen met een deskundige collega, vaak de aandachtsfunctionaris. "
        "Veilig Thuis geeft ook (anoniem) advies: 0800-2000.",
    ),
    Phase.CONVERSATION: StepInfo(
        3,
        "Gesprek",
        "Bespreek de signalen zo snel mogelijk met de cliënt of ouders, en waar mogelijk met het "
        "kind. Vraag naar hun kijk en maak samen afspraken over de hulp. Of u meldt, beslist u "
        "zelf; vertel wel eerlijk wat u gaat doen.",
    ),
    Phase.WEIGHING: StepInfo(
        4,
        "Wegen",
        "Weeg risico, aard en ernst, eventueel met een instrument. Beantwoord afweging 1 en 2.",
    ),
    Phase.DECIDING: StepInfo(
        5,
        "Beslissen",
        "Beantwoord afweging 3 tot en met 5: melden bij Veilig Thuis en/of hulp bieden of "
        "organiseren. U beslist; Meldwijzer legt uw afweging vast.",
    ),
}


# Forward moves, decisions and follow-ups. Moving back to an earlier step is always allowed
# from an open phase (see `allowed_moves`) and needs a reason.
FORWARD_MOVES: dict[str, set[str]] = {
    Phase.SIGNALS: {Phase.CONSULTATION},
    Phase.CONSULTATION: {Phase.CONVERSATION},
    Phase.CONVERSATION: {Phase.WEIGHING},
    Phase.WEIGHING: {Phase.DECIDING, Phase.REPORTED, Phase.CLOSED},
    Phase.DECIDING: {Phase.HELP, Phase.REPORTED, Phase.CLOSED},
    Phase.HELP: {Phase.DECIDING, Phase.REPORTED, Phase.CLOSED},
    Phase.REPORTED: {Phase.CLOSED},
    Phase.CLOSED: {Phase.SIGNALS},  # re-opening on new signals
}


# "Direct melden": acute danger waits for no step. From every step, and from help under way, a
# case can go straight to a report to Veilig Thuis; what was not done yet is shown as missing.
REPORT_NOW_FROM: set[str] = {*STEPS, Phase.HELP}


def allowed_moves(phase: str) -> set[str]:
    moves = set(FORWARD_MOVES.get(phase, set()))
    if phase in OPEN_PHASES:
        moves |= {step for step in STEPS if STEPS.index(step) < _position(phase)}
    return moves


def is_backward(source: str, target: str) -> bool:
    return target in STEPS and STEPS.index(target) < _position(source)


def _position(phase: str) -> int:
    return STEPS.index(phase) if phase in STEPS else len(STEPS)
