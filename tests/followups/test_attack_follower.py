"""A professional who follows a family for another organisation, on a grant: they change the rest
of the plan, not who follows (that is the closing organisation's decision), and they do not
extend the plan beyond the grant they read it on (nobody would follow the family then)."""

from __future__ import annotations

import pytest

from meldwijzer.followups import selectors, services
from meldwijzer.followups.models import PlanDecision
from meldwijzer.followups.schedules import months_after
from meldwijzer.organisations.roles import Role
from tests.factories import OrganisationFactory
from tests.followups.access_api import closed_on_grant, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    school = OrganisationFactory(name="Basisschool")
    owner = member(Role.PROFESSIONAL, school)
    follower = member(Role.PROFESSIONAL, OrganisationFactory(name="GGD JGZ"))
    return owner, follower, closed_on_grant(owner, follower)


def test_a_follower_elsewhere_does_not_name_who_follows(scene):
    owner, follower, plan = scene
    colleague = member(Role.PROFESSIONAL, owner.organisation)
    access = selectors.plan_get(actor=follower, plan_id=plan.pk)
    with pytest.raises(services.FollowupInputError) as refused:
        services.plan_change(
            actor=follower,
            access=access,
            expected_version=plan.version,
            change=services.PlanChange(
                note="Mijn collega neemt het over.",
                follower_id=colleague.user.pk,
                organisation_id=owner.organisation.pk,
            ),
        )
    assert "organisatie die afsloot" in str(refused.value.errors["follower"])
    plan.refresh_from_db()
    assert plan.follower_id == follower.user.pk
    assert not PlanDecision.objects.filter(plan=plan).exists()


def test_a_follower_elsewhere_does_not_extend_beyond_the_grant(scene):
    _, follower, plan = scene
    access = selectors.plan_get(actor=follower, plan_id=plan.pk)
    ends_on = plan.ends_on
    with pytest.raises(services.FollowupInputError) as refused:
        services.plan_end(
            actor=follower,
            access=access,
            expected_version=plan.version,
            kind="verlengd",
            note="Nog een half jaar volgen.",
            extend_until=months_after(ends_on, 6),
        )
    assert "extend_until" in refused.value.errors
    plan.refresh_from_db()
    assert plan.ends_on == ends_on
    assert not PlanDecision.objects.filter(plan=plan).exists()
