"""Demo data for the knowledge area."""

from __future__ import annotations


def load() -> None:
    """Nothing yet."""
