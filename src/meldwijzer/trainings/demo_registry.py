"""Demo data for the registry area."""

from __future__ import annotations


def load() -> None:
    """Nothing yet."""
