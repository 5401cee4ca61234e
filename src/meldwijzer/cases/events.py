"""What happens to a case, as access-log events: one typed function per event, one row each.

Every row about a case's data names the client: the case's `client_pseudonym`, never a name. A
refused attempt at a case, person or entry that exists names that case's client too, so the
client can later see who tried; an id that does not exist has no client.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NoReturn

from meldwijzer.audit.models import Action, Purpose, Subject
from meldwijzer.audit.services import (
    access_denied,
    access_log_record,
    access_log_record_parts,
)
from meldwijzer.cases.models import EntryKind
from meldwijzer.organisations.roles import Permission

if TYPE_CHECKING:
    from meldwijzer.cases.models import Case, Entry
    from meldwijzer.organisations.actor import Actor


def _written(actor: Actor, case: Case, action: Action, part: str) -> None:
    """A change to the dossier by the professional who works on it."""
    access_log_record(
        actor=actor,
        action=action,
        subject=Subject.CASE,
        subject_id=str(case.pk),
        client_id=case.client_pseudonym,
        part=part,
        role=actor.role_for(Permission.CASE_WORK),
        purpose=Purpose.CARE,
    )


def case_opened(*, actor: Actor, case: Case) -> None:
    _written(actor, case, Action.CREATE, "casus")


def case_client_set(*, actor: Actor, case: Case) -> None:
    _written(actor, case, Action.UPDATE, "casus")


def entry_recorded(*, actor: Actor, case: Case, entry: Entry) -> None:
    """A new entry, or a correction of one (an update of the dossier, never an edit)."""
    action = Action.UPDATE if entry.corrects_id else Action.CREATE
    _written(actor, case, action, EntryKind(entry.kind).label.lower())


def report_feedback_received(*, actor: Actor, case: Case) -> None:
    """Veilig Thuis recorded its feedback on a report in the reporter's dossier (the dossier is
    not opened to Veilig Thuis: it writes this one entry, on the meldrecht of the report)."""
    access_log_record(
        actor=actor,
        action=Action.CREATE,
        subject=Subject.CASE,
        subject_id=str(case.pk),
        client_id=case.client_pseudonym,
        part=EntryKind.REPORT_FEEDBACK.label.lower(),
        role=actor.role_for(Permission.CASE_WORK),
        purpose=Purpose.CARE,
    )


def instrument_result_recorded(*, actor: Actor, case: Case) -> None:
    _written(actor, case, Action.CREATE, "instrument")


def person_recorded(*, actor: Actor, case: Case, replaces: bool) -> None:
    _written(actor, case, Action.UPDATE if replaces else Action.CREATE, "betrokkenen")


def weighing_recorded(*, actor: Actor, case: Case) -> None:
    _written(actor, case, Action.CREATE, "afweging")


def case_moved(*, actor: Actor, case: Case) -> None:
    _written(actor, case, Action.UPDATE, "stap")


def case_decided(*, actor: Actor, case: Case) -> None:
    """The decision, by weighing or by reporting at once."""
    _written(actor, case, Action.CREATE, "besluit")


def case_closed(*, actor: Actor, case: Case) -> None:
    _written(actor, case, Action.UPDATE, "afgesloten")


def case_part_read(*, actor: Actor, case: Case, part: str, action: Action = Action.READ) -> None:
    """A part of a case read (or printed, exported): by its own professional for care, by the
    aandachtsfunctionaris to advise."""
    own = case.responsible_id == actor.user.pk
    access_log_record(
        actor=actor,
        action=action,
        subject=Subject.CASE,
        subject_id=str(case.pk),
        client_id=case.client_pseudonym,
        part=part,
        role=actor.role_for(Permission.CASE_WORK if own else Permission.CASE_OVERSEE),
        purpose=Purpose.CARE if own else Purpose.CONSULTATION,
    )


def case_parts_read(*, actor: Actor, case: Case, parts: Sequence[str]) -> None:
    """Parts of a case shown on one page at once, by its own professional for care: one row per
    part, as `case_part_read` writes them, in one transaction."""
    access_log_record_parts(
        actor=actor,
        action=Action.READ,
        subject=Subject.CASE,
        subject_id=str(case.pk),
        client_id=case.client_pseudonym,
        parts=parts,
        role=actor.role_for(Permission.CASE_WORK),
        purpose=Purpose.CARE,
    )


def case_refused(
    *, actor: Actor, case_id: int, case: Case | None, part: str, action: Action = Action.READ
) -> NoReturn:
    """A case out of the actor's reach, or none with this id: 'not found'. A case that exists is
    named with its client."""
    access_denied(
        actor=actor,
        action=action,
        subject=Subject.CASE,
        subject_id=str(case_id),
        client_id=case.client_pseudonym if case is not None else "",
        part=part,
        not_found=True,
    )


def case_object_refused(
    *, actor: Actor, case: Case, subject: Subject, object_id: int, part: str, action: Action
) -> NoReturn:
    """A person, entry or instrument result asked for through `case` that is not one of its own:
    'not found', naming what was asked for and the client of the case it was asked in."""
    access_denied(
        actor=actor,
        action=action,
        subject=subject,
        subject_id=str(object_id),
        client_id=case.client_pseudonym,
        part=part,
        not_found=True,
    )


def case_list_refused(*, actor: Actor) -> NoReturn:
    access_denied(actor=actor, action=Action.SEARCH, subject=Subject.CASES)


def case_list_searched(*, actor: Actor, whole_organisation: bool) -> None:
    """The list of one's own cases, or the aandachtsfunctionaris' overview of the organisation's
    open cases. A list names no single client."""
    access_log_record(
        actor=actor,
        action=Action.SEARCH,
        subject=Subject.CASES,
        part="organisatie" if whole_organisation else "eigen",
        role=actor.role_for(
            Permission.CASE_OVERSEE if whole_organisation else Permission.CASE_WORK
        ),
        purpose=Purpose.CONSULTATION if whole_organisation else Purpose.CARE,
    )


def access_history_read_by_command(*, case: Case, username: str) -> None:
    """Who looked at this client's data, listed on the server's command line."""
    access_log_record(
        actor=None,
        username=username,
        action=Action.READ,
        subject=Subject.CASE,
        subject_id=str(case.pk),
        client_id=case.client_pseudonym,
        part="toegangslogboek",
        purpose=Purpose.SUPERVISION,
    )


def shared_list_searched(*, actor: Actor, part: str) -> None:
    """The list of what other organisations shared with this aandachtsfunctionaris. A list names
    no single client."""
    access_log_record(
        actor=actor,
        action=Action.SEARCH,
        subject=Subject.SHARED_WITH_ME,
        part=part,
        role=actor.role_for(Permission.CASE_OVERSEE),
        purpose=Purpose.CONSULTATION,
    )


def shared_entry_read(*, actor: Actor, entry: Entry, part: str) -> None:
    """A consultation summary read by the aandachtsfunctionaris of another organisation it was
    shared with (`privacy.AccessGrant`)."""
    access_log_record(
        actor=actor,
        action=Action.READ,
        subject=Subject.ENTRY,
        subject_id=str(entry.pk),
        client_id=entry.case.client_pseudonym,
        part=part,
        role=actor.role_for(Permission.CASE_OVERSEE),
        purpose=Purpose.CONSULTATION,
    )


def shared_entry_refused(
    *, actor: Actor, entry_id: int, entry: Entry | None, part: str
) -> NoReturn:
    """A shared summary asked for without a grant in force: 'not found'. An entry that exists is
    named with its client."""
    access_denied(
        actor=actor,
        action=Action.READ,
        subject=Subject.ENTRY,
        subject_id=str(entry_id),
        client_id=entry.case.client_pseudonym if entry is not None else "",
        part=part,
        purpose=Purpose.CONSULTATION,
        not_found=True,
    )


def case_holds_read(*, actor: Actor, case: Case) -> None:
    """The legal holds on a case read, by someone who places them: only the case's reference and
    its holds are shown, never its content."""
    access_log_record(
        actor=actor,
        action=Action.READ,
        subject=Subject.CASE,
        subject_id=str(case.pk),
        client_id=case.client_pseudonym,
        part="bewaarplicht",
        role=actor.role_for(Permission.RETENTION_HOLD),
        purpose=Purpose.ADMINISTRATION,
    )
