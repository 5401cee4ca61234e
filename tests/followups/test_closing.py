"""Closing after afweging 5 = ja: only with follow-up agreements, which start a plan."""

from __future__ import annotations

import dataclasses

import pytest

from meldwijzer.cases import services as case_services
from meldwijzer.cases.models import Case, Outcome
from meldwijzer.cases.services import CaseError, CaseInputError
from meldwijzer.cases.workflow import Phase
from meldwijzer.followups.models import FollowupPlan, PlannedContact
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.roles import Role
from tests.followups.builders import agreement, closed_with_plan, help_case


@pytest.fixture
def actor(make_member) -> Actor:
    user = make_member(Role.PROFESSIONAL)
    membership = user.memberships.get()
    return Actor(
        user=user, organisation=membership.organisation, roles=frozenset({membership.role})
    )


def test_plain_closing_after_afweging_5_yes_is_refused(actor):
    case = help_case(actor)
    with pytest.raises(CaseError, match="afspraken over het volgen"):
        case_services.case_decide(
            actor=actor, case=case, expected_version=case.version, outcome=Outcome.CLOSE,
            justification="Het gaat goed.",
        )  # fmt: skip
    assert Case.objects.get(pk=case.pk).phase == Phase.HELP


@pytest.mark.parametrize("missing", ["follower_id", "how", "until"])
def test_closing_with_followup_needs_who_how_and_until(actor, missing):
    case = help_case(actor)
    followup = dataclasses.replace(agreement(actor), **{missing: "" if missing == "how" else None})
    with pytest.raises(CaseInputError) as refused:
        case_services.case_decide(
            actor=actor, case=case, expected_version=case.version,
            outcome=Outcome.CLOSE_FOLLOWUP, followup=followup,
        )  # fmt: skip
    assert {"follower_id": "follower"}.get(missing, missing) in refused.value.errors
    assert Case.objects.get(pk=case.pk).phase == Phase.HELP
    assert not FollowupPlan.objects.exists()


def test_closing_with_followup_is_its_own_outcome_and_starts_the_plan(actor):
    plan = closed_with_plan(actor)
    case = Case.objects.get(pk=plan.case_id)
    assert case.phase == Phase.CLOSED
    assert case.outcome == Outcome.CLOSE_FOLLOWUP
    assert plan.follower == actor.user and plan.owner == actor.user
    levels = list(PlannedContact.objects.filter(plan=plan).values_list("level", flat=True))
    assert levels == ["casusregie"] * 3 + ["monitoring"] * 3 + ["lichte_check"] * 3
