"""Zorgen delen: a worry described without identifying data, its answer, and what it became."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from meldwijzer.organisations.models import Municipality


def worries_per_quarter(*, municipality: Municipality) -> dict[tuple[int, int], int]:
    """How many worries were shared per (year, quarter) by organisations working in the
    municipality: raw counts for the datalab, which protects them before they are shown."""
    return {}
