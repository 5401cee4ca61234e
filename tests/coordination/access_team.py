"""The team URLs of coordination in the access table (`test_url_access.py`): each URL's rule,
and how to make the objects its URLs name in the table's world.

- Reading the team, agreements and 'wie doet wat': the whole team, both organisations.
- The family: everyone in the world's team sees it (the partner's grant opens every part); only
  the leading organisation's team adds or corrects it.
- Inviting, ending someone's membership, recording withdrawn consent, planning the next contact:
  the casusregisseur only.
- An invitation is answered by the invited professional only: the world's invitation is for
  someone else, so everyone in the table is refused ('not found', logged).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from meldwijzer.coordination import agreements, team
from meldwijzer.coordination.agreements import agreement_version
from meldwijzer.coordination.models import Agreement, CoordinationFile, FileParts
from meldwijzer.coordination.selectors import file_access_for
from meldwijzer.organisations.roles import Role
from tests.coordination.access import FILE_API, FILE_PAGE, LEADER, WORKERS, FileAccess, World
from tests.coordination.builders import actor_of, add_member, consent
from tests.factories import MembershipFactory
from tests.test_url_access import NOBODY

LISTS = FileAccess(WORKERS, team=WORKERS, foreign=WORKERS, denied=403)
OWN_TEAM = FileAccess(WORKERS)


def _api(rule: FileAccess, **changes: Any) -> FileAccess:
    values = {**rule.__dict__, "anonymous": 401, **changes}
    return FileAccess(**values)


def _agreement_change(world: World) -> dict[str, Any]:
    agreement = Agreement.objects.get(pk=world.made["agreement_id"])
    return {"state": "gedaan", "version": agreement_version(agreement)}


def _next_contact(world: World) -> dict[str, Any]:
    file = CoordinationFile.objects.get(pk=world.file.pk)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    return {"next_contact": tomorrow.isoformat(), "version": file.version}


URL_ACCESS: dict[str, FileAccess] = {
    "coordination:invitations": LISTS,
    "coordination:invitation_accept": FileAccess(NOBODY, method="post"),
    "coordination:invitation_decline": FileAccess(NOBODY, method="post"),
    "coordination:team": FILE_PAGE,
    "coordination:team_invite": FileAccess(LEADER),
    "coordination:team_member_end": FileAccess(LEADER, method="post", ok=302),
    "coordination:team_consent_withdraw": FileAccess(LEADER, method="post", ok=302),
    "coordination:family": FILE_PAGE,
    "coordination:family_add": OWN_TEAM,
    "coordination:family_edit": OWN_TEAM,
    "coordination:next_contact": FileAccess(LEADER),
    "coordination:agreements": FILE_PAGE,
    "coordination:agreement_add": FileAccess(WORKERS, team=WORKERS),
    "coordination:agreement_edit": FileAccess(WORKERS, team=WORKERS),
    "coordination:who_does_what": FILE_PAGE,
    "coordination:who_does_what_print": FILE_PAGE,
    "api:coordination-file-list": _api(LISTS),
    "api:coordination-file-detail": FILE_API,
    "api:coordination-team": FILE_API,
    "api:coordination-team-member-end": _api(FileAccess(LEADER, method="post")),
    "api:coordination-family": FILE_API,
    "api:coordination-agreements": FILE_API,
    "api:coordination-agreement-detail": _api(
        FileAccess(WORKERS, team=WORKERS, method="patch", data=_agreement_change)
    ),
    "api:coordination-next-contact": _api(FileAccess(LEADER, method="put", data=_next_contact)),
    "api:coordination-invitation-list": _api(LISTS),
    "api:coordination-invitation-accept": _api(FileAccess(NOBODY, method="post")),
    "api:coordination-invitation-decline": _api(FileAccess(NOBODY, method="post")),
}


def _invitation(world: World) -> int:
    """An invitation for a professional of the partner organisation, on the family's consent."""
    invited = MembershipFactory(role=Role.PROFESSIONAL, organisation=world.partner).user
    lead = actor_of(world.file.coordinator)
    member = team.invitation_send(
        actor=lead,
        access=file_access_for(lead, world.file),
        user=invited,
        organisation=world.partner,
        role_description="Ik ben de mentor op school.",
        ground=consent(world.file.coordinator, world.file),  # type: ignore[arg-type]
        parts=(FileParts.SAFETY_PLAN,),
        until=timezone.localdate() + datetime.timedelta(days=60),
    )
    return member.pk


def _team_member(world: World) -> int:
    partner = MembershipFactory(role=Role.PROFESSIONAL, organisation=world.partner).user
    return add_member(world.file, partner, parts=(FileParts.FAMILY,)).pk


def _agreement(world: World) -> int:
    lead = actor_of(world.file.coordinator)
    agreement = agreements.agreement_create(
        actor=lead,
        access=file_access_for(lead, world.file),
        what="Moeder belt de huisarts voor een afspraak.",
        party="gezin",
        owner_name="moeder",
        due_date=timezone.localdate() + datetime.timedelta(days=7),
    )
    return agreement.pk


OBJECTS: dict[str, Callable[[World], int]] = {
    "invitation_id": _invitation,
    "team_member_id": _team_member,
    "family_member_id": lambda world: world.file.family.order_by("pk").first().pk,  # type: ignore[union-attr]
    "agreement_id": _agreement,
}
