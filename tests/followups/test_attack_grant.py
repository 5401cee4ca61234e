"""When the grant a plan is followed on ends (revoked, consent withdrawn), the plan leaves the
follower's organisation entirely: also the aandachtsfunctionaris's list of the organisation's
plans (and its access log)."""

from __future__ import annotations

import pytest

from meldwijzer.followups import selectors
from meldwijzer.organisations.roles import Role
from meldwijzer.privacy import services as privacy_services
from tests.factories import OrganisationFactory
from tests.followups.access_api import closed_on_grant, member

pytestmark = pytest.mark.django_db


def test_a_plan_whose_grant_ended_leaves_the_organisation_list():
    owner = member(Role.PROFESSIONAL, OrganisationFactory(name="Basisschool"))
    ggd = OrganisationFactory(name="GGD JGZ")
    follower = member(Role.PROFESSIONAL, ggd)
    officer = member(Role.MELDCODE_OFFICER, ggd)
    plan = closed_on_grant(owner, follower)
    assert [p.pk for p in selectors.organisation_plans(actor=officer)] == [plan.pk]
    privacy_services.access_grant_revoke(actor=owner, grant=plan.grant)
    assert selectors.organisation_plans(actor=officer) == []
    # The closing organisation keeps it on its own list.
    owner_officer = member(Role.MELDCODE_OFFICER, owner.organisation)
    assert [p.pk for p in selectors.organisation_plans(actor=owner_officer)] == [plan.pk]
