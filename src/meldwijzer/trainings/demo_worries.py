"""Demo data for the worries area."""

from __future__ import annotations


def load() -> None:
    """Nothing yet."""
