"""The datalab's figures for a signaaloverleg (`coordination.conferences.signal_figures`)."""

from __future__ import annotations

from meldwijzer.coordination.conferences import SignalFigure
from meldwijzer.coordination.models import Conference
from meldwijzer.organisations.models import Organisation


def signal_figures(*, conference: Conference, organisation: Organisation) -> list[SignalFigure]:
    return []
