"""What follow-up adds to pages of the apps below it: the case page, the start page."""

from __future__ import annotations

from django.urls import reverse

from meldwijzer.cases.extensions import CaseAction
from meldwijzer.cases.models import Case
from meldwijzer.followups.models import FollowupPlan, PlanState
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.roles import Permission


def case_actions(actor: Actor, case: Case) -> list[CaseAction]:
    """On a closed case with a follow-up plan the actor may read: a link to the plan (the plan's
    page logs its own read; this only asks the rules)."""
    if not actor.can(Permission.CASE_WORK) or not case.was_closed:
        return []  # a plan starts when its case closes
    from meldwijzer.followups.selectors import plan_access_for

    actions = []
    for plan in FollowupPlan.objects.filter(case=case).select_related("file").order_by("pk"):
        if plan_access_for(actor, plan).allowed:
            label = (
                "Vervolgplan (nazorg)"
                if plan.state == PlanState.ACTIVE
                else ("Vervolgplan (nazorg, beëindigd)")
            )
            actions.append(
                CaseAction(f"{label} {plan.reference}", reverse("followups:plan", args=[plan.pk]))
            )
    return actions
