"""What the datalab writes in the access log: imports of pseudonymised records, and every time
protected figures are read or leave (page, export, PDF, API). No row names a client: the datalab
holds research pseudonyms only, and its outputs are aggregates."""

from __future__ import annotations

from typing import NoReturn

from meldwijzer.audit.models import Action, Purpose, Subject
from meldwijzer.audit.services import access_denied, access_log_record
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.roles import Permission

PART = "datalab"


def refused(*, actor: Actor, action: Action = Action.READ) -> NoReturn:
    """Someone without the right to see aggregates asked for the datalab (403, logged)."""
    access_denied(
        actor=actor, action=action, subject=Subject.AGGREGATES, part=PART, purpose=Purpose.POLICY
    )


def figures_read(*, actor: Actor, analysis: str, version: str) -> None:
    """A dashboard page (or the API) showed one analysis's protected figures."""
    access_log_record(
        actor=actor,
        action=Action.READ,
        subject=Subject.AGGREGATES,
        subject_id=f"{analysis}@{version}"[:64],
        part=PART,
        role=actor.role_for(Permission.AGGREGATES_VIEW),
        purpose=Purpose.POLICY,
    )


def figures_exported(*, actor: Actor, what: str, file_format: str, version: str) -> None:
    """Protected figures left as a file (CSV, XLSX or the PDF report)."""
    access_log_record(
        actor=actor,
        action=Action.EXPORT,
        subject=Subject.DATALAB_EXPORT,
        subject_id=f"{what}.{file_format}@{version}"[:64],
        part=PART,
        role=actor.role_for(Permission.AGGREGATES_VIEW),
        purpose=Purpose.POLICY,
    )


def import_recorded(*, actor: Actor | None, import_id: int, source: str) -> None:
    """A partner's file was imported (or refused as a whole)."""
    access_log_record(
        actor=actor,
        action=Action.CREATE,
        subject=Subject.DATALAB_IMPORT,
        subject_id=str(import_id),
        part=f"{PART}:{source}"[:100],
        role=actor.role_for(Permission.AGGREGATES_VIEW) if actor else None,
        purpose=Purpose.POLICY,
    )
