"""Demo data for the selfcheck area."""

from __future__ import annotations


def load() -> None:
    """Nothing yet."""
