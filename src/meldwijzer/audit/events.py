"""Reading the access log, as access-log events: one typed function per event, one row each."""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

from meldwijzer.audit.models import Action, Purpose, Subject
from meldwijzer.audit.services import access_denied, access_log_record

if TYPE_CHECKING:
    from meldwijzer.organisations.actor import Actor


def access_log_read(*, actor: Actor, role: str, filtered: bool) -> None:
    """The log read (or searched, with filters) by those who supervise it."""
    access_log_record(
        actor=actor,
        action=Action.SEARCH if filtered else Action.READ,
        subject=Subject.ACCESS_LOG,
        role=role,
        purpose=Purpose.SUPERVISION,
    )


def access_log_refused(*, actor: Actor) -> NoReturn:
    access_denied(actor=actor, action=Action.READ, subject=Subject.ACCESS_LOG)
