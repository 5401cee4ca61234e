"""Instrument answers and results in a known state, built through the services."""

from __future__ import annotations

from typing import Any

from meldwijzer.cases.models import Case
from meldwijzer.instruments import services
from meldwijzer.instruments.format import Instrument
from meldwijzer.instruments.forms import PREFIX
from meldwijzer.instruments.loader import shipped_instruments
from meldwijzer.instruments.models import InstrumentResult
from meldwijzer.organisations.actor import Actor

SCAN = "huisbezoek_scan"


def neutral_answers(instrument: Instrument) -> dict[str, Any]:
    """Every required question answered with its lowest answer ('nee', 0, the first choice)."""
    answers: dict[str, Any] = {}
    for item in instrument.items.values():
        if not item.required:
            continue
        if item.type == "yes_no":
            answers[item.id] = "nee"
        elif item.type == "scale":
            answers[item.id] = item.minimum
        elif item.type == "choice":
            answers[item.id] = item.options[0].value
        elif item.type == "date":
            answers[item.id] = "2024-01-01"
        else:
            answers[item.id] = "Toelichting."
    return answers


def form_data(answers: dict[str, Any]) -> dict[str, str]:
    return {f"{PREFIX}-{key}": str(value) for key, value in answers.items()}


def record_result(actor: Actor, case: Case, key: str = SCAN, **answers: Any) -> InstrumentResult:
    """A finished instrument in the case: neutral answers, overridden by `answers`."""
    instrument, _ = services.answering_instrument(actor=actor, case=case, key=key)
    values = {**neutral_answers(instrument), **answers}
    result = services.instrument_result_record(actor=actor, case=case, key=key, answers=values)
    case.refresh_from_db()
    return result


def shipped(key: str = SCAN) -> Instrument:
    return shipped_instruments()[key]
