"""Case conferences as access-log events: one typed function per event, one row each.

A row about an item names the client pseudonym of the item's file, never a name; reading an item
with the family's identity names what it rests on: the consent (`toestemming:12`) or the
participant's confirmed involvement (`betrokkenheid:7`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

from meldwijzer.audit.models import Action, Purpose, Subject
from meldwijzer.audit.services import access_denied, access_log_record

if TYPE_CHECKING:
    from meldwijzer.coordination.models import Conference, ConferenceItem
    from meldwijzer.organisations.actor import Actor

LIST = "lijst"


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
        part=LIST,
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
        part=LIST,
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
