"""Who may do what with a follow-up plan.

- The plan's professional (`follower`, acting for `follower_organisation`) reads the plan and the
  family's names, records contacts, moves a contact and proposes changes. When they work for
  another organisation than the one that closed the file, they do so on a grant
  (`privacy.AccessGrant`, kind `vervolgplan`) the closing organisation gave on a recorded ground;
  when the grant ends (revoked, consent withdrawn, expired) so does their access, and 30 days
  after the plan ended at the latest.
- The closing organisation (`owner_organisation`): the professional who closed, and its
  aandachtsfunctionaris, read the plan and change it or decide its end.
- An aandachtsfunctionaris of the follower's own organisation sees the organisation's list of
  plans (dates, levels, who follows — no names, no contacts), not the plans themselves, unless it
  is also the closing organisation.
- The last casusregisseur sees the 'niet veilig' alert for their file, not the plan.
Everything else is 'not found', logged.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone

from meldwijzer.followups.models import FollowupPlan, PlanState
from meldwijzer.organisations.roles import Permission

if TYPE_CHECKING:
    from meldwijzer.organisations.actor import Actor
    from meldwijzer.privacy.models import AccessGrant


@dataclass(frozen=True)
class PlanAccess:
    plan: FollowupPlan
    is_follower: bool = False
    is_owner: bool = False
    grant: AccessGrant | None = None

    @property
    def allowed(self) -> bool:
        return self.is_follower or self.is_owner

    @property
    def active(self) -> bool:
        return self.plan.state == PlanState.ACTIVE

    @property
    def may_record(self) -> bool:
        """Record a contact: the plan's professional, while the plan runs."""
        return self.is_follower and self.active

    @property
    def may_manage(self) -> bool:
        """Change the plan, move contacts, decide its end: the plan's professional and the
        closing organisation, while the plan runs."""
        return self.allowed and self.active

    @property
    def ground_label(self) -> str:
        """What a row of the access log says the read rests on; empty within the closing
        organisation."""
        if self.grant is None:
            return ""
        return f"{self.grant.ground.kind}:{self.grant.ground_id}"


def is_owner(actor: Actor, plan: FollowupPlan) -> bool:
    if plan.owner_organisation_id != actor.organisation.pk:
        return False
    if actor.can(Permission.CASE_WORK) and plan.owner_id == actor.user.pk:
        return True
    if actor.can(Permission.CASE_OVERSEE):
        return True
    # The casusregisseur who holds the file now (after a hand-over within the organisation).
    return (
        actor.can(Permission.CASE_COORDINATE)
        and plan.file is not None
        and plan.file.coordinator_id == actor.user.pk
    )


ENDED_READABLE_DAYS = 30
"""How long a follower of another organisation still reads a plan after it ended: to see how it
ended and what was re-opened, not for the rest of the grant's term."""


def follower_elsewhere_still_reads(plan: FollowupPlan) -> bool:
    """A running plan, or one that ended less than `ENDED_READABLE_DAYS` ago."""
    if plan.state == PlanState.ACTIVE or plan.ended_at is None:
        return True
    return timezone.now() - plan.ended_at < datetime.timedelta(days=ENDED_READABLE_DAYS)


def is_named_follower(actor: Actor, plan: FollowupPlan) -> bool:
    return (
        actor.can(Permission.CASE_WORK)
        and plan.follower_id == actor.user.pk
        and plan.follower_organisation_id == actor.organisation.pk
    )


def sees_organisation_list(actor: Actor) -> bool:
    """The organisation's list of plans: its aandachtsfunctionarissen."""
    return actor.can(Permission.CASE_OVERSEE)


def may_follow(actor_permissions: frozenset[Permission]) -> bool:
    """Who can be named to follow a family: a professional who works on cases."""
    return Permission.CASE_WORK in actor_permissions
