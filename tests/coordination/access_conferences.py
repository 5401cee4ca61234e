"""The conferences URLs of coordination in the access table (`test_url_access.py`): each URL's rule,
and how to make the objects its URLs name in the table's world.

What own, team and foreign mean here: the world's conference is an interventieoverleg organised
by the leading organisation, chaired by the file's casusregisseur, with the file's team as its
participants and the file on its agenda, pseudonymised. So *own* is a participant of the
organising organisation (its casusregisseur the chair), *team* a participant of another
organisation, *foreign* someone of an organisation that was not invited: a conference is seen by
its participants only, and everyone else gets 'not found', logged.

- The list and the planning form are everyone's own: the list shows one's own conferences (403
  for roles without case work); planning is for a casusregisseur or an aandachtsfunctionaris, in
  any organisation (403 for the others).
- The conference, its agenda and confirming involvement: every participant, whichever
  organisation (team too); not the uninvited (404).
- Putting a file on the agenda: a participant who may lead files (a casusregisseur, own or team);
  the service then accepts only files they lead.
- Recording decisions: the chair (the own casusregisseur), or the item's file's casusregisseur.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from meldwijzer.coordination import conferences
from meldwijzer.coordination.models import Conference, ConferenceKind, MemberState, Presentation
from meldwijzer.organisations.roles import Role
from tests.coordination.access import LEADER, WORKERS, FileAccess, World
from tests.coordination.builders import actor_of

PLANNERS = frozenset({Role.CASE_COORDINATOR, Role.MELDCODE_OFFICER})

PARTICIPANTS_PAGE = FileAccess(WORKERS, team=WORKERS)
PARTICIPANTS_API = FileAccess(WORKERS, team=WORKERS, anonymous=401)

URL_ACCESS: dict[str, FileAccess] = {
    "coordination:conferences": FileAccess(WORKERS, team=WORKERS, foreign=WORKERS, denied=403),
    "coordination:conference_new": FileAccess(
        PLANNERS, team=PLANNERS, foreign=PLANNERS, denied=403
    ),
    "coordination:conference_detail": PARTICIPANTS_PAGE,
    "coordination:conference_item_new": FileAccess(LEADER, team=LEADER),
    "coordination:conference_item_confirm": FileAccess(
        WORKERS,
        team=WORKERS,
        method="post",
        ok=302,
        data=lambda world: {"statement": "Ik ben de leerkracht van het oudste kind."},
    ),
    "coordination:conference_item_decide": FileAccess(LEADER),
    "api:coordination-conferences": FileAccess(
        WORKERS, team=WORKERS, foreign=WORKERS, anonymous=401, denied=403
    ),
    "api:coordination-conference-detail": PARTICIPANTS_API,
    "api:coordination-conference-items": PARTICIPANTS_API,
    "api:coordination-conference-item-confirm": FileAccess(
        WORKERS,
        team=WORKERS,
        method="post",
        ok=201,
        anonymous=401,
        data=lambda world: {"statement": "Ik zie het jongste kind op het consultatiebureau."},
    ),
    "api:coordination-conference-item-decisions": FileAccess(
        LEADER,
        method="post",
        anonymous=401,
        data=lambda world: {"decisions": "De school en het wijkteam trekken samen op."},
    ),
}


def _conference(world: World) -> int:
    """The world's interventieoverleg: chaired by the file's casusregisseur, the file's team as
    participants (so the people the table made in the own and team scopes), the file on the
    agenda without names."""
    if "conference_id" in world.made:
        return world.made["conference_id"]
    chair = actor_of(world.file.coordinator)
    conference = conferences.conference_create(
        actor=chair,
        kind=ConferenceKind.INTERVENTION,
        title="Interventieoverleg",
        starts_at=timezone.now(),
        place="Gemeentehuis",
    )
    team = world.file.team.filter(state=MemberState.ACTIVE).exclude(user=world.file.coordinator)
    for member in team:
        conference.participants.create(user=member.user, organisation=member.organisation)
    access = conferences.conference_access(chair, Conference.objects.get(pk=conference.pk))
    item = conferences.conference_item_add(
        actor=chair,
        access=access,
        file_id=world.file.pk,
        question="Wie neemt de regie over het onderwijs?",
        summary="Het oudste kind verzuimt vaak sinds de zomer.",
        presentation=Presentation.PSEUDONYMISED,
    )
    world.made["conference_id"] = conference.pk
    world.made["item_id"] = item.pk
    return conference.pk


def _item(world: World) -> int:
    _conference(world)
    return world.made["item_id"]


OBJECTS: dict[str, Callable[[World], int]] = {
    "conference_id": _conference,
    "item_id": _item,
}
