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
from meldwijzer.privacy.models import GroundKind
from tests.followups.builders import agreement, closed_with_plan, consent_for, help_case


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


@pytest.fixture
def nurse(make_member) -> Actor:
    user = make_member(Role.PROFESSIONAL)
    membership = user.memberships.get()
    return Actor(
        user=user, organisation=membership.organisation, roles=frozenset({membership.role})
    )


def test_consent_given_at_closing_is_recorded_as_the_ground_of_the_grant(actor, nurse):
    case = help_case(actor)
    followup = dataclasses.replace(agreement(nurse), consent_given_by="Moeder, met gezag")
    case_services.case_decide(
        actor=actor, case=case, expected_version=case.version,
        outcome=Outcome.CLOSE_FOLLOWUP, followup=followup,
    )  # fmt: skip
    plan = FollowupPlan.objects.get(case=case)
    ground = plan.grant.ground
    assert (ground.kind, ground.given_by) == (GroundKind.CONSENT, "Moeder, met gezag")
    assert ground.organisation == actor.organisation
    assert ground.client_pseudonym == case.client_pseudonym == plan.grant.client_pseudonym
    assert ground.valid_until == plan.ends_on
    assert plan.grant.user == nurse.user


def test_a_ground_of_another_client_does_not_open_the_plan(actor, nurse):
    other = help_case(actor, title="Ander gezin")
    ground_id = consent_for(actor, other)
    case = help_case(actor)
    with pytest.raises(CaseInputError) as refused:
        case_services.case_decide(
            actor=actor, case=case, expected_version=case.version,
            outcome=Outcome.CLOSE_FOLLOWUP, followup=agreement(nurse, ground_id=ground_id),
        )  # fmt: skip
    assert "ground" in refused.value.errors
    assert Case.objects.get(pk=case.pk).phase == Phase.HELP
    assert not FollowupPlan.objects.filter(case=case).exists()


def test_contacts_and_decisions_are_history(actor):
    from meldwijzer.coordination.models import AppendOnlyError
    from meldwijzer.followups import services
    from meldwijzer.followups.models import FollowupContact, PlanDecision
    from meldwijzer.followups.selectors import plan_access_for

    plan = closed_with_plan(actor)
    access = plan_access_for(actor, plan)
    contact = services.contact_record(
        actor=actor, access=access,
        data=services.ContactData(
            held_on=plan.starts_on, mode="huisbezoek", summary="Goed gesprek.", safety="veilig",
            safety_note="Afspraken werken.",
        ),
    )  # fmt: skip
    services.plan_end(
        actor=actor, access=plan_access_for(actor, FollowupPlan.objects.get(pk=plan.pk)),
        expected_version=FollowupPlan.objects.get(pk=plan.pk).version, kind="afgerond",
        note="Veilig.",
    )  # fmt: skip
    for row in (contact, PlanDecision.objects.get(plan=plan)):
        with pytest.raises(AppendOnlyError):
            row.save()
        with pytest.raises(AppendOnlyError):
            row.delete()
    assert FollowupContact.objects.filter(plan=plan).count() == 1
