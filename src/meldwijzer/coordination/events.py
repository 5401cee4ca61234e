"""What happens in coordination, as access-log events: one typed function per event, one row each.

Every row about a file, a report in the inbox, a match signal or a conference item names the
client — the file's (or the reporting dossier's) client pseudonym, never a name — and a read by
someone of another organisation names the ground it rests on (`ground`, e.g. 'toestemming:12').
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

from meldwijzer.audit.models import Action, Purpose, Subject
from meldwijzer.audit.services import access_denied, access_log_record, access_log_record_each
from meldwijzer.organisations.roles import Permission

if TYPE_CHECKING:
    from collections.abc import Sequence

    from meldwijzer.coordination.models import CoordinationFile, MatchSignal
    from meldwijzer.coordination.rules import FileAccess
    from meldwijzer.organisations.actor import Actor


def _role(actor: Actor) -> str:
    return actor.role_for(
        Permission.CASE_COORDINATE
        if actor.can(Permission.CASE_COORDINATE)
        else Permission.CASE_WORK
    )


def file_event(
    *,
    actor: Actor,
    file: CoordinationFile,
    action: Action,
    part: str,
    access: FileAccess | None = None,
) -> None:
    """A part of a file read, printed or changed, with the ground a reader of another
    organisation reads it on."""
    access_log_record(
        actor=actor,
        action=action,
        subject=Subject.COORDINATION_FILE,
        subject_id=str(file.pk),
        client_id=file.client_pseudonym,
        part=part,
        ground=access.ground_label if access is not None else "",
        role=_role(actor),
        purpose=Purpose.COORDINATION,
    )


def file_refused(
    *,
    actor: Actor,
    file_id: int,
    file: CoordinationFile | None,
    part: str,
    action: Action = Action.READ,
) -> NoReturn:
    """A file out of reach, or one that does not exist: 'not found', logged with its client."""
    access_denied(
        actor=actor,
        action=action,
        subject=Subject.COORDINATION_FILE,
        subject_id=str(file_id),
        client_id=file.client_pseudonym if file is not None else "",
        part=part,
        purpose=Purpose.COORDINATION,
        not_found=True,
    )


def file_list_read(*, actor: Actor) -> None:
    access_log_record(
        actor=actor,
        action=Action.READ,
        subject=Subject.COORDINATION_FILES,
        role=_role(actor),
        purpose=Purpose.COORDINATION,
    )


def file_list_refused(*, actor: Actor) -> NoReturn:
    access_denied(actor=actor, action=Action.READ, subject=Subject.COORDINATION_FILES)


# --- Match signals (`matching`) ------------------------------------------------------------------
# A signal concerns two clients: the same person in two organisations' case or file. A row names
# the client of the side it is written for: the reader's own case or file.

MATCH_SIGNAL_PART = "samenloop"
MATCHING_SYSTEM = "meldwijzer-samenloop"


def match_signals_read(*, actor: Actor, rows: Sequence[tuple[int, str]]) -> None:
    """'Samenloop' read: one row per signal shown, with the client of the reader's own case or
    file, written at once."""
    access_log_record_each(
        actor=actor,
        action=Action.READ,
        subject=Subject.MATCH_SIGNAL,
        rows=[(str(signal_id), client) for signal_id, client in rows],
        part=MATCH_SIGNAL_PART,
        role=_role(actor),
        purpose=Purpose.COORDINATION,
    )


def match_signals_refused(*, actor: Actor) -> NoReturn:
    access_denied(actor=actor, action=Action.READ, subject=Subject.MATCH_SIGNAL)


def match_signal_event(
    *, actor: Actor, signal: MatchSignal, action: Action, client_pseudonym: str
) -> None:
    access_log_record(
        actor=actor,
        action=action,
        subject=Subject.MATCH_SIGNAL,
        subject_id=str(signal.pk),
        client_id=client_pseudonym,
        part=MATCH_SIGNAL_PART,
        role=_role(actor),
        purpose=Purpose.COORDINATION,
    )


def match_signal_refused(
    *, actor: Actor, signal_id: int, client_pseudonym: str, action: Action = Action.READ
) -> NoReturn:
    """Someone else's signal, an expired one or none: 'not found', logged."""
    access_denied(
        actor=actor,
        action=action,
        subject=Subject.MATCH_SIGNAL,
        subject_id=str(signal_id),
        client_id=client_pseudonym,
        part=MATCH_SIGNAL_PART,
        purpose=Purpose.COORDINATION,
        not_found=True,
    )


def match_signal_system_event(*, signal: MatchSignal, action: Action) -> None:
    """Meldwijzer made or deleted a signal: one row in each organisation's chain, naming that
    organisation's client."""
    for organisation, client in (
        (signal.first_organisation, signal.first_client_pseudonym),
        (signal.second_organisation, signal.second_client_pseudonym),
    ):
        access_log_record(
            actor=None,
            organisation=organisation,
            username=MATCHING_SYSTEM,
            action=action,
            subject=Subject.MATCH_SIGNAL,
            subject_id=str(signal.pk),
            client_id=client,
            part=MATCH_SIGNAL_PART,
            purpose=Purpose.COORDINATION,
        )
