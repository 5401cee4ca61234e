"""Refusals at the door, for the access log: one typed function per event, one row each.

The row names what the URL asked for (`core.decorators.requested_subject`) and, for a case that
exists, its client."""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

from meldwijzer.audit.models import AccessOutcome, Action, Purpose, Subject
from meldwijzer.audit.services import access_denied, access_log_record

if TYPE_CHECKING:
    from meldwijzer.accounts.models import User
    from meldwijzer.organisations.actor import Actor


def request_refused(
    *,
    actor: Actor,
    subject: Subject,
    subject_id: str,
    client_id: str = "",
    purpose: Purpose | None = None,
) -> NoReturn:
    """The actor may not open this page (403)."""
    access_denied(
        actor=actor,
        action=Action.READ,
        subject=subject,
        subject_id=subject_id,
        client_id=client_id,
        purpose=purpose,
    )


def refused_without_organisation(
    *, user: User, subject: Subject, subject_id: str, client_id: str = ""
) -> None:
    """A logged-in person without an active organisation was refused (no raise)."""
    access_log_record(
        actor=None,
        user=user,
        action=Action.READ,
        subject=subject,
        subject_id=subject_id,
        client_id=client_id,
        outcome=AccessOutcome.DENIED,
    )
