"""Self-checks: a short knowledge quiz per beroepsgroep, questions as data, results private."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from meldwijzer.organisations.models import Municipality


@dataclass(frozen=True)
class SelfCheckFigures:
    """Raw totals of one beroepsgroep's attempts, for the datalab to protect."""

    professionals: int
    attempts: int
    answers_right: int
    answers_total: int


def selfcheck_figures(*, municipality: Municipality) -> dict[str, SelfCheckFigures]:
    """Per beroepsgroep, the attempts by professionals of organisations working in the
    municipality: raw totals for the datalab, which protects them before they are shown."""
    return {}
