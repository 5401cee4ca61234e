"""What happens in follow-up, as access-log events: one typed function per event, one row each.

Every row about a plan names the client (the client pseudonym of the file the plan follows),
with purpose 'nazorg', and a read by the plan's professional of another organisation names the
ground it rests on ('toestemming:12'). A list names each plan it shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NoReturn

from meldwijzer.audit.models import AccessOutcome, Action, Purpose, Subject
from meldwijzer.audit.services import access_denied, access_log_record, access_log_record_each
from meldwijzer.organisations.roles import Permission

if TYPE_CHECKING:
    from meldwijzer.followups.models import FollowupPlan
    from meldwijzer.followups.rules import PlanAccess
    from meldwijzer.organisations.actor import Actor


def _role(actor: Actor) -> str:
    return actor.role_for(
        Permission.CASE_OVERSEE if actor.can(Permission.CASE_OVERSEE) else Permission.CASE_WORK
    )


def plan_event(
    *,
    actor: Actor,
    plan: FollowupPlan,
    action: Action,
    part: str,
    access: PlanAccess | None = None,
) -> None:
    """A part of a plan read or changed ('plan', 'contact', 'besluit', 'melding', ...)."""
    access_log_record(
        actor=actor,
        action=action,
        subject=Subject.FOLLOWUP_PLAN,
        subject_id=str(plan.pk),
        client_id=plan.client_pseudonym,
        part=part,
        ground=access.ground_label if access is not None else "",
        role=_role(actor),
        purpose=Purpose.FOLLOWUP,
    )


def plan_refused(
    *,
    actor: Actor,
    plan_id: int | str,
    plan: FollowupPlan | None,
    part: str,
    action: Action = Action.READ,
) -> NoReturn:
    """A plan out of reach, or one that does not exist: 'not found', logged with its client."""
    access_denied(
        actor=actor,
        action=action,
        subject=Subject.FOLLOWUP_PLAN,
        subject_id=str(plan_id),
        client_id=plan.client_pseudonym if plan is not None else "",
        part=part,
        purpose=Purpose.FOLLOWUP,
        not_found=True,
    )


def plan_change_refused(*, actor: Actor, plan: FollowupPlan, action: Action, part: str) -> None:
    """A change to a plan in reach that the rules refuse (a contact on an ended plan): logged as
    refused with its client; the caller answers with the reason."""
    access_log_record(
        actor=actor,
        action=action,
        subject=Subject.FOLLOWUP_PLAN,
        subject_id=str(plan.pk),
        client_id=plan.client_pseudonym,
        part=part,
        role=_role(actor),
        purpose=Purpose.FOLLOWUP,
        outcome=AccessOutcome.DENIED,
    )


def plans_listed(*, actor: Actor, plans: Sequence[FollowupPlan], part: str) -> None:
    """A list of plans shown: one row per plan, naming its client."""
    access_log_record_each(
        actor=actor,
        action=Action.READ,
        subject=Subject.FOLLOWUP_PLAN,
        rows=[(str(plan.pk), plan.client_pseudonym) for plan in plans],
        part=part,
        purpose=Purpose.FOLLOWUP,
        role=_role(actor),
    )


def calendar_event(*, actor: Actor, action: Action, part: str) -> None:
    """The calendar address made, replaced or ended (no client: it holds no personal data)."""
    access_log_record(
        actor=actor,
        action=action,
        subject=Subject.FOLLOWUP_CALENDAR,
        part=part,
        purpose=Purpose.FOLLOWUP,
        role=_role(actor),
    )


if TYPE_CHECKING:
    from meldwijzer.followups.models import FollowupSignal

SIGNAL_SYSTEM = "meldwijzer-nazorg"
"""Who the access log names when Meldwijzer itself links a new dossier to a plan."""


def signal_made(*, plan: FollowupPlan, signal: FollowupSignal) -> None:
    """Meldwijzer linked a new dossier about the family to a running plan: one row in the chain
    of the organisation that follows, naming the plan's client."""
    access_log_record(
        actor=None,
        organisation=plan.follower_organisation,
        username=SIGNAL_SYSTEM,
        action=Action.CREATE,
        subject=Subject.FOLLOWUP_PLAN,
        subject_id=str(plan.pk),
        client_id=plan.client_pseudonym,
        part=f"signaal:{signal.pk}",
        purpose=Purpose.FOLLOWUP,
    )


FIGURES_PART = "nazorg"


def figures_read(*, actor: Actor, period: str) -> None:
    """The follow-up figures shown to a policy adviser: aggregates only, no client."""
    access_log_record(
        actor=actor,
        action=Action.READ,
        subject=Subject.AGGREGATES,
        subject_id=period[:64],
        part=FIGURES_PART,
        role=actor.role_for(Permission.AGGREGATES_VIEW),
        purpose=Purpose.POLICY,
    )


def figures_refused(*, actor: Actor) -> NoReturn:
    """The follow-up figures asked for without the right to see aggregates (403), logged."""
    access_denied(
        actor=actor,
        action=Action.READ,
        subject=Subject.AGGREGATES,
        part=FIGURES_PART,
        purpose=Purpose.POLICY,
    )
