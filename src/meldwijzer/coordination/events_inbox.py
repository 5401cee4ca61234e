"""What happens to reports in Veilig Thuis' inbox and to hand-overs of the regie, as access-log
events: one typed function per event, one row each (the file's own events are in `events`).

A row about a report names the reporting dossier's client pseudonym and, for Veilig Thuis, the
meldrecht ground it reads on (`meldrecht:12`). A row about a hand-over is a row about the file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

from meldwijzer.audit.models import Action, Purpose, Subject
from meldwijzer.audit.services import access_denied, access_log_record
from meldwijzer.organisations.roles import Permission

if TYPE_CHECKING:
    from meldwijzer.coordination.models import CoordinationFile, Handover, IncomingReport
    from meldwijzer.organisations.actor import Actor


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
