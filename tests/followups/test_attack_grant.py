"""When the grant a plan is followed on ends (revoked, consent withdrawn), the plan leaves the
follower's organisation entirely: also the aandachtsfunctionaris's list of the organisation's
plans (and its access log)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from meldwijzer.followups import selectors
from meldwijzer.followups.selectors import plan_access_for
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


def test_extending_a_plan_whose_grant_was_revoked_does_not_give_it_again():
    from meldwijzer.followups import services
    from meldwijzer.followups.schedules import months_after
    from meldwijzer.privacy.selectors import grants_in_force

    owner = member(Role.PROFESSIONAL, OrganisationFactory(name="Basisschool"))
    follower = member(Role.PROFESSIONAL, OrganisationFactory(name="GGD JGZ"))
    plan = closed_on_grant(owner, follower)
    privacy_services.access_grant_revoke(actor=owner, grant=plan.grant)
    access = selectors.plan_get(actor=owner, plan_id=plan.pk)
    until = months_after(plan.ends_on, 3)
    services.plan_end(
        actor=owner, access=access, expected_version=plan.version, kind="verlengd",
        note="Nog even volgen; de school zoekt een nieuwe volger.", extend_until=until,
    )  # fmt: skip
    plan.refresh_from_db()
    assert plan.ends_on == until
    assert not grants_in_force().filter(user=follower.user).exists()


def test_a_follower_elsewhere_stops_reading_a_plan_30_days_after_it_ended():
    from meldwijzer.followups import services

    closer = member(Role.PROFESSIONAL, OrganisationFactory(name="Basisschool"))
    nurse = member(Role.PROFESSIONAL, OrganisationFactory(name="GGD JGZ"))
    plan = closed_on_grant(closer, nurse)
    access = plan_access_for(nurse, plan)
    services.plan_end(
        actor=nurse, access=access, expected_version=plan.version, kind="afgerond",
        note="Het gaat al lang goed.",
    )  # fmt: skip
    plan.refresh_from_db()
    assert plan_access_for(nurse, plan).allowed
    with time_machine.travel(timezone.now() + datetime.timedelta(days=31)):
        assert not plan_access_for(nurse, plan).allowed
        assert plan_access_for(closer, plan).allowed  # the closing organisation keeps its file


def test_reopening_by_decision_alerts_like_unsafe_does():
    from meldwijzer.followups import services
    from meldwijzer.followups.models import Alert

    closer = member(Role.PROFESSIONAL, OrganisationFactory(name="Basisschool"))
    nurse = member(Role.PROFESSIONAL, OrganisationFactory(name="GGD JGZ"))
    plan = closed_on_grant(closer, nurse)
    decision = services.plan_end(
        actor=nurse, access=plan_access_for(nurse, plan), expected_version=plan.version,
        kind="heropend", note="Moeder vertelt over nieuw geweld.",
    )  # fmt: skip
    alert = Alert.objects.get(plan=plan)
    assert (alert.to_user, alert.decision, alert.contact) == (closer.user, decision, None)
    assert [a.pk for a in selectors.alerts_open(closer)] == [alert.pk]
