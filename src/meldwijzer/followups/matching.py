"""A new meldcode dossier about a family in follow-up, recognised by the keyed hash."""

from __future__ import annotations

from meldwijzer.cases.models import Person


def person_recorded(person: Person) -> None:
    """Link a newly recorded person's case to the running plans of the same person."""
