"""Demo data for the datalab: Noordoostpolder, shaped like the regional datalab's figures."""

from __future__ import annotations


def load() -> None:
    return None
