"""What happens to a client's copies and statements, as access-log events: one typed function per
event, one row each, every row naming the client (the case's client pseudonym).

Giving a copy is an export of the client's data (`Action.EXPORT`, `Subject.CLIENT_COPY`, the
copy's id); recording a statement is a creation (`Subject.CLIENT_STATEMENT`); showing the list
of either is a read of that part of the case, logged by `cases.selectors.case_get` with the part
(`PART_COPIES`, `PART_STATEMENTS`), as are refusals, before anything here runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from meldwijzer.audit.models import Action, Purpose, Subject
from meldwijzer.audit.services import access_log_record
from meldwijzer.organisations.roles import Permission

if TYPE_CHECKING:
    from meldwijzer.cases.models import Case
    from meldwijzer.organisations.actor import Actor
    from meldwijzer.rights.models import ClientStatement, CopyGiven

PART_COPIES = "afschriften"
PART_STATEMENTS = "eigen verklaringen"
# The part of a copy's row says to whom it went (at most 40 characters, as the column).
_COPY_PARTS = {
    "client": "afschrift aan de cliënt",
    "ouder": "afschrift aan een ouder met gezag",
    "kind": "afschrift aan het kind",
}


def _role(actor: Actor, case: Case) -> str:
    own = case.responsible_id == actor.user.pk
    return actor.role_for(Permission.CASE_WORK if own else Permission.CASE_OVERSEE)


def _purpose(actor: Actor, case: Case) -> Purpose:
    """As for the dossier: its own professional for care, the aandachtsfunctionaris to advise
    (`cases.events.case_part_read`)."""
    return Purpose.CARE if case.responsible_id == actor.user.pk else Purpose.CONSULTATION


def copy_given(*, actor: Actor, case: Case, copy: CopyGiven) -> None:
    """A copy of the file handed to the client (or a parent): an export, naming the copy."""
    access_log_record(
        actor=actor,
        action=Action.EXPORT,
        subject=Subject.CLIENT_COPY,
        subject_id=str(copy.pk),
        client_id=case.client_pseudonym,
        part=_COPY_PARTS.get(copy.relation, "afschrift"),
        role=_role(actor, case),
        purpose=_purpose(actor, case),
    )


def statement_recorded(*, actor: Actor, case: Case, statement: ClientStatement) -> None:
    access_log_record(
        actor=actor,
        action=Action.CREATE,
        subject=Subject.CLIENT_STATEMENT,
        subject_id=str(statement.pk),
        client_id=case.client_pseudonym,
        part=PART_STATEMENTS,
        role=_role(actor, case),
        purpose=_purpose(actor, case),
    )
