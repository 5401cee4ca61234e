"""What happens in coordination, as access-log events: one typed function per event, one row each.

Every row about a file, a report in the inbox, a hand-over, a match signal or a conference item
names the client — the file's (or the reporting dossier's) client pseudonym, never a name — and a
read by someone of another organisation names the ground it rests on (`ground`, e.g.
'toestemming:12'; an item read on confirmed involvement: 'betrokkenheid:7').
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

from meldwijzer.audit.models import Action, Purpose, Subject
from meldwijzer.audit.services import access_denied, access_log_record, access_log_record_each
from meldwijzer.organisations.roles import Permission

if TYPE_CHECKING:
    from collections.abc import Sequence

    from meldwijzer.coordination.models import (
        Conference,
        ConferenceItem,
        CoordinationFile,
        Handover,
        IncomingReport,
        MatchSignal,
    )
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


# Reports in Veilig Thuis' inbox and hand-overs of the regie.
def _ground(report: IncomingReport) -> str:
    return f"meldrecht:{report.ground_id}"


def report_sent(*, actor: Actor, report: IncomingReport) -> None:
    """The reporter handed the report to Veilig Thuis, on the meldrecht."""
    access_log_record(
        actor=actor,
        action=Action.CREATE,
        subject=Subject.INCOMING_REPORT,
        subject_id=str(report.pk),
        client_id=report.client_pseudonym,
        part="melding",
        ground=_ground(report),
        role=actor.role_for(Permission.CASE_WORK),
        purpose=Purpose.CARE,
    )


def report_event(*, actor: Actor, report: IncomingReport, action: Action, part: str) -> None:
    """Veilig Thuis read a report, confirmed its receipt, gave feedback or opened a file."""
    access_log_record(
        actor=actor,
        action=action,
        subject=Subject.INCOMING_REPORT,
        subject_id=str(report.pk),
        client_id=report.client_pseudonym,
        part=part,
        ground=_ground(report),
        role=actor.role_for(Permission.CASE_WORK),
        purpose=Purpose.COORDINATION,
    )


def report_refused(
    *, actor: Actor, report_id: int, report: IncomingReport | None, part: str, action: Action
) -> NoReturn:
    """A report not in the actor's inbox, or none with this id: 'not found', logged."""
    access_denied(
        actor=actor,
        action=action,
        subject=Subject.INCOMING_REPORT,
        subject_id=str(report_id),
        client_id=report.client_pseudonym if report is not None else "",
        part=part,
        purpose=Purpose.COORDINATION,
        not_found=True,
    )


def inbox_read(*, actor: Actor) -> None:
    """The inbox listed; a list names no single client."""
    access_log_record(
        actor=actor,
        action=Action.READ,
        subject=Subject.INCOMING_REPORTS,
        role=actor.role_for(Permission.CASE_WORK),
        purpose=Purpose.COORDINATION,
    )


def inbox_refused(*, actor: Actor) -> NoReturn:
    """Someone who does not work for Veilig Thuis asked for the inbox: 'not found', logged."""
    access_denied(
        actor=actor,
        action=Action.READ,
        subject=Subject.INCOMING_REPORTS,
        purpose=Purpose.COORDINATION,
        not_found=True,
    )


def handover_event(
    *, actor: Actor, file: CoordinationFile, handover: Handover, action: Action, ground: str = ""
) -> None:
    """A hand-over proposed, read, accepted, declined or withdrawn: a row about the file, with
    the hand-over's ground when the reader is of another organisation."""
    access_log_record(
        actor=actor,
        action=action,
        subject=Subject.COORDINATION_FILE,
        subject_id=str(file.pk),
        client_id=file.client_pseudonym,
        part=f"overdracht:{handover.pk}",
        ground=ground,
        role=actor.role_for(
            Permission.CASE_COORDINATE
            if actor.can(Permission.CASE_COORDINATE)
            else Permission.CASE_WORK
        ),
        purpose=Purpose.COORDINATION,
    )


def handover_refused(
    *, actor: Actor, handover_id: int, handover: Handover | None, action: Action
) -> NoReturn:
    """A hand-over the actor has no part in: 'not found', logged with the file's client."""
    access_denied(
        actor=actor,
        action=action,
        subject=Subject.COORDINATION_FILE,
        subject_id=str(handover.file_id) if handover is not None else "",
        client_id=handover.file.client_pseudonym if handover is not None else "",
        part=f"overdracht:{handover_id}",
        purpose=Purpose.COORDINATION,
        not_found=True,
    )


def file_open_refused(*, actor: Actor) -> NoReturn:
    """Someone who is not a casusregisseur tried to open a coordination file: refused, logged."""
    access_denied(
        actor=actor,
        action=Action.CREATE,
        subject=Subject.COORDINATION_FILES,
        purpose=Purpose.COORDINATION,
    )


def handovers_refused(*, actor: Actor) -> NoReturn:
    """Someone without case work asked for the hand-overs waiting for them: refused, logged."""
    access_denied(
        actor=actor,
        action=Action.READ,
        subject=Subject.COORDINATION_FILES,
        part="overdrachten",
        purpose=Purpose.COORDINATION,
    )


# Case conferences and their agenda items.

CONFERENCE_LIST = "lijst"


def conference_event(*, actor: Actor, conference: Conference, action: Action, part: str) -> None:
    """The conference itself — its date, place, participants, topics — read or changed."""
    access_log_record(
        actor=actor,
        action=action,
        subject=Subject.CONFERENCE,
        subject_id=str(conference.pk),
        part=part,
        purpose=Purpose.COORDINATION,
    )


def conference_list_read(*, actor: Actor) -> None:
    access_log_record(
        actor=actor,
        action=Action.READ,
        subject=Subject.CONFERENCE,
        part=CONFERENCE_LIST,
        purpose=Purpose.COORDINATION,
    )


def conference_refused(
    *, actor: Actor, conference_id: object, action: Action = Action.READ, part: str = ""
) -> NoReturn:
    """A conference the actor takes no part in, one that does not exist, or something in it the
    actor may not do: 'not found', logged."""
    access_denied(
        actor=actor,
        action=action,
        subject=Subject.CONFERENCE,
        subject_id=str(conference_id),
        part=part,
        purpose=Purpose.COORDINATION,
        not_found=True,
    )


def conference_list_refused(*, actor: Actor) -> NoReturn:
    access_denied(
        actor=actor,
        action=Action.READ,
        subject=Subject.CONFERENCE,
        part=CONFERENCE_LIST,
        purpose=Purpose.COORDINATION,
    )


def item_event(
    *, actor: Actor, item: ConferenceItem, action: Action, part: str, ground: str = ""
) -> None:
    """An item read (pseudonymised, or with the identity on `ground`) or changed."""
    access_log_record(
        actor=actor,
        action=action,
        subject=Subject.CONFERENCE_ITEM,
        subject_id=str(item.pk),
        client_id=item.file.client_pseudonym,
        part=part,
        ground=ground,
        purpose=Purpose.COORDINATION,
    )


def item_refused(
    *, actor: Actor, item_id: object, item: ConferenceItem | None, action: Action, part: str
) -> NoReturn:
    access_denied(
        actor=actor,
        action=action,
        subject=Subject.CONFERENCE_ITEM,
        subject_id=str(item_id),
        client_id=item.file.client_pseudonym if item is not None else "",
        part=part,
        purpose=Purpose.COORDINATION,
        not_found=True,
    )


def conference_plan_refused(*, actor: Actor) -> NoReturn:
    """Planning a conference without the role for it (a casusregisseur or an
    aandachtsfunctionaris plans)."""
    access_denied(
        actor=actor,
        action=Action.CREATE,
        subject=Subject.CONFERENCE,
        part="plannen",
        purpose=Purpose.COORDINATION,
    )
