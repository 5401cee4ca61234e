"""The follow-up demo: plans in every state in Noordoostpolder."""

from __future__ import annotations


def load() -> None:
    """Add the follow-up plans to the demo."""
