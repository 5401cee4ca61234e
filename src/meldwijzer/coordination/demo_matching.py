"""Demo match signals: the same person registered by two organisations. Loaded after `coordination.demo`; all people are made up; loading twice changes
nothing."""

from __future__ import annotations


def load() -> None:
    return None
