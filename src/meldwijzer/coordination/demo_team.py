"""Demo invitations, agreements (open, done, overdue) and next contacts in the demo files. Loaded after `coordination.demo`; all people are made up; loading twice changes
nothing."""

from __future__ import annotations


def load() -> None:
    return None
