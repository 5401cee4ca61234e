"""The meldcode registry, knowledge, worries and self-checks as access-log events: one typed
function per event, one row each.

None of these is a client's data: a worry is shared without identifying data, a registry row is
about professionals. The rows name the organisation and the object, so a functioneel beheerder
and the platform can see who read or changed what.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

from meldwijzer.audit.models import Action, Subject
from meldwijzer.audit.services import access_denied, access_log_record

if TYPE_CHECKING:
    from meldwijzer.organisations.actor import Actor


def trainings_event(
    *, actor: Actor, action: Action, subject: Subject, subject_id: str = "", part: str = ""
) -> None:
    """A registry, knowledge, worry or self-check object read or changed."""
    access_log_record(actor=actor, action=action, subject=subject, subject_id=subject_id, part=part)


def trainings_refused(
    *, actor: Actor, subject: Subject, subject_id: str = "", action: Action = Action.READ
) -> NoReturn:
    """An object out of reach, or one that does not exist: 'not found', logged."""
    access_denied(
        actor=actor, action=action, subject=subject, subject_id=subject_id, not_found=True
    )
